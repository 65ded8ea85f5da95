#!/usr/bin/python3
"""ITK 5.2 reference outputs for src/segment (needs libinsighttoolkit5-dev, cmake, a C++ compiler).

    /usr/bin/python3 tests/reference/segment/make-itk-reference.py

Builds itk/segment_itk.cxx in /tmp/segment-itk-build, runs it on mask inputs already saved
by make-reference.py (data/*.bin.gz), writes data/itk_*.bin.gz and itk-cases.json.
"""
import gzip
import json
import os
import subprocess
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
BUILD = '/tmp/segment-itk-build'
os.makedirs(BUILD, exist_ok=True)
subprocess.run(['cmake', os.path.join(HERE, 'itk'), '-DCMAKE_BUILD_TYPE=Release'], cwd=BUILD, check=True, stdout=subprocess.DEVNULL)
subprocess.run(['make'], cwd=BUILD, check=True, stdout=subprocess.DEVNULL)
exe = os.path.join(BUILD, 'segment_itk')

cases = [c for c in json.load(open(os.path.join(HERE, 'cases.json'))) if c['kind'] == 'label']
inputs = {c['input']['file']: c['input'] for c in cases}


def load(desc):
    raw = gzip.open(os.path.join(DATA, desc['file'])).read()
    n = int(np.prod(desc['size']))
    assert desc['dtype'] == 'bits'
    return np.unpackbits(np.frombuffer(raw, np.uint8))[:n]


def save(name, arr, dtype):
    if dtype == 'bits':
        raw = np.packbits(arr.astype(bool)).tobytes()
    else:
        raw = arr.astype(dtype).tobytes()
    with gzip.GzipFile(os.path.join(DATA, name + '.bin.gz'), 'wb', mtime=0) as f:
        f.write(raw)
    return name + '.bin.gz'


out_cases = []
with tempfile.TemporaryDirectory() as tmp:
    for key in ['blobs3.bin.gz', 'colin_mask.bin.gz', 'salt3.bin.gz']:
        desc = inputs[key]
        if len(desc['size']) != 3:
            continue
        mask = load(desc)
        src = os.path.join(tmp, 'in.raw')
        mask.astype(np.uint8).tofile(src)
        nx, ny, nz = (str(v) for v in desc['size'])
        stem = key.replace('.bin.gz', '')
        for op in ['dilate', 'erode']:
            for r in [1, 2, 3]:
                dst = os.path.join(tmp, 'out.raw')
                subprocess.run([exe, op, src, nx, ny, nz, str(r), dst], check=True)
                out = np.fromfile(dst, np.uint8)
                out_cases.append({'kind': 'itk-morphology', 'input': desc, 'itk': f'Binary{op.capitalize()}ImageFilter, BinaryBallStructuringElement radius {r}',
                                  'options': {'operation': op, 'radius': r + 0.5, 'borderValue': 1},
                                  'expected': {'file': save(f'itk_{op}_{stem}_r{r}', out, 'bits'), 'dtype': 'bits', 'size': desc['size']}})
        for full in [0, 1]:
            dst = os.path.join(tmp, 'out.raw')
            subprocess.run([exe, 'relabel', src, nx, ny, nz, str(full), dst], check=True)
            lab = np.fromfile(dst, np.uint32)
            out_cases.append({'kind': 'itk-relabel', 'input': desc, 'itk': f'ConnectedComponentImageFilter(FullyConnected={bool(full)}) + RelabelComponentImageFilter',
                              'options': {'connectivity': 26 if full else 6, 'relabelBySize': True},
                              'expected': {'file': save(f'itk_relabel_{stem}_{full}', lab, 'uint16'), 'dtype': 'uint16', 'size': desc['size']}})

with open(os.path.join(HERE, 'itk-cases.json'), 'w') as f:
    json.dump(out_cases, f, indent=1)
print(len(out_cases), 'ITK cases')

#!/usr/bin/python3
"""ITK 5.2 OtsuThresholdImageFilter thresholds for src/segment/otsu.ts.

    /usr/bin/python3 tests/reference/segment/make-otsu-reference.py

Builds itk-otsu/otsu_itk.cxx (needs libinsighttoolkit5-dev, cmake, a C/C++ compiler) in
/tmp/otsu-build, runs it on a real CT slice (pydicom's CT_small, HU), a Colin27 T1 block
(mricron-data), float data with a mask and a small integer image, for several bin counts
(128 is ITK's and SimpleITK's default), and writes data/otsu_*.bin.gz and otsu-cases.json.
"""
import gzip
import json
import os
import subprocess
import tempfile

import nibabel as nib
import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
BUILD = '/tmp/otsu-build'
os.makedirs(BUILD, exist_ok=True)
subprocess.run(['cmake', os.path.join(HERE, 'itk-otsu'), '-DCMAKE_BUILD_TYPE=Release'], cwd=BUILD, check=True, stdout=subprocess.DEVNULL)
subprocess.run(['make'], cwd=BUILD, check=True, stdout=subprocess.DEVNULL)
exe = os.path.join(BUILD, 'otsu_itk')


def save(name, arr):
    """arr in (z, y, x) order; stored x fastest in its own dtype."""
    arr = np.ascontiguousarray(arr)
    with gzip.GzipFile(os.path.join(DATA, name + '.bin.gz'), 'wb', mtime=0) as f:
        f.write(arr.tobytes())
    return {'file': name + '.bin.gz', 'dtype': arr.dtype.name, 'size': list(arr.shape[::-1])}


def itk_threshold(arr, bins, mask=None):
    size = list(arr.shape[::-1]) + [1] * (3 - arr.ndim)
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, 'img.f64')
        np.ascontiguousarray(arr, dtype='<f8').tofile(img)
        args = [exe, img, *map(str, size), str(bins)]
        if mask is not None:
            m = os.path.join(tmp, 'mask.u8')
            np.ascontiguousarray(mask, dtype=np.uint8).tofile(m)
            args.append(m)
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return float(out)


rng = np.random.default_rng(7)
ds = pydicom.dcmread('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm')
ct = (ds.pixel_array.astype(np.int32) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)).astype(np.int16)
colin = np.asarray(nib.load('/usr/share/mricron/templates/ch2.nii.gz').dataobj)[50:110:2, 60:140:2, 60:120:2]
colin = np.ascontiguousarray(colin.transpose(2, 1, 0)).astype(np.uint8)
gam = np.concatenate([rng.gamma(2.0, 3.0, 600), rng.normal(40, 4, 400)]).astype(np.float32).reshape(5, 20, 10)
gam_mask = (rng.random(gam.shape) < 0.7).astype(np.uint8)
small = np.array([[10, 11, 12, 12, 13, 14, 50, 51, 52, 55, 56, 58, 60]], dtype=np.int16)

inputs = dict(otsu_ct=ct, otsu_colin=colin, otsu_gamma=gam, otsu_gamma_mask=gam_mask, otsu_small=small)
D = {k: save(k, v) for k, v in inputs.items()}
cases = []
for name, bins_list, mask in [
    ('otsu_ct', [128, 200, 64, 256], None),
    ('otsu_colin', [128, 200, 256], None),
    ('otsu_gamma', [128, 50], None),
    ('otsu_gamma', [128, 200], 'otsu_gamma_mask'),
    ('otsu_small', [128, 64, 7], None),
]:
    for bins in bins_list:
        t = itk_threshold(inputs[name].astype(np.float64), bins, inputs[mask] if mask else None)
        cases.append({'input': D[name], 'mask': D[mask] if mask else None, 'bins': bins, 'threshold': t})

with open(os.path.join(HERE, 'otsu-cases.json'), 'w') as f:
    json.dump(cases, f, indent=1)
print(len(cases), 'cases')

#!/usr/bin/python3
"""numpy references for hounsfieldFromStored, clipIntensity, normalizeMinMax and zScore on small
fixtures. Run: /usr/bin/python3 tests/reference/intensity/make-basic-reference.py
Writes tests/reference/intensity/basic-reference.json (inputs and expected outputs, float64)."""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261123)

stored = rng.integers(0, 4096, size=(7, 6, 5)).astype(np.int16)   # CT stored values, x fastest when flattened in C order of (z,y,x)
stored.flat[0] = 0
stored.flat[1] = 4095
floaty = (rng.normal(100, 30, size=(6, 5, 4))).astype(np.float32)
mask = (rng.random(size=floaty.shape) > 0.6).astype(np.uint8)

cases = {}

# HU = stored * slope + intercept (pydicom apply_modality_lut does exactly this for rescale)
hu = []
for slope, intercept in [(1, -1024), (1, 0), (2, -1024), (0.5, -1024), (1, -1024.5), (20, -1024)]:
    hu.append({'slope': slope, 'intercept': intercept, 'expected': (stored.astype(np.float64) * slope + intercept).ravel().tolist()})
cases['hounsfield'] = {'input': stored.ravel().tolist(), 'shape': list(stored.shape[::-1]), 'cases': hu}

clip = []
for lo, hi in [(500, 3000), (-1e9, 1000), (1000.5, 1000.5), (1024, 1e9)]:
    clip.append({'min': lo, 'max': hi, 'expected': np.clip(stored, lo, hi).astype(np.int16).ravel().tolist()})
cases['clip'] = {'input': stored.ravel().tolist(), 'cases': clip}
cases['clipFloat'] = {'input': floaty.ravel().astype(np.float64).tolist(),
                      'cases': [{'min': 80.25, 'max': 120.5, 'expected': np.clip(floaty, np.float32(80.25), np.float32(120.5)).astype(np.float64).ravel().tolist()}]}

mm = []
f64 = floaty.astype(np.float64)
for opts in [{}, {'min': 80.0, 'max': 130.0}, {'outMin': -1.0, 'outMax': 1.0}, {'min': 50.0, 'outMax': 255.0}]:
    lo = opts.get('min', f64.min())
    hi = opts.get('max', f64.max())
    a = opts.get('outMin', 0.0)
    b = opts.get('outMax', 1.0)
    y = a + (np.clip(f64, lo, hi) - lo) / (hi - lo) * (b - a)
    mm.append({'options': opts, 'expected': y.ravel().tolist()})
cases['minmax'] = {'input': f64.ravel().tolist(), 'cases': mm}

z_all = (f64 - f64.mean()) / f64.std()
sel = f64[mask > 0]
z_mask = (f64 - sel.mean()) / sel.std()
cases['zscore'] = {'input': f64.ravel().tolist(), 'mask': mask.ravel().tolist(), 'shape': list(floaty.shape[::-1]),
                   'expectedAll': z_all.ravel().tolist(), 'expectedMask': z_mask.ravel().tolist(),
                   'meanMask': float(sel.mean()), 'stdMask': float(sel.std())}

with open(os.path.join(HERE, 'basic-reference.json'), 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
print('numpy', np.__version__)

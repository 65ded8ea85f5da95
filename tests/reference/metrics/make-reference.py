#!/usr/bin/python3
"""Reference values for src/metrics with numpy 1.24 and skimage 0.19.

Run with the Debian Python: /usr/bin/python3 tests/reference/metrics/make-reference.py
Writes data/*.bin.gz (gzipped raw little-endian arrays, x fastest) and cases.json.
Inputs are saved too (CI lacks the Debian data packages).
"""
import gzip
import json
import os

import nibabel as nib
import numpy as np
import pydicom
from scipy import ndimage as ndi
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
os.makedirs(DATA, exist_ok=True)
cases = []


def save(name, arr):
    arr = np.ascontiguousarray(arr)
    with gzip.GzipFile(os.path.join(DATA, name + '.bin.gz'), 'wb', mtime=0) as f:
        f.write(arr.tobytes())
    return {'file': name + '.bin.gz', 'dtype': arr.dtype.name, 'size': list(arr.shape[::-1])}


rng = np.random.default_rng(42)
ds = pydicom.dcmread('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm')
ct = (ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)).astype(np.int16)
# Degraded CT: blur + noise, rounded to int16 (a lossy reconstruction).
ct_deg = np.round(ndi.gaussian_filter(ct.astype(np.float64), 0.8) + rng.normal(0, 25, ct.shape)).astype(np.int16)
# Colin27 T1 block (z, y, x) and a noisy, slightly shifted copy.
colin = np.asarray(nib.load('/usr/share/mricron/templates/ch2.nii.gz').dataobj)[60:100, 80:124, 70:106]
colin = np.ascontiguousarray(colin.transpose(2, 1, 0)).astype(np.uint8)
colin_deg = np.clip(np.round(ndi.shift(colin.astype(np.float64), (0, 0.4, -0.3), order=1, mode='nearest')
                             + rng.normal(0, 6, colin.shape)), 0, 255).astype(np.uint8)
colin_mask = (colin > 50).astype(np.uint8)
# Float data for the float32 histogram paths (values on bin edges included).
f32 = (rng.standard_normal((50, 60)) * 1.7 + 0.3).astype(np.float32)
f32[0, :11] = np.linspace(f32.min(), f32.max(), 11).astype(np.float32)
f32_const = np.full((4, 5), 2.3, np.float32)
f64 = rng.gamma(2.0, 3.0, (40, 30))
ints = np.arange(0, 101, dtype=np.int16).reshape(1, 101)

D = {k: save(k, v) for k, v in dict(ct=ct, ct_deg=ct_deg, colin=colin, colin_deg=colin_deg, colin_mask=colin_mask,
                                      f32=f32, f32_const=f32_const, f64=f64, ints=ints).items()}
arrays = dict(ct=ct, ct_deg=ct_deg, colin=colin, colin_deg=colin_deg, colin_mask=colin_mask, f32=f32, f32_const=f32_const,
              f64=f64, ints=ints)

# numpy.histogram
for name, opts, mask in [
    ('ct', {}, None), ('ct', {'bins': 10, 'min': -1000, 'max': 1000}, None), ('ct', {'bins': 64}, 'ct_bone'),
    ('colin', {}, 'colin_mask'), ('colin', {'bins': 7}, None),
    ('f32', {}, None), ('f32', {'bins': 17, 'min': -2.9, 'max': 3.1}, None), ('f32', {'bins': 10}, None),
    ('f32_const', {'bins': 5}, None), ('f64', {'bins': 33, 'min': 0.1, 'max': 20}, None), ('f64', {'bins': 50}, None),
    ('ints', {'bins': 7}, None), ('ints', {'bins': 100, 'min': 0, 'max': 100}, None), ('ints', {'bins': 3, 'min': 10, 'max': 10}, None),
]:
    a = arrays[name]
    if mask == 'ct_bone':
        m = (ct > 300).astype(np.uint8)
        D.setdefault('ct_bone', save('ct_bone', m))
        arrays['ct_bone'] = m
    vals = a[arrays[mask] != 0] if mask else a.ravel()
    rng_ = (opts['min'], opts['max']) if 'min' in opts else None
    counts, edges = np.histogram(vals, bins=opts.get('bins', 256), range=rng_)
    cases.append({'kind': 'histogram', 'input': D[name], 'mask': D[mask] if mask else None, 'options': opts,
                  'counts': counts.tolist(), 'edges': edges.astype(np.float64).tolist()})

# coefficient of variation: numpy std (ddof=0) / mean in float64
for name, mask in [('ct', None), ('colin', 'colin_mask'), ('f64', None), ('colin_deg', None)]:
    v = arrays[name].astype(np.float64)
    v = v[arrays[mask] != 0] if mask else v.ravel()
    cases.append({'kind': 'cv', 'input': D[name], 'mask': D[mask] if mask else None, 'value': float(np.std(v) / np.mean(v))})

# skimage.metrics.peak_signal_noise_ratio with explicit data_range
for ref, test, dr in [('ct', 'ct_deg', 2063.0), ('ct', 'ct_deg', 4095.0), ('colin', 'colin_deg', 255.0), ('colin', 'colin_deg', 200.5)]:
    v = peak_signal_noise_ratio(arrays[ref], arrays[test], data_range=dr)
    cases.append({'kind': 'psnr', 'input': D[ref], 'test': D[test], 'options': {'dataRange': dr}, 'value': float(v)})
# skimage.metrics.structural_similarity, computed in float64
for ref, test, opts, full in [
    ('ct', 'ct_deg', {'dataRange': 2063.0}, True),
    ('ct', 'ct_deg', {'dataRange': 2063.0, 'sigma': 1.0, 'K1': 0.02, 'K2': 0.05}, False),
    ('ct', 'ct_deg', {'dataRange': 1000.0, 'gaussian': False}, False),
    ('ct', 'ct_deg', {'dataRange': 1000.0, 'gaussian': False, 'winSize': 5, 'useSampleCovariance': True}, False),
    ('ct', 'ct_deg', {'dataRange': 2063.0, 'useSampleCovariance': True}, False),
    ('colin', 'colin_deg', {'dataRange': 255.0}, False),
    ('colin', 'colin_deg', {'dataRange': 255.0, 'gaussian': False, 'winSize': 7, 'useSampleCovariance': True}, False),
    ('f64', 'f64', {'dataRange': 30.0}, False),
]:
    a = arrays[ref].astype(np.float64)
    b = arrays[test].astype(np.float64)
    if ref == 'f64':
        b = a + rng.normal(0, 1.0, a.shape)
        D['f64_noisy'] = save('f64_noisy', b)
        test = 'f64_noisy'
    gaussian = opts.get('gaussian', True)
    kw = dict(data_range=opts['dataRange'], gaussian_weights=gaussian,
              use_sample_covariance=opts.get('useSampleCovariance', False),
              K1=opts.get('K1', 0.01), K2=opts.get('K2', 0.03))
    if gaussian:
        kw['sigma'] = opts.get('sigma', 1.5)
    else:
        kw['win_size'] = opts.get('winSize', 7)
    if full:
        m, S = structural_similarity(a, b, full=True, **kw)
        cases.append({'kind': 'ssim', 'input': D[ref], 'test': D[test], 'options': {**opts, 'full': True}, 'value': float(m),
                      'map': save(f'ssim_map_{ref}', S.astype(np.float64))})
    else:
        m = structural_similarity(a, b, **kw)
        cases.append({'kind': 'ssim', 'input': D[ref], 'test': D[test], 'options': opts, 'value': float(m)})

# skimage's default data_range (no data_range given), on integer and float inputs.
# New arrays come after every earlier use of rng so the older fixtures stay byte-identical.
unit = rng.random((30, 40))                      # float64 in [0, 1): skimage PSNR uses 1
signed_unit = rng.random((30, 40)) * 2 - 1       # float64 in [-1, 1): skimage PSNR uses 2
ct_pos = (ct.astype(np.int32) + 1024).clip(0, None).astype(np.int16)   # int16, no negative value
ct_pos_deg = (ct_deg.astype(np.int32) + 1024).clip(0, None).astype(np.int16)
arrays.update(unit=unit, unit_deg=np.clip(unit + rng.normal(0, 0.05, unit.shape), 0, 1), signed_unit=signed_unit,
              signed_unit_deg=np.clip(signed_unit + rng.normal(0, 0.05, unit.shape), -1, 1), ct_pos=ct_pos, ct_pos_deg=ct_pos_deg)
for k in ['unit', 'unit_deg', 'signed_unit', 'signed_unit_deg', 'ct_pos', 'ct_pos_deg']:
    D[k] = save(k, arrays[k])
for ref, test in [('colin', 'colin_deg'), ('ct', 'ct_deg'), ('ct_pos', 'ct_pos_deg'), ('unit', 'unit_deg'), ('signed_unit', 'signed_unit_deg')]:
    v = peak_signal_noise_ratio(arrays[ref], arrays[test])
    cases.append({'kind': 'psnr-default', 'input': D[ref], 'test': D[test], 'value': float(v)})
# SSIM's default for integer images is the dtype's dmax - dmin (float images: we use max - min).
for ref, test in [('colin', 'colin_deg'), ('ct', 'ct_deg')]:
    m = structural_similarity(arrays[ref], arrays[test], gaussian_weights=True, sigma=1.5, use_sample_covariance=False)
    cases.append({'kind': 'ssim', 'input': D[ref], 'test': D[test], 'options': {}, 'value': float(m)})

with open(os.path.join(HERE, 'cases.json'), 'w') as f:
    json.dump(cases, f, indent=1)
total = sum(os.path.getsize(os.path.join(DATA, n)) for n in os.listdir(DATA))
print(len(cases), 'cases,', total, 'bytes')

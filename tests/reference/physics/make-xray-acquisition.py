#!/usr/bin/python3
"""Reference for src/physics/xray-acquisition.ts (expected images, noise off), written with
numpy and scipy.ndimage.gaussian_filter (mode 'reflect', truncate 4) from the model in the module
comment: P0 = N0 exp(-L); focal-spot blur with FWHM f (M - 1) / M in the object plane; scatter =
gaussian_filter(P0, sigma_s) scaled to SPR * mean(P0); grid Tp, Ts.
Input: a fixed 32 x 24 line-integral image (ellipses, spacing 1.4 x 2.5 mm).
Output: xray-acquisition.json. Run: /usr/bin/python3 tests/reference/physics/make-xray-acquisition.py
"""
import json, math, os
import numpy as np
from scipy.ndimage import gaussian_filter

HERE = os.path.dirname(os.path.abspath(__file__))
nx, ny, sx, sy = 32, 24, 1.4, 2.5
yy, xx = np.mgrid[0:ny, 0:nx]
L = 0.5 + 1.2 * (((xx - 16) / 13.0) ** 2 + ((yy - 12) / 10.0) ** 2 < 1) + 2.0 * (((xx - 20) / 3.0) ** 2 + ((yy - 8) / 2.0) ** 2 < 1)
L = L.astype(np.float64)
CASES = [
    dict(photonsPerPixel=1000.0, scatterToPrimary=0.0, scatterKernelMm=40.0, grid=None, magnification=1.0, focalSpotMm=0.0),
    dict(photonsPerPixel=5000.0, scatterToPrimary=2.0, scatterKernelMm=30.0, grid=None, magnification=1.0, focalSpotMm=0.0),
    dict(photonsPerPixel=5000.0, scatterToPrimary=2.0, scatterKernelMm=30.0, grid=dict(primaryTransmission=0.7, scatterTransmission=0.1), magnification=1.0, focalSpotMm=0.0),
    dict(photonsPerPixel=20000.0, scatterToPrimary=0.5, scatterKernelMm=60.0, grid=None, magnification=1.8, focalSpotMm=1.2),
]
FWHM_TO_SIGMA = 1 / (2 * math.sqrt(2 * math.log(2)))
out = []
for c in CASES:
    p0 = c['photonsPerPixel'] * np.exp(-L)
    u = c['focalSpotMm'] * (c['magnification'] - 1)
    if u > 0:
        s = u / c['magnification'] * FWHM_TO_SIGMA
        p0 = gaussian_filter(p0, sigma=(s / sy, s / sx), mode='reflect', truncate=4.0)  # numpy axes (rows y, cols x)
    s0 = np.zeros_like(p0)
    if c['scatterToPrimary'] > 0:
        s0 = gaussian_filter(p0, sigma=(c['scatterKernelMm'] / sy, c['scatterKernelMm'] / sx), mode='reflect', truncate=4.0)
        s0 *= c['scatterToPrimary'] * p0.mean() / s0.mean()
    tp, ts = (c['grid']['primaryTransmission'], c['grid']['scatterTransmission']) if c['grid'] else (1.0, 1.0)
    P, S = tp * p0, ts * s0
    out.append({'options': c, 'primary': [float('%.10g' % v) for v in P.ravel()], 'scatter': [float('%.10g' % v) for v in S.ravel()], 'spr': float(S.sum() / P.sum()), 'unsharpnessMm': u})
with open(os.path.join(HERE, 'xray-acquisition.json'), 'w') as f:
    json.dump({'size': [nx, ny], 'spacing': [sx, sy], 'lineIntegrals': L.ravel().tolist(), 'cases': out}, f, separators=(',', ':'))
print(len(out), 'cases', [round(o['spr'], 4) for o in out])

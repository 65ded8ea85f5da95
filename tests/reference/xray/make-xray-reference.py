"""Reference outputs for src/xray (chapter 2.3), from numpy / scipy / scikit-image.

Inputs are analytic (the same formulas are evaluated in tests/unit/xray), so only outputs are
stored. Run with /usr/bin/python3 (numpy 1.24, scipy 1.10, scikit-image 0.19.3):
    /usr/bin/python3 tests/reference/xray/make-xray-reference.py
"""
import json
import math
import os

import numpy as np
import scipy
import skimage
from scipy import ndimage as ndi
from skimage.transform import resize

HERE = os.path.dirname(os.path.abspath(__file__))
NX, NY = 32, 24
y, x = np.mgrid[0:NY, 0:NX].astype(np.float64)


def frames():
    """Analytic dark, gain, flood and raw frames (tests/unit/xray/frames.ts has the same)."""
    dark = 200 + 20 * np.sin(0.7 * x + 1.3 * y)
    gain = 1 + 0.1 * np.cos(0.37 * x) * np.sin(0.23 * y) + 0.03 * np.cos(2.1 * x)
    dead = [(3, 5), (17, 11), (30, 20)]          # (x, y): gain 0
    for (i, j) in dead:
        gain[j, i] = 0
    gain[:, 9] = 0.4                             # a weak column
    hot = [(8, 2), (25, 15)]
    for (i, j) in hot:
        dark[j, i] += 3000
    signal = 3000 * np.exp(-((x - 16) ** 2 + (y - 12) ** 2) / 150)
    flood = dark + gain * 5000
    raw = dark + gain * signal + 7 * np.sin(0.9 * x * y)
    return dark, gain, flood, raw


def flat_field(raw, dark=None, flood=None, min_gain=0.05):
    d = np.zeros_like(raw) if dark is None else dark
    if flood is None:
        return raw - d
    g = (flood - d) / np.mean(flood - d)
    return np.where(g >= min_gain, (raw - d) / np.where(g == 0, 1, g), 0)


def detect(dark, flood, k=6, tol=0.25):
    dev = np.abs(dark - np.median(dark))
    sigma = 1.4826 * np.median(dev)
    g = flood - dark
    return ((dev > k * sigma) | (np.abs(g / np.median(g) - 1) > tol)).astype(np.uint8)


def fill(img, mask, passes=16):
    """Median of the valid 8-neighbours, by scipy.ndimage.generic_filter(np.nanmedian); passes."""
    out = img.astype(np.float64).copy()
    out[mask > 0] = np.nan
    ring = np.ones((3, 3), bool)
    ring[1, 1] = False
    for _ in range(passes):
        todo = np.isnan(out)
        if not todo.any():
            break
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', RuntimeWarning)
            med = ndi.generic_filter(out, np.nanmedian, footprint=ring, mode='constant', cval=np.nan)
        out[todo] = med[todo]   # NaN where no valid neighbour: waits for the next pass
    return out


def pattern(nx, ny):
    """A fine line pattern (period 2.7 px, like grid lines) over smooth anatomy."""
    yy, xx = np.mgrid[0:ny, 0:nx].astype(np.float64)
    return 0.5 + 0.4 * np.sin(2 * math.pi * xx / 2.7) * (yy < 60) + 0.3 * np.cos(2 * math.pi * (xx + yy) / 4.1) + yy / 200


def r7(a):
    return [float(f'{v:.8g}') for v in np.asarray(a, dtype=np.float64).ravel()]


dark, gain, flood, raw = frames()
out = {
    'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'skimage': skimage.__version__},
    'size': [NX, NY],
    'flatField': r7(flat_field(raw, dark, flood)),
    'offsetOnly': r7(flat_field(raw, dark)),
    'gainOnly': r7(flat_field(raw, None, flood)),
}
mask = detect(dark, flood)
out['defects'] = [int(v) for v in mask.ravel()]
# A 3 × 3 cluster and the image border as well, to exercise the passes.
mask2 = mask.copy()
mask2[10:13, 20:23] = 1
mask2[0, 0:3] = 1
out['filled'] = r7(fill(flat_field(raw, dark, flood), mask2))
out['fillMask'] = [int(v) for v in mask2.ravel()]
# Percentile window and MONOCHROME1.
img = raw
lo, hi = np.percentile(img, [2, 98])
out['percentile'] = {'low': float(lo), 'high': float(hi), 'image': r7(np.clip((img - lo) / (hi - lo), 0, 1))}
out['invert'] = r7(img.min() + img.max() - img)
out['deviationIndex'] = [[ei, t, 10 * math.log10(ei / t)] for ei, t in [(250, 250), (500, 250), (125, 250), (315, 250), (1000, 300)]]
# scikit-image resize (order 1, anti-aliasing on / off); shapes are (rows, cols).
out['resize'] = []
for (inx, iny, nx, ny, aa) in [(160, 120, 48, 40, True), (160, 120, 70, 52, True), (160, 120, 48, 40, False), (64, 96, 64, 30, True)]:
    res = resize(pattern(inx, iny), (ny, nx), order=1, anti_aliasing=aa, mode='reflect')
    out['resize'].append({'input': [inx, iny], 'size': [nx, ny], 'antiAliasing': aa, 'image': r7(res)})
with open(os.path.join(HERE, 'xray-reference.json'), 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print('defects found', int(mask.sum()), 'json bytes', os.path.getsize(os.path.join(HERE, 'xray-reference.json')))

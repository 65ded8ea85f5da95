#!/usr/bin/python3
"""Independent numpy reference for Nyul-Udupa histogram standardisation, written from the papers
(Nyul & Udupa 1999 MRM 42(6):1072-1081; Nyul, Udupa & Zhang 2000 IEEE TMI 19(2):143-150):
landmarks = foreground percentiles (np.percentile, linear), training maps pc1 -> s1 and pc2 -> s2
linearly and averages the mapped landmarks; the transform is piecewise linear between landmarks
(np.interp) and continues the first / last segment outside them.

Run: /usr/bin/python3 tests/reference/intensity/make-nyul-reference.py
Writes tests/reference/intensity/nyul-reference.json."""
import gzip
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261202)


def percentiles(pc1, pc2, inner):
    return np.array([pc1, *inner, pc2], dtype=np.float64)


def landmarks(img, mask, percs):
    fg = img[mask > 0] if mask is not None else img[img > 0]
    return np.percentile(fg.astype(np.float64), percs)


def train(images, masks, percs, s1, s2):
    acc = np.zeros(len(percs))
    for img, m in zip(images, masks):
        lm = landmarks(img, m, percs)
        acc += s1 + (lm - lm[0]) / (lm[-1] - lm[0]) * (s2 - s1)
    return acc / len(images)


def transform(img, mask, percs, standard):
    x = landmarks(img, mask, percs)
    v = img.astype(np.float64)
    y = np.interp(v, x, standard)
    lo = v < x[0]
    hi = v > x[-1]
    y[lo] = standard[0] + (v[lo] - x[0]) * (standard[1] - standard[0]) / (x[1] - x[0])
    y[hi] = standard[-1] + (v[hi] - x[-1]) * (standard[-1] - standard[-2]) / (x[-1] - x[-2])
    return y.astype(np.float32)


out = {}

# 1. Synthetic float32 volumes with a zero background: three training scans, one test scan.
shape = (9, 8, 7)  # (z, y, x); flattened C order = x fastest
def synthetic(scale, power):
    v = rng.gamma(3.0, 20.0, size=shape) ** power * scale
    v[rng.random(shape) < 0.25] = 0
    return v.astype(np.float32)
train_imgs = [synthetic(1.0, 1.0), synthetic(2.5, 1.1), synthetic(0.7, 0.9)]
test_img = synthetic(1.8, 1.2)
mask_test = ((rng.random(shape) < 0.6) & (test_img > 0)).astype(np.uint8)
cases = []
for params in [{}, {'minPercentile': 2, 'maxPercentile': 98, 'landmarkPercentiles': [25, 50, 75], 'standardMin': 0, 'standardMax': 4095}]:
    percs = percentiles(params.get('minPercentile', 1), params.get('maxPercentile', 99), params.get('landmarkPercentiles', list(range(10, 100, 10))))
    s1, s2 = params.get('standardMin', 1), params.get('standardMax', 100)
    std = train(train_imgs, [None] * 3, percs, s1, s2)
    cases.append({
        'params': params,
        'percentiles': percs.tolist(),
        'standardScale': std.tolist(),
        'testLandmarks': landmarks(test_img, None, percs).tolist(),
        'transformed': transform(test_img, None, percs, std).astype(np.float64).ravel().tolist(),
        'transformedMasked': transform(test_img, mask_test, percs, std).astype(np.float64).ravel().tolist(),
    })
out['synthetic'] = {
    'shape': list(shape[::-1]),
    'train': [t.astype(np.float64).ravel().tolist() for t in train_imgs],
    'test': test_img.astype(np.float64).ravel().tolist(),
    'maskTest': mask_test.ravel().tolist(),
    'cases': cases,
}

# 2. Colin27 (ch2bet every 2nd voxel, uint8) and a noiseless "scanner change": gain 1.5, gamma 1.4
#    on M = max (simulateScannerChange without noise), trained on both, both transformed.
raw = np.frombuffer(gzip.open(os.path.join(HERE, 'ch2bet-stride2.u8.gz')).read(), dtype=np.uint8)
M = float(raw.max())
gain, gamma = 1.5, 1.4
changed = np.where(raw > 0, gain * M * np.power(raw.astype(np.float64) / M, gamma), 0.0).astype(np.float32)
mask = ((raw > 0) & (changed > 0)).astype(np.uint8)
percs = percentiles(1, 99, list(range(10, 100, 10)))
std = train([raw, changed], [mask, mask], percs, 1, 100)
ta = transform(raw, mask, percs, std)
tb = transform(changed, mask, percs, std)
sample = np.arange(0, raw.size, 997)
fg = mask.ravel() > 0
out['ch2bet'] = {
    'gain': gain, 'gamma': gamma, 'max': M,
    'percentiles': percs.tolist(),
    'standardScale': std.tolist(),
    'landmarksA': landmarks(raw, mask, percs).tolist(),
    'landmarksB': landmarks(changed, mask, percs).tolist(),
    'sampleIndices': sample.tolist(),
    'sampleA': ta.ravel()[sample].astype(np.float64).tolist(),
    'sampleB': tb.ravel()[sample].astype(np.float64).tolist(),
    'foregroundMeanA': float(ta.ravel()[fg].astype(np.float64).mean()),
    'foregroundMeanB': float(tb.ravel()[fg].astype(np.float64).mean()),
    'maxAbsDiffForeground': float(np.abs(ta.ravel()[fg].astype(np.float64) - tb.ravel()[fg].astype(np.float64)).max()),
    'numpy': np.__version__,
}

with open(os.path.join(HERE, 'nyul-reference.json'), 'w') as f:
    json.dump(out, f)
print('percentiles', percs, '\nstandard', std, '\nmax |A-B| fg', out['ch2bet']['maxAbsDiffForeground'])

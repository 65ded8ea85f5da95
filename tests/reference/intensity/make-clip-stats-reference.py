#!/usr/bin/python3
"""numpy reference for clipStatistics: counts below / above a clip range on a deterministic
int16 HU-like array. Run: /usr/bin/python3 tests/reference/intensity/make-clip-stats-reference.py
Writes tests/reference/intensity/clip-stats-reference.json."""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261202)
hu = rng.integers(-3024, 3072, size=(6, 7, 8)).astype(np.int16)
hu.flat[:6] = [-1200, 600, -1000, 400, -1024, 3071]   # values exactly on the preset bounds
floaty = rng.normal(0, 800, size=(5, 9)).astype(np.float32)

def stats(a, lo, hi):
    return {'lower': lo, 'upper': hi, 'belowCount': int((a < lo).sum()), 'aboveCount': int((a > hi).sum()),
            'total': int(a.size), 'belowFraction': float((a < lo).sum() / a.size), 'aboveFraction': float((a > hi).sum() / a.size),
            'min': float(a.min()), 'max': float(a.max())}

ranges = [(-1000, 400), (-1200, 600), (-1024, 3071), (-800, 0), (-1000.5, 400.5), (-5000, 5000)]
out = {
    'int16': {'shape': list(hu.shape[::-1]), 'input': hu.ravel().tolist(), 'cases': [stats(hu, lo, hi) for lo, hi in ranges]},
    'float32': {'shape': list(floaty.shape[::-1]), 'input': floaty.astype(np.float64).ravel().tolist(), 'cases': [stats(floaty, lo, hi) for lo, hi in ranges]},
}
with open(os.path.join(HERE, 'clip-stats-reference.json'), 'w') as f:
    json.dump(out, f)

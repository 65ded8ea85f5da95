"""Reference for pearsonCorrelation: numpy.corrcoef on small known arrays (with and without a
mask). Writes correlation.json. Run: /usr/bin/python3 tests/reference/metrics/correlation.py"""
import json
import os

import numpy as np

rng = np.random.default_rng(3)
cases = []
for size, noise in [((7, 5, 3), 0.3), ((11, 9), 2.0), ((6, 6, 4), 0.0)]:
    n = int(np.prod(size))
    a = rng.normal(5, 2, n).astype(np.float32)
    b = (0.7 * a - 3 + noise * rng.normal(0, 1, n)).astype(np.float32)
    mask = (rng.uniform(0, 1, n) > 0.4).astype(np.uint8)
    full = np.corrcoef(a.astype(np.float64), b.astype(np.float64))[0, 1]
    masked = np.corrcoef(a[mask > 0].astype(np.float64), b[mask > 0].astype(np.float64))[0, 1]
    cases.append({'size': list(size), 'a': a.astype(float).tolist(), 'b': b.astype(float).tolist(),
                  'mask': mask.tolist(), 'corrcoef': float(full), 'corrcoefMasked': float(masked)})
with open(os.path.join(os.path.dirname(__file__), 'correlation.json'), 'w') as f:
    json.dump(cases, f)
print('wrote', len(cases), 'cases')

#!/usr/bin/python3
"""Independent references for src/ultrasound (Debian python3-scipy, python3-numpy):
- envelopes |scipy.signal.hilbert(x, N)| of fixed RF signals (Gabor echoes plus noise from a seeded
  numpy generator): 4 signals of 256 samples (N = 256) and 3 of 200 samples (N = 256, cut to 200);
- the Rayleigh distribution's mean / standard deviation from scipy.stats.rayleigh.
Output: reference.json. Run: /usr/bin/python3 tests/reference/ultrasound/make-reference.py
"""
import json, os
import numpy as np
from scipy.signal import hilbert
from scipy.stats import rayleigh

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261202)

def rf(n):
    z = np.arange(n)
    x = 0.05 * rng.standard_normal(n)
    for _ in range(5):
        c, a, s, f = rng.uniform(0, n), rng.normal(), rng.uniform(3, 12), rng.uniform(0.05, 0.3)
        x += a * np.exp(-((z - c) ** 2) / (2 * s * s)) * np.cos(2 * np.pi * f * (z - c))
    return x

cases = []
for n, count in ((256, 4), (200, 3)):
    for _ in range(count):
        x = rf(n)
        env = np.abs(hilbert(x, N=256))[:n]
        cases.append({'n': n, 'N': 256, 'rf': x.tolist(), 'envelope': env.tolist()})
mean, var = rayleigh.stats(moments='mv')
out = {'hilbert': cases, 'rayleighSnr': float(mean / np.sqrt(var))}
with open(os.path.join(HERE, 'reference.json'), 'w') as f:
    json.dump(out, f)
print(len(cases), 'signals; Rayleigh SNR', out['rayleighSnr'])

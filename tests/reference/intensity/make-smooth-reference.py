#!/usr/bin/python3
"""Reference for smoothHistogram: the WhiteStripe R package's smooth_hist formulation, verbatim.

R (WhiteStripe/R/smooth_hist.R):
    knots <- quantile(x, seq(0, 1, length = k+2)[-c(1, k+2)])
    phi = cbind(sapply(0:deg, function(k) x^k), sapply(knots, function(k) ((x - k > 0) * (x - k)^deg)))
    fit = gam(y ~ X - 1, paraPen = list(X = diag(c(rep(0, deg+1), rep(1, k)))), method = "REML")
R and mgcv are not installed here, so this script evaluates the same model in 60-digit
arithmetic (mpmath; the truncated power basis is too ill-conditioned for float64) with mgcv's
REML criterion for a Gaussian model with unknown scale, profiled over the scale
(Wood 2011, JRSS-B 73:3-36):  (n - M_p) log D_p(lambda) + log|X'X + lambda D| - rank(D) log lambda,
D_p = ||y - X b||^2 + lambda b'Db, M_p = deg + 1. It checks the B-spline reparametrisation in
src/intensity/smooth-histogram.ts against the truncated power basis R uses.

Run: /usr/bin/python3 tests/reference/intensity/make-smooth-reference.py
Writes tests/reference/intensity/smooth-reference.json
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rsmooth import fit  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


rng = np.random.default_rng(7)
cases = []
# 1. bimodal counts on 60 equally spaced bin mids
x1 = np.arange(60) * 0.5 + 10.25
dens = 900 * np.exp(-0.5 * ((x1 - 20) / 3) ** 2) + 1400 * np.exp(-0.5 * ((x1 - 32) / 2.5) ** 2) + 40
y1 = rng.poisson(dens).astype(float)
cases.append(fit(x1, y1))
# 2. the same after removing rare bins (gaps in x), as get.last.mode does
keep = y1 >= 0.2 * y1.max()
cases.append(fit(x1[keep], y1[keep]))
# 3. case 1 in other intensity units (x * 2.7 + 100): same fit, lambda scaled by 2.7^-8
cases.append(fit(x1 * 2.7 + 100, y1))
# 4. a smooth-ish trimodal histogram with 120 bins and fewer knots
x4 = np.linspace(0, 1000, 120)
y4 = rng.poisson(300 * np.exp(-0.5 * ((x4 - 200) / 60) ** 2) + 500 * np.exp(-0.5 * ((x4 - 550) / 70) ** 2) + 450 * np.exp(-0.5 * ((x4 - 800) / 50) ** 2)).astype(float)
c4 = fit(x4, y4, k=25)
c4['k'] = 25
cases.append(c4)

with open(os.path.join(HERE, 'smooth-reference.json'), 'w') as f:
    json.dump({'cases': cases}, f, separators=(',', ':'))
for c in cases:
    print(len(c['x']), len(c['knots']), c['logLambda'])

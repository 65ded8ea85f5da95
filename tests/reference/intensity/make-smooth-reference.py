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

import mpmath as mp
import numpy as np

mp.mp.dps = 60
HERE = os.path.dirname(os.path.abspath(__file__))


def quantile7(xs, p):
    n = len(xs)
    idx = (n - 1) * p
    lo = int(np.floor(idx))
    hi = int(np.ceil(idx))
    q = xs[lo]
    if idx > lo and xs[hi] != q:
        h = idx - lo
        q = (1 - h) * q + h * xs[hi]
    return q


def fit(x, y, deg=4, k=None):
    n = len(x)
    if k is None:
        k = int(np.floor(min(250, n / 2)))
    knots = [quantile7(list(x), j / (k + 1)) for j in range(1, k + 1)]
    X = mp.matrix(n, deg + 1 + k)
    for i, xi in enumerate(x):
        xm = mp.mpf(xi)
        for d in range(deg + 1):
            X[i, d] = xm ** d
        for j, kn in enumerate(knots):
            X[i, deg + 1 + j] = (xm - kn) ** deg if xm - kn > 0 else mp.mpf(0)
    Y = mp.matrix([mp.mpf(v) for v in y])
    A = X.T * X
    b = X.T * Y
    p = deg + 1 + k

    def crit(rho):
        lam = mp.e ** rho
        M = A.copy()
        for j in range(deg + 1, p):
            M[j, j] += lam
        L = mp.cholesky(M)
        beta = mp.cholesky_solve(M, b)
        r = Y - X * beta
        dp = sum(v * v for v in r) + lam * sum(beta[j] ** 2 for j in range(deg + 1, p))
        logdet = 2 * sum(mp.log(L[i, i]) for i in range(p))
        return (n - deg - 1) * mp.log(dp) + logdet - k * rho, beta

    # grid then golden section on log lambda
    trA = sum(A[i, i] for i in range(p))
    rho0 = float(mp.log(trA / k))
    grid = [rho0 + r for r in range(-60, 21)]
    vals = [crit(r)[0] for r in grid]
    i0 = int(np.argmin([float(v) for v in vals]))
    a, c = grid[max(i0 - 1, 0)], grid[min(i0 + 1, len(grid) - 1)]
    g = (5 ** 0.5 - 1) / 2
    c1, c2 = c - g * (c - a), a + g * (c - a)
    f1, f2 = crit(c1)[0], crit(c2)[0]
    for _ in range(50):
        if f1 <= f2:
            c, c2, f2 = c2, c1, f1
            c1 = c - g * (c - a)
            f1 = crit(c1)[0]
        else:
            a, c1, f1 = c1, c2, f2
            c2 = a + g * (c - a)
            f2 = crit(c2)[0]
    rho = (a + c) / 2
    _, beta = crit(rho)
    fitted = X * beta
    # derivative, as get.deriv.smooth.hist(deriv.deg = 1)
    deriv = []
    for xi in x:
        xm = mp.mpf(xi)
        s = sum(d * beta[d] * xm ** (d - 1) for d in range(1, deg + 1))
        s += sum(deg * beta[deg + 1 + j] * (xm - kn) ** (deg - 1) for j, kn in enumerate(knots) if xm - kn > 0)
        deriv.append(float(s))
    return {'x': [float(v) for v in x], 'y': [float(v) for v in y], 'knots': [float(v) for v in knots],
            'logLambda': float(rho), 'fitted': [float(v) for v in fitted], 'derivative': deriv}


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

"""R WhiteStripe's smooth_hist model (truncated power basis, mgcv REML) in 60-digit arithmetic,
shared by make-smooth-reference.py and make-whitestripe-reference.py. See make-smooth-reference.py."""
import mpmath as mp
import numpy as np

mp.mp.dps = 60


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

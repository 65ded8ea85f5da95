#!/usr/bin/python3
"""numpy references for src/recon/data-consistency.ts.

k-space data consistency (Schlemper et al., IEEE TMI 37(2):491-503, 2018, eq. 9) on fixed inputs
(seeded numpy generator), centred k-space as numpy.fft.fftshift(numpy.fft.fft2(x)):
  k_out = (1 - m) F x + m (F x + lam y) / (1 + lam),  lam = inf: k_out = y where m = 1,
  x_out = ifft2(ifftshift(k_out)).
Sizes with an odd side check the shift convention. A CT gradient step x - eta A^T (A x - y) with
A the matrix of skimage.transform.radon (circle=True) built column by column from unit impulses,
A^T its transpose (independent of the library's radonTranspose).
Output: dc-reference.json. Run: /usr/bin/python3 tests/reference/dl-recon/make-dc-reference.py
"""
import json, os
import numpy as np
from skimage.transform import radon

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(33)
F = lambda x: np.fft.fftshift(np.fft.fft2(x))
Fi = lambda k: np.fft.ifft2(np.fft.ifftshift(k))


def flat(a):
    a = np.asarray(a)
    return a.ravel().tolist()


def cplx(a):
    a = np.asarray(a, dtype=complex).ravel()
    out = np.empty(2 * a.size)
    out[0::2] = a.real
    out[1::2] = a.imag
    return out.tolist()


cases = []
for ny, nx, complex_est in ((12, 16, False), (9, 10, True), (7, 5, False)):
    truth = rng.standard_normal((ny, nx))
    y_full = F(truth) + 0.05 * (rng.standard_normal((ny, nx)) + 1j * rng.standard_normal((ny, nx)))
    rows = rng.random(ny) < 0.4
    rows[ny // 2] = True
    mask = np.repeat(rows[:, None], nx, axis=1).astype(np.uint8)
    y = y_full * mask
    est = truth + 0.3 * rng.standard_normal((ny, nx))
    if complex_est:
        est = est + 0.2j * rng.standard_normal((ny, nx))
    outs = []
    for lam in (0.0, 0.5, 4.0, float('inf')):
        k = F(est)
        if np.isinf(lam):
            k_out = np.where(mask == 1, y, k)
        else:
            k_out = (1 - mask) * k + mask * (k + lam * y) / (1 + lam)
        x_out = Fi(k_out)
        res_in = np.sqrt(np.sum(np.abs(mask * (F(est) - y)) ** 2))
        res_out = np.sqrt(np.sum(np.abs(mask * (F(x_out) - y)) ** 2))
        outs.append({'lambda': 'inf' if np.isinf(lam) else lam, 'kspace': cplx(k_out), 'image': cplx(x_out),
                     'residualIn': float(res_in), 'residualOut': float(res_out)})
    cases.append({'size': [nx, ny], 'estimate': cplx(est) if complex_est else flat(est), 'complex': complex_est,
                  'measured': cplx(y), 'mask': flat(mask), 'outputs': outs})

# CT: system matrix of skimage's radon on 16 x 16, 6 views.
n, angles = 16, np.array([0.0, 30.0, 60.0, 90.0, 120.0, 150.0])
cols = []
for j in range(n * n):
    e = np.zeros(n * n)
    e[j] = 1
    cols.append(radon(e.reshape(n, n), theta=angles, circle=True).T.ravel())  # (view, bin) order = the library's sinogram
A = np.stack(cols, axis=1)
truth = np.zeros((n, n))
yy, xx = np.mgrid[:n, :n]
truth[(yy - 8) ** 2 + (xx - 7) ** 2 <= 16] = 1.0
truth[(yy - 6) ** 2 + (xx - 10) ** 2 <= 2] = 2.0
sino = A @ truth.ravel()
x0 = 0.5 * np.ones(n * n) + 0.1 * rng.standard_normal(n * n)
schur = 1 / (np.max(A.sum(axis=1)) * np.max(A.sum(axis=0)))
eta = 0.8 * schur
steps = []
x = x0.copy()
for it in range(3):
    x = x - eta * A.T @ (A @ x - sino)
    steps.append(flat(x))
ct = {'n': n, 'angles': angles.tolist(), 'sinogram': flat(sino), 'x0': flat(x0), 'eta': eta, 'steps': steps,
      'schurStep': schur, 'normSquared': float(np.linalg.norm(A, 2) ** 2),
      'residuals': [float(np.linalg.norm(A @ np.array(s) - sino)) for s in [x0.tolist()] + steps]}
with open(os.path.join(HERE, 'dc-reference.json'), 'w') as fh:
    json.dump({'kspace': cases, 'ct': ct}, fh)
print(len(cases), 'k-space cases; CT eta', eta, 'Schur step', schur, '1/||A||^2', 1 / ct['normSquared'], 'residuals', ct['residuals'])

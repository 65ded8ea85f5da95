#!/usr/bin/python3
"""References for src/mri/sampling.ts and src/mri/coils.ts, computed by bart (v0.8, on PATH) and
numpy/scipy on fixed inputs:

- the test object: a 48 x 32 complex image given by a formula (repeated in the unit test), its
  centred unitary k-space `bart fft -u 3`, partial Fourier 5/8 along y and
  `bart homodyne 1 0.625` (default ramp, -r 0.5, -C);
- zero-filling: `bart resize -c`;
- apodisation windows: scipy.signal.windows.hann / tukey (sym=False);
- POCS partial Fourier (Haacke et al. 1991) written out in numpy (same algorithm as the library);
- multi-coil: 4 coils of 8 x 6 random complex data and 64 correlated noise samples
  (numpy default_rng(3)): `bart whiten` (covariance, whitening matrix, output), `bart rss 8`,
  and Roemer's combination in numpy.

Run: /usr/bin/python3 tests/reference/mri-kspace/make-reference.py  -> reference.json
"""
import json, os, subprocess, sys, tempfile
import numpy as np
from scipy.signal import windows

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cfl import write_cfl, read_cfl  # noqa: E402

tmp = tempfile.mkdtemp(prefix='kspace-ref-')


def bart(*args):
    subprocess.run(['bart', *args], check=True, cwd=tmp)


def w(name, arr, dims):
    write_cfl(os.path.join(tmp, name), arr, dims)


def r(name):
    return read_cfl(os.path.join(tmp, name))[0]


def cplx(a):
    a = np.asarray(a).ravel()
    return {'re': [float('%.7g' % v) for v in a.real], 'im': [float('%.7g' % v) for v in a.imag]}


out = {}
nx, ny = 48, 32
y, x = np.mgrid[0:ny, 0:nx].astype(float)
u = (x - nx / 2) / (nx / 2)
v = (y - ny / 2) / (ny / 2)
mag = (u ** 2 / 0.49 + v ** 2 / 0.64 < 1) * (1 + 0.5 * np.cos(3 * np.pi * u) * np.sin(2 * np.pi * v)) \
    + 0.3 * np.exp(-((u - 0.2) ** 2 + (v + 0.1) ** 2) / 0.02)
img = mag * np.exp(1j * (0.9 * u - 0.6 * v + 0.5 * np.cos(np.pi * u * v)))
w('img', img, [nx, ny])
bart('fft', '-u', '3', 'img', 'kb')
kb = r('kb').reshape(ny, nx)
out['size'] = [nx, ny]
out['bartFft'] = cplx(kb)
frac = 0.625
end = int(np.ceil(frac * ny))
pf = kb.copy()
pf[end:, :] = 0
w('pf', pf, [nx, ny])
out['homodyne'] = {}
for key, opts in (('default', []), ('r05', ['-r', '0.5']), ('clear', ['-C'])):
    bart('homodyne', *opts, '1', str(frac), 'pf', 'hd')
    hd = r('hd').reshape(ny, nx)
    assert np.abs(hd.imag).max() == 0
    out['homodyne'][key] = [float('%.7g' % t) for t in hd.real.ravel()]

# POCS in numpy with the library's convention (k = fftshift(fft2(x)), x = ifft2(ifftshift(k))).
k = np.fft.fftshift(np.fft.fft2(img))
k[end:, :] = 0
start = ny - end
band = end - start
wy = np.zeros(ny)
wy[start:end] = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(band) + 0.5) / band)
low = np.fft.ifft2(np.fft.ifftshift(k * wy[:, None]))
ph = np.where(np.abs(low) > 0, low / np.where(np.abs(low) > 0, np.abs(low), 1), 1)
kk = k.copy()
for it in range(10):
    xx = np.abs(np.fft.ifft2(np.fft.ifftshift(kk))) * ph
    kk = np.fft.fftshift(np.fft.fft2(xx))
    kk[:end] = k[:end]
pocs = np.fft.ifft2(np.fft.ifftshift(kk))
out['pocs10'] = cplx(pocs)
out['pocsError'] = float(np.sqrt(np.mean((np.abs(pocs) - mag) ** 2)))
out['zeroFilledError'] = float(np.sqrt(np.mean((np.abs(np.fft.ifft2(np.fft.ifftshift(k))) - mag) ** 2)))

# Zero-filling (bart resize -c) of a 7 x 5 block of the k-space to 12 x 8.
small = kb[:5, :7]
w('small', small, [7, 5])
bart('resize', '-c', '0', '12', '1', '8', 'small', 'big')
out['resize'] = {'in': cplx(small), 'out': cplx(r('big'))}

out['windows'] = {
    'hann32': windows.hann(32, sym=False).tolist(), 'hann7': windows.hann(7, sym=False).tolist(),
    'tukey32_05': windows.tukey(32, 0.5, sym=False).tolist(), 'tukey48_03': windows.tukey(48, 0.3, sym=False).tolist(),
    'tukey9_08': windows.tukey(9, 0.8, sym=False).tolist(),
}

# Multi-coil.
rng = np.random.default_rng(3)
nc, ns, cx, cy = 4, 64, 8, 6
L = np.tril(rng.standard_normal((nc, nc)) + 1j * rng.standard_normal((nc, nc))) * 0.3 + np.eye(nc)
z = (rng.standard_normal((nc, ns)) + 1j * rng.standard_normal((nc, ns))) / np.sqrt(2)
noise = L @ z
data = rng.standard_normal((nc, cy, cx)) + 1j * rng.standard_normal((nc, cy, cx))
sens = rng.standard_normal((nc, cy, cx)) + 1j * rng.standard_normal((nc, cy, cx))
w('noise', noise, [ns, 1, 1, nc])
w('data', data, [cx, cy, 1, nc])
bart('whiten', 'data', 'noise', 'wh', 'optmat', 'covar')
bart('rss', '8', 'data', 'rss')
cov = r('covar').reshape(nc, nc).T  # bart stores [maps][coil]; cov[i][j] = sum x_i conj(x_j) / (n - 1)
opt = r('optmat').reshape(nc, nc)
Wn = np.linalg.inv(np.linalg.cholesky(cov.astype(complex)))
psi = noise @ noise.conj().T / (ns - 1)
Pi = np.linalg.inv(psi)
num = np.einsum('iyx,ij,jyx->yx', sens.conj(), Pi, data)
den = np.einsum('iyx,ij,jyx->yx', sens.conj(), Pi, sens)
out['coils'] = {
    'size': [cx, cy], 'noise': [cplx(n) for n in noise], 'data': [cplx(d) for d in data], 'sens': [cplx(s) for s in sens],
    'bartCovariance': cplx(cov), 'bartWhitened': [cplx(t) for t in r('wh').reshape(nc, cy, cx)],
    'bartRss': [float('%.7g' % t) for t in r('rss').real], 'numpyWhiteningMatrix': cplx(Wn),
    'numpyRoemer': cplx(num / den), 'bartOptmatMatchesNumpy': float(np.abs(opt - Wn).max()),
}
with open(os.path.join(HERE, 'reference.json'), 'w') as fh:
    json.dump(out, fh, separators=(',', ':'))
print('written', os.path.getsize(os.path.join(HERE, 'reference.json')), 'bytes; bart optmat vs numpy', out['coils']['bartOptmatMatchesNumpy'],
      'pocs rmse', out['pocsError'], 'zero-filled rmse', out['zeroFilledError'])

# SVD coil compression: `bart cc -p 2 -S -A` of 6 coils of 16 x 12 correlated complex data, and
# numpy's singular values; the virtual coils are unique up to a phase each, so their RSS is compared.
rng = np.random.default_rng(11)
base = rng.standard_normal((3, 12, 16)) + 1j * rng.standard_normal((3, 12, 16))
mixing = rng.standard_normal((6, 3)) + 1j * rng.standard_normal((6, 3))
cc_data = np.einsum('cj,jyx->cyx', mixing, base) + 0.1 * (rng.standard_normal((6, 12, 16)) + 1j * rng.standard_normal((6, 12, 16)))
w('ccdata', cc_data, [16, 12, 1, 6])
bart('cc', '-p', '2', '-S', '-A', 'ccdata', 'ccout')
cc_out, cc_dims = read_cfl(os.path.join(tmp, 'ccout'))
cc_out = cc_out.reshape(cc_dims[3], 12, 16)[:2]
sv = np.linalg.svd(cc_data.reshape(6, -1), compute_uv=False)
out['compression'] = {
    'size': [16, 12], 'data': [cplx(d) for d in cc_data], 'bartRss2': [float('%.7g' % t) for t in np.sqrt((np.abs(cc_out) ** 2).sum(0)).ravel()],
    'numpySingularValues': sv.tolist(), 'bartDims': cc_dims[:4],
}
with open(os.path.join(HERE, 'reference.json'), 'w') as fh:
    json.dump(out, fh, separators=(',', ':'))
print('compression: bart output dims', cc_dims[:4], 'singular values', np.round(sv, 3))

#!/usr/bin/python3
"""Reference outputs for src/recon (tests/unit/recon): scikit-image 0.19.3 (Debian
python3-skimage) radon / iradon / iradon_sart, and an independent numpy/scipy.sparse MLEM and
OSEM whose system matrix is built column by column from skimage's radon of unit impulses.

Inputs: skimage's shepp_logan_phantom() resized to 128² and 64² (skimage.transform.resize,
its defaults), a 48×64 crop of the 64² one (non-square), and slice z = 36 of the project's
thorax phantom (public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz, read with nibabel) taken
every second pixel (128²) as relative attenuation max(HU + 1000, 0) / 1000; the unit tests
read that slice with the library and check it against the checksum stored here.
Every input is rounded to float32 first (that is what the tests load) and computed on in
float64. Outputs: reference.json (cases) and reference.bin.gz (float32 arrays, gzip).

Run: /usr/bin/python3 tests/reference/recon/make-recon-reference.py   (about a minute)
"""
import gzip
import json
import os
import sys

import numpy as np
import scipy
import scipy.sparse as sp
import skimage
import nibabel as nib
from skimage.data import shepp_logan_phantom
from skimage.transform import iradon, iradon_sart, radon, resize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..', '..')
arrays = {}
blob = bytearray()


def store(name, a, dtype=np.float32):
    """Stores a 2D array (rows, cols) as an image of size [cols, rows] (x fastest)."""
    a = np.ascontiguousarray(np.asarray(a, dtype=dtype))
    arrays[name] = {'dtype': np.dtype(dtype).name, 'size': [int(a.shape[1]), int(a.shape[0])], 'offset': len(blob), 'byteLength': a.nbytes}
    blob.extend(a.tobytes())
    return a.astype(np.float64)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def rng_range(a):
    return float(np.max(a) - np.min(a))


# ---- inputs ---------------------------------------------------------------------------
phantom = shepp_logan_phantom()
store('phantom400_u8', np.round(phantom * 255), np.uint8)
sl128 = store('sl128', resize(phantom, (128, 128)))
sl64 = store('sl64', resize(phantom, (64, 64)))
rect = store('rect48x64', sl64[8:56, :])  # 48 rows, 64 columns

vol = nib.load(os.path.join(ROOT, 'public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz'))
hu = np.asanyarray(vol.dataobj).astype(np.float64) * float(vol.dataobj.slope or 1) + float(vol.dataobj.inter or 0)
z = 36
sl = hu[::2, ::2, z].T  # rows = y, columns = x, x fastest
thorax = f32(np.maximum(sl + 1000, 0) / 1000)  # not stored: the test reads it from the NIfTI
thorax_info = {'file': 'public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz', 'z': z, 'stride': 2,
               'sum': float(thorax.sum()), 'size': [int(thorax.shape[1]), int(thorax.shape[0])],
               'samples': [[int(x), int(y), float(thorax[y, x])] for x, y in [(64, 64), (30, 70), (100, 40), (5, 5)]]}

images = {'sl128': sl128, 'sl64': sl64, 'rect48x64': rect, 'thorax': thorax}

# ---- radon ----------------------------------------------------------------------------
radon_cases = []
def radon_case(name, image, theta, circle):
    s = radon(images[image], theta=theta, circle=circle)
    store(name, s.T)  # sinogram image: x = detector, y = view
    radon_cases.append({'name': name, 'image': image, 'angles': [float(t) for t in theta], 'circle': circle,
                        'output': name, 'range': rng_range(s)})
    return f32(s)

uniform = lambda n: np.linspace(0, 180, n, endpoint=False)
odd_angles = np.array([0, 7.5, 33.3, 45, 90, 121.7, 179, 200, -30, 12.25])
S128 = radon_case('radon_sl128_180_circle', 'sl128', np.arange(180).astype(float), True)
radon_case('radon_sl128_90_nocircle', 'sl128', uniform(90), False)
radon_case('radon_sl64_odd_circle', 'sl64', odd_angles, True)
radon_case('radon_rect_45_nocircle', 'rect48x64', uniform(45), False)
radon_case('radon_rect_45_circle', 'rect48x64', uniform(45), True)
T = radon_case('radon_thorax_120_nocircle', 'thorax', uniform(120), False)
S64 = radon_case('radon_sl64_100_circle', 'sl64', uniform(100), True)
S64n = radon_case('radon_sl64_60_nocircle', 'sl64', uniform(60), False)

# ---- iradon ---------------------------------------------------------------------------
iradon_cases = []
def iradon_case(name, sino_name, sino, theta, **kw):
    r = iradon(sino, theta=theta, **kw)
    store(name, r)
    iradon_cases.append({'name': name, 'sinogram': sino_name, 'angles': [float(t) for t in theta],
                         'filter': kw.get('filter_name', 'ramp'), 'interpolation': kw.get('interpolation', 'linear'),
                         'circle': kw.get('circle', True), 'outputSize': kw.get('output_size'), 'output': name,
                         'range': rng_range(r)})

for flt in ['ramp', 'shepp-logan', 'cosine', 'hamming', 'hann', None]:
    iradon_case(f'iradon_sl64_{flt}', 'radon_sl64_100_circle', S64, uniform(100), filter_name=flt)
iradon_case('iradon_sl64_ramp_nearest', 'radon_sl64_100_circle', S64, uniform(100), filter_name='ramp', interpolation='nearest')
iradon_case('iradon_sl64_hann_nearest', 'radon_sl64_100_circle', S64, uniform(100), filter_name='hann', interpolation='nearest')
iradon_case('iradon_sl64_nocircle', 'radon_sl64_60_nocircle', S64n, uniform(60), filter_name='ramp', circle=False)
iradon_case('iradon_sl64_size50', 'radon_sl64_100_circle', S64, uniform(100), filter_name='cosine', output_size=50)
iradon_case('iradon_sl128_ramp', 'radon_sl128_180_circle', S128, np.arange(180).astype(float), filter_name='ramp')
iradon_case('iradon_thorax_shepp', 'radon_thorax_120_nocircle', T, uniform(120), filter_name='shepp-logan', circle=False)

# Cut-off (the library's extension): skimage's own filter times |fftfreq| <= cutoff / 2, applied
# here with numpy exactly as iradon filters (circle=False: no diagonal padding), then skimage's
# unfiltered iradon back-projects the filtered views.
from skimage.transform.radon_transform import _get_fourier_filter as _gff
def cutoff_case(name, sino_name, sino, theta, flt, cutoff):
    n = sino.shape[0]
    P = max(64, int(2 ** np.ceil(np.log2(2 * n))))
    H = _gff(P, flt)[:, 0] * (np.abs(np.fft.fftfreq(P)) <= cutoff / 2)
    padded = np.pad(sino, ((0, P - n), (0, 0)))
    filtered = np.real(np.fft.ifft(np.fft.fft(padded, axis=0) * H[:, None], axis=0))[:n]
    r = iradon(filtered, theta=theta, filter_name=None, circle=False)
    store(name, r)
    iradon_cases.append({'name': name, 'sinogram': sino_name, 'angles': [float(t) for t in theta], 'filter': flt,
                         'interpolation': 'linear', 'circle': False, 'outputSize': None, 'cutoff': cutoff,
                         'output': name, 'range': rng_range(r)})

cutoff_case('iradon_sl64_hann_cutoff05', 'radon_sl64_60_nocircle', S64n, uniform(60), 'hann', 0.5)
cutoff_case('iradon_sl64_ramp_cutoff03', 'radon_sl64_60_nocircle', S64n, uniform(60), 'ramp', 0.3)

# The filters themselves on a 64-point FFT (skimage's private helper, for the figure's plot).
from skimage.transform.radon_transform import _get_fourier_filter
filters64 = {str(f): [float(v) for v in _get_fourier_filter(64, f)[:, 0]] for f in ['ramp', 'shepp-logan', 'cosine', 'hamming', 'hann', None]}

# ---- SART ------------------------------------------------------------------------------
S30 = radon_case('radon_sl64_30_circle', 'sl64', uniform(30), True)
sart_cases = []
x1 = iradon_sart(S30, theta=uniform(30))
store('sart_1', x1)
x2 = iradon_sart(S30, theta=uniform(30), image=x1)
store('sart_2', x2)
x3 = iradon_sart(S30, theta=uniform(30), image=x2, relaxation=0.3, clip=(0, 1))
store('sart_3_clip', x3)
sart_cases = [
    {'name': 'sart_1', 'sinogram': 'radon_sl64_30_circle', 'start': None, 'relaxation': 0.15, 'clip': None, 'range': rng_range(x1)},
    {'name': 'sart_2', 'sinogram': 'radon_sl64_30_circle', 'start': 'sart_1', 'relaxation': 0.15, 'clip': None, 'range': rng_range(x2)},
    {'name': 'sart_3_clip', 'sinogram': 'radon_sl64_30_circle', 'start': 'sart_2', 'relaxation': 0.3, 'clip': [0, 1], 'range': rng_range(x3)},
]
from skimage.transform.radon_transform import order_angles_golden_ratio
golden_orders = {'uniform30': [int(i) for i in order_angles_golden_ratio(uniform(30))],
                 'odd': [int(i) for i in order_angles_golden_ratio(odd_angles)]}

# ---- MLEM / OSEM with the radon system matrix ----------------------------------------
n, nv = 64, 30
theta = uniform(nv)
cols = []
for k in range(n * n):
    e = np.zeros(n * n)
    e[k] = 1
    col = radon(e.reshape(n, n), theta=theta, circle=True).T.ravel()  # view-major, like the sinogram image
    nz = np.nonzero(col)[0]
    cols.append((nz, col[nz]))
rows_i = np.concatenate([c[0] for c in cols])
cols_i = np.concatenate([np.full(len(c[0]), k) for k, c in enumerate(cols)])
vals = np.concatenate([c[1] for c in cols])
A = sp.csr_matrix((vals, (rows_i, cols_i)), shape=(n * nv, n * n))

truth = sl64 * 20
rs = np.random.default_rng(20261202)
counts = rs.poisson(A @ truth.ravel()).astype(np.float64)
store('mlem_counts', counts.reshape(nv, n))
y = f32(rs.random(n * nv))
store('adjoint_y', y.reshape(nv, n))
store('adjoint_ATy', (A.T @ y).reshape(n, n))
yy, xx = np.mgrid[:n, :n]
f0 = (((yy - n // 2) ** 2 + (xx - n // 2) ** 2) <= (n // 2) ** 2).astype(np.float64).ravel()


def loglik(f):
    q = A @ f
    return float(np.sum(np.where(q > 0, counts * np.log(np.where(q > 0, q, 1)) - q, 0)))


def em(iterations, subsets):
    f = f0.copy()
    view_of_row = np.arange(n * nv) // n
    subs = [np.nonzero(view_of_row % subsets == s)[0] for s in range(subsets)]
    mats = [A[rows] for rows in subs]
    sens = [M.T @ np.ones(M.shape[0]) for M in mats]
    ll = [loglik(f)]
    for _ in range(iterations):
        for s, M in enumerate(mats):
            q = M @ f
            ratio = np.where(q > 0, counts[subs[s]] / np.where(q > 0, q, 1), 0)
            back = M.T @ ratio
            f = np.where(sens[s] > 0, f * back / np.where(sens[s] > 0, sens[s], 1), f)
        ll.append(loglik(f))
    return f, ll


f_mlem, ll_mlem = em(10, 1)
store('mlem_10', f_mlem.reshape(n, n))
f_osem, ll_osem = em(2, 5)
store('osem_2x5', f_osem.reshape(n, n))
mlem_cases = {'angles': [float(t) for t in theta], 'counts': 'mlem_counts', 'total_counts': float(counts.sum()),
              'mlem': {'output': 'mlem_10', 'iterations': 10, 'subsets': 1, 'loglik': ll_mlem, 'range': rng_range(f_mlem)},
              'osem': {'output': 'osem_2x5', 'iterations': 2, 'subsets': 5, 'loglik': ll_osem, 'range': rng_range(f_osem)},
              'adjoint': {'y': 'adjoint_y', 'ATy': 'adjoint_ATy'}}

with gzip.open(os.path.join(HERE, 'reference.bin.gz'), 'wb', compresslevel=9) as fh:
    fh.write(bytes(blob))
with open(os.path.join(HERE, 'reference.json'), 'w') as fh:
    json.dump({'generator': f'make-recon-reference.py, scikit-image {skimage.__version__}, numpy {np.__version__}, scipy {scipy.__version__}',
               'arrays': arrays, 'thorax': thorax_info, 'radon': radon_cases, 'iradon': iradon_cases,
               'filters64': filters64, 'sart': sart_cases, 'goldenOrders': golden_orders, 'mlem': mlem_cases}, fh)
print('stored', len(arrays), 'arrays,', len(blob), 'bytes before gzip', file=sys.stderr)

#!/usr/bin/python3
"""Fixture and independent white-matter reference for whiteStripe.

1. Saves a stride-2 copy of the Colin27 brain-extracted T1 (mricron's ch2bet.nii.gz,
   181x217x181 uint8 -> 91x109x91) as raw uint8 (x fastest), gzip-compressed, with its geometry.
2. Runs the WhiteStripe R package's algorithm (whitestripe(type = "T1") + whitestripe_norm) in
   numpy, with R's smooth_hist model fitted in 60-digit arithmetic (rsmooth.py), on that fixture:
   histogram of 2000 equal bins over the foreground (right-closed, values within 1e-3 bin of a
   break go to the lower bin: whiteStripe's breaks: 'equal' option; R's own hist() with its
   pretty() breaks, the default, is checked against R itself by make-whitestripe-r-reference.R),
   rare bins (< max/5)
   dropped, last zero crossing of the smooth's derivative, stripe between the type-7 quantiles
   q -+ 0.05 (exclusive), mean and sample sd of the stripe.
3. Finds the white-matter intensity independently of WhiteStripe: 3-class k-means (CSF, GM, WM)
   of the brain voxels (> 0), initialised at the 10th/50th/90th percentiles, iterated to
   convergence with numpy. Records the class centres and each voxel's class (WM = brightest).

Run: /usr/bin/python3 tests/reference/intensity/make-whitestripe-reference.py
Writes tests/reference/intensity/ch2bet-stride2.u8.gz and ch2bet-stride2.json.
"""
import gzip
import json
import os

import sys

import nibabel as nib
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rsmooth import fit, quantile7  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = '/usr/share/mricron/templates/ch2bet.nii.gz'

img = nib.load(SRC)
vol = np.asarray(img.dataobj)[::2, ::2, ::2]
assert vol.dtype == np.uint8, vol.dtype
size = list(vol.shape)  # (x, y, z) in nibabel's index order
raw = np.ascontiguousarray(vol.transpose(2, 1, 0)).tobytes()  # x fastest
with open(os.path.join(HERE, 'ch2bet-stride2.u8.gz'), 'wb') as fo, gzip.GzipFile(fileobj=fo, mode='wb', compresslevel=9, mtime=0) as f:  # mtime 0: reproducible bytes
    f.write(raw)

brain = vol[vol > 0].astype(np.float64)
centres = np.percentile(brain, [10, 50, 90])
for _ in range(200):
    labels = np.argmin(np.abs(brain[:, None] - centres[None, :]), axis=1)
    new = np.array([brain[labels == k].mean() for k in range(3)])
    if np.allclose(new, centres, atol=1e-9):
        break
    centres = new
order = np.argsort(centres)
centres = centres[order]
# decision boundaries between classes (1-D k-means = nearest centre)
wm_threshold = (centres[1] + centres[2]) / 2



def whitestripe_t1(img, mask=None, foreground='aboveMean', width=0.05, bins=2000, rare=0.2):
    img = img.astype(np.float64).ravel()
    if mask is not None:
        voi = img[mask.ravel() > 0]
    elif foreground == 'aboveMean':
        voi = img[img > img.mean()]
    else:
        voi = img[img > 0]
    voi = np.sort(voi)
    vmin, vmax = voi[0], voi[-1]
    h = (vmax - vmin) / bins
    b = np.clip(np.ceil((voi - vmin) / h - 1e-3).astype(np.int64) - 1, 0, bins - 1)
    counts = np.bincount(b, minlength=bins).astype(np.float64)
    mids = vmin + (np.arange(bins) + 0.5) * h
    keep = ~(counts < rare * counts.max())
    x, y = mids[keep], counts[keep]
    sm = fit(x, y)
    d = np.array(sm['derivative'])
    crossings = np.nonzero((d[:-1] > 0) & ~(d[1:] > 0))[0]
    mode = float(x[crossings.max()])
    q = float(np.mean(voi < mode))
    lo = float(quantile7(voi, max(q - width, 0)))
    hi = float(quantile7(voi, min(q + width, 1)))
    stripe = (img > lo) & (img < hi)
    if mask is not None:
        stripe &= mask.ravel() > 0
    sel = img[stripe]
    return {'mode': mode, 'modeQuantile': q, 'stripeRange': [lo, hi], 'stripeVoxels': int(stripe.sum()),
            'mean': float(sel.mean()), 'std': float(sel.std(ddof=1)), 'fittedBins': int(keep.sum()),
            'logLambda': sm['logLambda']}


flat = np.ascontiguousarray(vol.transpose(2, 1, 0))
ws = {
    'aboveMean': whitestripe_t1(flat),
    'positive': whitestripe_t1(flat, foreground='positive'),
    'mask': whitestripe_t1(flat, mask=(flat > 0).astype(np.uint8)),
    'width0.1': whitestripe_t1(flat, width=0.1),
}

out = {
    'source': 'mricron templates/ch2bet.nii.gz (Colin27 brain-extracted T1), every 2nd voxel on each axis',
    'size': size,
    'spacing': [2.0, 2.0, 2.0],
    'componentType': 'uint8',
    'kmeansCentres': centres.tolist(),
    'wmThreshold': float(wm_threshold),
    'wmMean': float(brain[brain > wm_threshold].mean()),
    'wmStd': float(brain[brain > wm_threshold].std(ddof=1)),
    'brainVoxels': int(brain.size),
    'imageMean': float(vol.mean()),
    'whiteStripeT1': ws,
}
with open(os.path.join(HERE, 'ch2bet-stride2.json'), 'w') as f:
    json.dump(out, f, indent=1)
print(json.dumps(out, indent=1))

#!/usr/bin/python3
"""Fixture and independent white-matter reference for whiteStripe.

1. Saves a stride-2 copy of the Colin27 brain-extracted T1 (mricron's ch2bet.nii.gz,
   181x217x181 uint8 -> 91x109x91) as raw uint8 (x fastest), gzip-compressed, with its geometry.
2. Finds the white-matter intensity independently of WhiteStripe: 3-class k-means (CSF, GM, WM)
   of the brain voxels (> 0), initialised at the 10th/50th/90th percentiles, iterated to
   convergence with numpy. Records the class centres and each voxel's class (WM = brightest).

Run: /usr/bin/python3 tests/reference/intensity/make-whitestripe-reference.py
Writes tests/reference/intensity/ch2bet-stride2.u8.gz and ch2bet-stride2.json.
"""
import gzip
import json
import os

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = '/usr/share/mricron/templates/ch2bet.nii.gz'

img = nib.load(SRC)
vol = np.asarray(img.dataobj)[::2, ::2, ::2]
assert vol.dtype == np.uint8, vol.dtype
size = list(vol.shape)  # (x, y, z) in nibabel's index order
raw = np.ascontiguousarray(vol.transpose(2, 1, 0)).tobytes()  # x fastest
with gzip.open(os.path.join(HERE, 'ch2bet-stride2.u8.gz'), 'wb', compresslevel=9) as f:
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
}
with open(os.path.join(HERE, 'ch2bet-stride2.json'), 'w') as f:
    json.dump(out, f, indent=1)
print(json.dumps(out, indent=1))

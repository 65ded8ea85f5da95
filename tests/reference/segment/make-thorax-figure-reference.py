#!/usr/bin/python3
"""numpy / scipy / skimage references for the HU-clipping and metal figures of chapter 5.1, on the
figure copy of the thorax phantom (public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz, int16 HU).

- HU clipping: (a < lower).sum(), (a > upper).sum() for the figure's presets; np.histogram of all
  voxels with the figure's bins.
- Metal: scipy.ndimage.label(a >= t) (face connectivity, the default structure), checked equal to
  skimage.measure.label(connectivity=1); per component (raster order of first voxel, x fastest):
  voxels, mm^3, centroid in LPS mm (nibabel affine is RAS: x, y negated), voxel bounds.

Run: /usr/bin/python3 tests/reference/segment/make-thorax-figure-reference.py
Writes tests/reference/segment/thorax-figure-reference.json."""
import json
import os

import nibabel as nib
import numpy as np
import scipy
import skimage
from scipy import ndimage
from skimage import measure

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, '../../../public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz')
img = nib.load(SRC)
vol = np.asarray(img.dataobj)                    # (x, y, z)
zyx = np.ascontiguousarray(vol.transpose(2, 1, 0))  # C order = x fastest, as the library
spacing = [float(s) for s in img.header.get_zooms()]
voxel_mm3 = spacing[0] * spacing[1] * spacing[2]
affine = img.affine

out = {'source': 'thorax-1.4mm.nii.gz', 'size': list(vol.shape), 'spacing': spacing,
       'numpy': np.__version__, 'scipy': scipy.__version__, 'skimage': skimage.__version__}

clip = []
for lower, upper in [(-1200, 600), (-1000, 400), (-160, 240), (-1024, 3071), (-500, 1500)]:
    clip.append({'lower': lower, 'upper': upper, 'below': int((vol < lower).sum()), 'above': int((vol > upper).sum()), 'total': int(vol.size)})
out['clip'] = clip
counts, edges = np.histogram(vol, bins=310, range=(-1200, 5000))
out['histogram'] = {'bins': 310, 'min': -1200, 'max': 5000, 'counts': counts.tolist()}

metal = []
for t in [2000, 2500, 3000, 3500, 4000]:
    labels, n = ndimage.label(zyx >= t)
    sk = measure.label(zyx >= t, connectivity=1)
    assert n == sk.max() and np.array_equal(labels > 0, sk > 0)
    comps = []
    for k, sl in enumerate(ndimage.find_objects(labels), start=1):
        zz, yy, xx = np.nonzero(labels == k)
        ijk_centroid = np.array([xx.mean(), yy.mean(), zz.mean()])
        ras = affine[:3, :3] @ ijk_centroid + affine[:3, 3]
        comps.append({'voxels': int(len(xx)), 'mm3': len(xx) * voxel_mm3,
                      'centroidLps': [float(-ras[0]), float(-ras[1]), float(ras[2])],
                      'boundsMin': [int(xx.min()), int(yy.min()), int(zz.min())],
                      'boundsMax': [int(xx.max()), int(yy.max()), int(zz.max())]})
    metal.append({'threshold': t, 'components': comps, 'metalVoxels': int((zyx >= t).sum())})
out['metal'] = metal

with open(os.path.join(HERE, 'thorax-figure-reference.json'), 'w') as f:
    json.dump(out, f, indent=1)
print(json.dumps(clip), [(m['threshold'], [c['voxels'] for c in m['components']]) for m in metal])

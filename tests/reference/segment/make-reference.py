#!/usr/bin/python3
"""Reference outputs for src/segment, computed with scipy.ndimage 1.10 and skimage 0.19.

Run with the Debian Python: /usr/bin/python3 tests/reference/segment/make-reference.py
Writes data/*.bin.gz (gzipped raw little-endian, x fastest) and cases.json. Inputs are saved too,
since CI machines do not have the Debian data packages.
Arrays here are numpy (z, y, x) / (y, x), whose C order is the library's x-fastest order.
"""
import gzip
import json
import os

import nibabel as nib
import numpy as np
import pydicom
from scipy import ndimage as ndi
from skimage import morphology

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
os.makedirs(DATA, exist_ok=True)
cases = []
arrays = {}


def save(name, arr, dtype):
    """Saves an array once; returns its descriptor {file, dtype, size [nx, ny, (nz)]}.
    dtype 'bits' stores a 0/1 mask with np.packbits (MSB first) to keep the fixtures small."""
    size = list(arr.shape[::-1])
    if dtype == 'bits':
        assert arr.min() >= 0 and arr.max() <= 1
        raw = np.packbits(arr.astype(bool).ravel())
    else:
        raw = np.ascontiguousarray(arr.astype(dtype))
        dtype = np.dtype(dtype).name
    if name not in arrays:
        with gzip.GzipFile(os.path.join(DATA, name + '.bin.gz'), 'wb', mtime=0) as f:
            f.write(raw.tobytes())
        arrays[name] = True
    return {'file': name + '.bin.gz', 'dtype': dtype, 'size': size}


def structure(ndim, connectivity):
    rank = {4: 1, 8: 2, 6: 1, 18: 2, 26: 3}[connectivity]
    return ndi.generate_binary_structure(ndim, rank)


# ---------------------------------------------------------------- inputs
rng = np.random.default_rng(20261123)
# Random blobs: smoothed noise, thresholded: many components of every shape.
blobs3 = ndi.gaussian_filter(rng.standard_normal((32, 40, 48)), 1.2) > 0.12
blobs2 = ndi.gaussian_filter(rng.standard_normal((70, 64)), 1.0) > 0.15
# Sparse salt: isolated voxels touching only by edges / corners (tells 6 / 18 / 26 apart).
salt3 = rng.random((12, 14, 16)) < 0.22
salt2 = rng.random((30, 33)) < 0.3
# Designed diagonal-only chain.
diag = np.zeros((6, 7, 8), bool)
diag[0, 0, 0] = diag[1, 1, 1] = diag[2, 2, 1] = diag[2, 3, 2] = True  # corner, edge, edge
diag[4, 4, 4:7] = True
diag[5, 5, 6] = True  # edge neighbour of the run end
diag[5, 0, 7] = True
# Holes: hollow spheres, a cavity open to the border, a slice-wise ring.
zz, yy, xx = np.mgrid[0:30, 0:34, 0:38]
holes = ((zz - 14) ** 2 + (yy - 16) ** 2 + (xx - 18) ** 2 <= 100) & ((zz - 14) ** 2 + (yy - 16) ** 2 + (xx - 18) ** 2 > 20)
holes |= ((zz - 6) ** 2 + (yy - 6) ** 2 + (xx - 31) ** 2 <= 30)
holes[14:16, 15:18, 18] = True  # island inside the cavity
cyl = ((yy - 26) ** 2 + (xx - 8) ** 2 <= 25) & ((yy - 26) ** 2 + (xx - 8) ** 2 > 4)  # tube: holes only per slice
holes |= cyl & (zz >= 3) & (zz < 27)
holes[0, 0:5, 0:5] = True
holes[0, 1:4, 1:4] = False  # hole whose background touches the z border only
holes |= blobs3[:30, :34, :38] & (rng.random((30, 34, 38)) < 0.5) & (xx > 30)

# Real CT slice (HU).
ds = pydicom.dcmread('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm')
ct = (ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)).astype(np.int16)
# Colin27 T1 block (uint8), x 58:106, y 88:136, z 70:102.
colin = np.asarray(nib.load('/usr/share/mricron/templates/ch2.nii.gz').dataobj)[58:106, 88:136, 70:102]
colin = np.ascontiguousarray(colin.transpose(2, 1, 0)).astype(np.uint8)  # (z, y, x)
colin_mask = colin > 80
ct_bone = ct > 300

inputs = {
    'blobs3': (blobs3, 'bits'), 'blobs2': (blobs2, 'bits'), 'salt3': (salt3, 'bits'), 'salt2': (salt2, 'bits'),
    'diag': (diag, 'bits'), 'holes': (holes, 'bits'), 'ct': (ct, 'int16'), 'colin': (colin, 'uint8'),
}
desc = {k: save(k, a, t) for k, (a, t) in inputs.items()}

# ---------------------------------------------------------------- threshold (ITK BinaryThresholdImageFilter)
for name, lo, hi, inside, outside in [('ct', 200, 1200, 255, 3), ('ct', None, -500, 1, 0), ('colin', 80, None, 1, 0), ('ct', 0, 0, 7, 0)]:
    a = inputs[name][0].astype(np.float64)
    sel = np.ones(a.shape, bool)
    if lo is not None:
        sel &= a >= lo
    if hi is not None:
        sel &= a <= hi
    out = np.where(sel, inside, outside).astype(np.uint8)
    opts = {'insideValue': inside, 'outsideValue': outside}
    if lo is not None:
        opts['lower'] = lo
    if hi is not None:
        opts['upper'] = hi
    key = f'thr_{name}_{lo}_{hi}'.replace('-', 'm')
    cases.append({'kind': 'threshold', 'input': desc[name], 'options': opts, 'expected': save(key, out, 'uint8')})


# ---------------------------------------------------------------- connected components (scipy.ndimage.label)
def mask_input(name, mask):
    if name not in desc:
        desc[name] = save(name, mask, 'bits')
    return desc[name]


cc_inputs = [('blobs3', blobs3, [6, 18, 26]), ('salt3', salt3, [6, 18, 26]), ('diag', diag, [6, 18, 26]),
             ('blobs2', blobs2, [4, 8]), ('salt2', salt2, [4, 8]), ('ct_bone', ct_bone, [4, 8]),
             ('colin_mask', colin_mask, [6, 26])]
for name, mask, conns in cc_inputs:
    d = mask_input(name, mask)
    for c in conns:
        lab, n = ndi.label(mask, structure(mask.ndim, c))
        sizes = np.bincount(lab.ravel(), minlength=n + 1)[1:]
        cases.append({'kind': 'label', 'input': d, 'options': {'connectivity': c}, 'count': int(n),
                      'sizes': sizes.tolist(), 'expected': save(f'label_{name}_{c}', lab, 'uint16')})
        # ITK RelabelComponentImageFilter order: size descending, ties by original label.
        order = np.argsort(-sizes, kind='stable')
        keep = order[sizes[order] >= 5]
        new = np.zeros(n + 1, np.uint32)
        new[keep + 1] = np.arange(1, len(keep) + 1)
        cases.append({'kind': 'label', 'input': d, 'options': {'connectivity': c, 'relabelBySize': True, 'minimumSize': 5},
                      'count': int(len(keep)), 'sizes': sizes[keep].tolist(),
                      'expected': save(f'relabel_{name}_{c}', new[lab], 'uint16')})
        top = np.isin(lab, order[:3] + 1)
        cases.append({'kind': 'keepLargest', 'input': d, 'n': 3, 'options': {'connectivity': c},
                      'expected': save(f'keep3_{name}_{c}', top, 'bits')})


# ---------------------------------------------------------------- morphology
def ball_or_disk(ndim, r):
    return morphology.ball(r) if ndim == 3 else morphology.disk(r)


morph_inputs = [('blobs3', blobs3, [1, 2, 3, 7]), ('colin_mask', colin_mask, [1, 2]), ('ct_bone', ct_bone, [1, 2, 4, 8]),
                ('blobs2', blobs2, [1, 3]), ('holes', holes, [2])]
scipy_ops = {'erode': ndi.binary_erosion, 'dilate': ndi.binary_dilation, 'open': ndi.binary_opening, 'close': ndi.binary_closing}
for name, mask, radii in morph_inputs:
    d = mask_input(name, mask)
    for r in radii:
        se = ball_or_disk(mask.ndim, r)
        for op, fn in scipy_ops.items():
            out = fn(mask, structure=se, border_value=0)
            cases.append({'kind': 'morphology', 'input': d, 'options': {'operation': op, 'radius': r},
                          'reference': f'scipy.ndimage.binary_{op}(border_value=0)',
                          'expected': save(f'{op}_{name}_r{r}', out, 'bits')})
    r = radii[-1]
    se = ball_or_disk(mask.ndim, r)
    for op, fn in [('erode', morphology.binary_erosion), ('open', morphology.binary_opening), ('close', morphology.binary_closing)]:
        out = fn(mask, se)
        cases.append({'kind': 'morphology', 'input': d, 'options': {'operation': op, 'radius': r, 'borderValue': 1},
                      'reference': f'skimage.morphology.binary_{op}',
                      'expected': save(f'sk{op}_{name}_r{r}', out, 'bits')})

# Slice-wise disk on a 3D mask: structure of shape (1, 2r+1, 2r+1).
for op, fn in scipy_ops.items():
    out = fn(blobs3, structure=morphology.disk(2)[None], border_value=0)
    cases.append({'kind': 'morphology', 'input': desc['blobs3'], 'options': {'operation': op, 'radius': 2, 'slicewise': True},
                  'reference': f'scipy.ndimage.binary_{op}(disk(2)[None])', 'expected': save(f'{op}_blobs3_slice_r2', out, 'bits')})

# radiusMm on an anisotropic grid: offsets with sum((o_i s_i)^2) <= R^2.
spacing = (0.8, 0.9, 2.0)  # x, y, z
R = 2.5
ext = [int(np.floor(R / s)) for s in spacing[::-1]]  # z, y, x
oz, oy, ox = np.mgrid[-ext[0]:ext[0] + 1, -ext[1]:ext[1] + 1, -ext[2]:ext[2] + 1]
se_mm = (ox * spacing[0]) ** 2 + (oy * spacing[1]) ** 2 + (oz * spacing[2]) ** 2 <= R * R
for op in ['erode', 'dilate', 'close']:
    out = scipy_ops[op](colin_mask, structure=se_mm, border_value=0)
    cases.append({'kind': 'morphology', 'input': desc['colin_mask'], 'spacing': list(spacing),
                  'options': {'operation': op, 'radiusMm': R}, 'reference': f'scipy.ndimage.binary_{op}(ellipsoid)',
                  'expected': save(f'{op}_colin_mm', out, 'bits')})

# Fill holes.
for name, mask in [('holes', holes), ('blobs3', blobs3), ('ct_bone', ct_bone), ('blobs2', blobs2), ('colin_mask', colin_mask)]:
    d = mask_input(name, mask)
    conns = [6, 26] if mask.ndim == 3 else [4, 8]
    for c in conns:
        out = ndi.binary_fill_holes(mask, structure(mask.ndim, c))
        opts = {'operation': 'fillHoles'}
        if c not in (4, 6):
            opts['connectivity'] = c
        cases.append({'kind': 'morphology', 'input': d, 'options': opts, 'reference': 'scipy.ndimage.binary_fill_holes',
                      'expected': save(f'fill_{name}_{c}', out, 'bits')})
for name, mask in [('holes', holes), ('blobs3', blobs3)]:
    out = np.stack([ndi.binary_fill_holes(s) for s in mask])
    cases.append({'kind': 'morphology', 'input': desc[name], 'options': {'operation': 'fillHoles', 'slicewise': True},
                  'reference': 'scipy.ndimage.binary_fill_holes per slice', 'expected': save(f'fill_{name}_slice', out, 'bits')})


# ---------------------------------------------------------------- detectMetal
def detect_metal(img, thr, min_voxels, conn):
    lab, n = ndi.label(img >= thr, structure(img.ndim, conn))
    sizes = np.bincount(lab.ravel(), minlength=n + 1)
    keep = np.nonzero(sizes[1:] >= min_voxels)[0] + 1
    return np.isin(lab, keep), sizes[keep].tolist()


for img_name, thr, mv, conn in [('ct', 1000, 20, 4), ('ct', 800, 5, 8), ('colin', 120, 100, 6)]:
    img = inputs[img_name][0]
    m, sizes = detect_metal(img, thr, mv, conn)
    cases.append({'kind': 'metal', 'input': desc[img_name], 'options': {'threshold': thr, 'minVoxels': mv, 'connectivity': conn},
                  'sizes': sizes, 'expected': save(f'metal_{img_name}_{thr}', m, 'bits')})


# ---------------------------------------------------------------- segmentLungs on a synthetic thorax
def thorax(nz, ny, nx, seed):
    """Body ellipse (soft tissue), two lung ellipsoids with vessels, spine, trachea, table gap, noise."""
    g = np.random.default_rng(seed)
    z, y, x = np.mgrid[0:nz, 0:ny, 0:nx].astype(np.float64)
    cy, cx = ny / 2, nx / 2
    img = np.full((nz, ny, nx), -1000.0)
    body = ((y - cy) / (0.38 * ny)) ** 2 + ((x - cx) / (0.45 * nx)) ** 2 <= 1
    img[body] = 40
    for side in (-1, 1):
        lung = (((y - cy + 0.03 * ny) / (0.26 * ny)) ** 2 + ((x - cx - side * 0.2 * nx) / (0.15 * nx)) ** 2
                + ((z - nz * 0.55) / (0.7 * nz)) ** 2) <= 1
        img[lung] = -850
    vessels = ndi.gaussian_filter(g.standard_normal((nz, ny, nx)), 1.5) > 0.25
    img[vessels & (img < -800)] = 30
    trachea = ((y - cy + 0.15 * ny) ** 2 + (x - cx) ** 2 <= (0.04 * nx) ** 2) & (z > nz * 0.6)
    img[trachea] = -950
    spine = ((y - cy - 0.28 * ny) ** 2 + (x - cx) ** 2) <= (0.07 * nx) ** 2
    img[spine] = 700
    bowel = ((y - cy - 0.1 * ny) ** 2 + (x - cx + 0.05 * nx) ** 2 + (z - 1) ** 2) <= (0.03 * nx) ** 2
    img[bowel] = -900
    img += g.normal(0, 20, img.shape)
    return np.round(img).astype(np.int16)


def segment_lungs(img, thr=-500, radius=2, fraction=0.1):
    air = img < thr
    for k in range(air.shape[0]):
        lab, n = ndi.label(air[k])
        border = np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))
        air[k] &= ~np.isin(lab, border[border > 0])
    lab, n = ndi.label(air)
    sizes = np.bincount(lab.ravel(), minlength=n + 1)[1:]
    order = np.argsort(-sizes, kind='stable')
    keep = [order[0] + 1]
    if n > 1 and sizes[order[1]] >= fraction * sizes[order[0]]:
        keep.append(order[1] + 1)
    lungs = np.isin(lab, keep)
    se = morphology.ball(radius)
    lungs = ndi.binary_erosion(ndi.binary_dilation(lungs, se), se, border_value=1)
    return np.stack([ndi.binary_fill_holes(s) for s in lungs])


th = thorax(20, 72, 80, 7)
d = save('thorax', th, 'int16')
cases.append({'kind': 'lungs', 'input': d, 'options': {}, 'expected': save('lungs_thorax', segment_lungs(th), 'bits')})
cases.append({'kind': 'lungs', 'input': d, 'options': {'threshold': -400, 'closingRadius': 1},
              'expected': save('lungs_thorax_r1', segment_lungs(th, -400, 1), 'bits')})



def segment_lungs_2d(img, thr=-500, radius=2, fraction=0.1):
    air = img < thr
    lab, n = ndi.label(air)
    border = np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))
    air &= ~np.isin(lab, border[border > 0])
    lab, n = ndi.label(air)
    sizes = np.bincount(lab.ravel(), minlength=n + 1)[1:]
    order = np.argsort(-sizes, kind='stable')
    keep = [order[0] + 1]
    if n > 1 and sizes[order[1]] >= fraction * sizes[order[0]]:
        keep.append(order[1] + 1)
    se = morphology.disk(radius)
    lungs = ndi.binary_erosion(ndi.binary_dilation(np.isin(lab, keep), se), se, border_value=1)
    return ndi.binary_fill_holes(lungs)


th2 = th[12]
d2 = save('thorax_slice', th2, 'int16')
cases.append({'kind': 'lungs', 'input': d2, 'options': {}, 'expected': save('lungs_thorax_slice', segment_lungs_2d(th2), 'bits')})

with open(os.path.join(HERE, 'cases.json'), 'w') as f:
    json.dump(cases, f, indent=1)
total = sum(os.path.getsize(os.path.join(DATA, n)) for n in os.listdir(DATA))
print(len(cases), 'cases,', total, 'bytes')

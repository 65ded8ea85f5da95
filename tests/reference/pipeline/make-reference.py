#!/usr/bin/python3
"""Reference outputs for src/pipeline: the LUNA16-style CT recipe written independently with
numpy / scipy.ndimage 1.10 / skimage 0.19, on a decimated crop of the thorax phantom.

Run with the Debian Python: /usr/bin/python3 tests/reference/pipeline/make-reference.py
Writes data/*.bin.gz (gzipped raw little-endian, x fastest) and cases.json.
Arrays are numpy (z, y, x), whose C order is the library's x-fastest order.

The recipe (what runCtPipeline must match):
- resample: ITK ResampleImageFilter semantics with an identity transform and the input's origin and
  direction: output voxel i sits at continuous input index i * out_spacing / in_spacing; points
  outside [-0.5, n - 0.5) get -1024; linear interpolation clamps neighbours at the edges
  (scipy map_coordinates order=1, mode='nearest'); float32 output;
- lungs: threshold < -500, per-slice removal of air touching the slice border, the largest 3D
  component (plus the second if >= 10 % of it), closing with skimage ball(2) (erosion with border 1),
  per-slice hole filling;
- metal: >= threshold, components >= min voxels on the INPUT grid, then nearest-neighbour
  resampling of the mask (ITK rounds the continuous index half up);
- clip to [-1200, 600], then (v + 1200) / 1800 in float32 (checked in the test from the reference
  HU, which is stored; the normalised image itself is not, to keep the fixtures small);
- body histograms: body = largest face-connected component of HU > -500 with holes filled per
  slice; numpy.histogram of hu[body] and of clip(hu)[body] over 225 bins in [-1300, 3200].
"""
import gzip
import json
import os

import numpy as np
import pydicom
from scipy import ndimage as ndi
from skimage import morphology

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
PHANTOM = os.path.join(HERE, '..', '..', '..', 'public', 'data', 'ct-thorax-phantom')
os.makedirs(DATA, exist_ok=True)


def save(name, arr, dtype):
    size = list(arr.shape[::-1])
    if dtype == 'bits':
        raw = np.packbits(arr.astype(bool).ravel())
    else:
        raw = np.ascontiguousarray(arr.astype(dtype))
        dtype = np.dtype(dtype).name
    with gzip.GzipFile(os.path.join(DATA, name + '.bin.gz'), 'wb', mtime=0) as f:
        f.write(raw.tobytes())
    return {'file': name + '.bin.gz', 'dtype': dtype, 'size': size}


# ---------------------------------------------------------------- input: decimated phantom crop
index = json.load(open(os.path.join(PHANTOM, 'index.json')))
slices = [pydicom.dcmread(os.path.join(PHANTOM, f)) for f in index['files']]
slices.sort(key=lambda d: float(d.ImagePositionPatient[2]))
vol = np.stack([d.pixel_array.astype(np.float64) * float(d.RescaleSlope) + float(d.RescaleIntercept) for d in slices])
STEP = 6
Z0, Z1 = 16, 48
ct = np.round(vol[Z0:Z1, ::STEP, ::STEP]).astype(np.int16)
ps = [float(v) for v in slices[0].PixelSpacing]  # row, column spacing
spacing_in = [ps[1] * STEP, ps[0] * STEP, float(slices[1].ImagePositionPatient[2]) - float(slices[0].ImagePositionPatient[2])]
origin = [float(v) for v in slices[Z0].ImagePositionPatient]
nz, ny, nx = ct.shape


def resample(img, spacing_out, order, default):
    """ITK-style resampling onto the grid with the same origin, size round(n * s_in / s_out)."""
    size = [max(1, int(np.floor(n * si / so + 0.5))) for n, si, so in zip((nx, ny, nz), spacing_in, spacing_out)]
    c = [np.arange(size[a]) * spacing_out[a] / spacing_in[a] for a in range(3)]
    inside = [(c[a] >= -0.5) & (c[a] < (nx, ny, nz)[a] - 0.5) for a in range(3)]
    cz, cy, cx = np.meshgrid(c[2], c[1], c[0], indexing='ij')
    if order == 1:
        out = ndi.map_coordinates(img.astype(np.float64), [cz, cy, cx], order=1, mode='nearest')
    else:
        iz, iy, ix = [np.clip(np.floor(v + 0.5).astype(int), 0, n - 1) for v, n in ((cz, nz), (cy, ny), (cx, nx))]
        out = img[iz, iy, ix].astype(np.float64)
    mask = inside[2][:, None, None] & inside[1][None, :, None] & inside[0][None, None, :]
    out[~mask] = default
    return out, size


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


def detect_metal(img, thr, min_voxels):
    lab, n = ndi.label(img >= thr)
    sizes = np.bincount(lab.ravel(), minlength=n + 1)
    keep = np.nonzero(sizes[1:] >= min_voxels)[0] + 1
    return np.isin(lab, keep), len(keep)


def body_mask(hu):
    lab, n = ndi.label(hu > -500)
    sizes = np.bincount(lab.ravel(), minlength=n + 1)[1:]
    body = lab == (int(np.argmax(sizes)) + 1)
    return np.stack([ndi.binary_fill_holes(s) for s in body])


cases = []
inp = save('ct_crop', ct, 'int16')
for target, min_voxels, metal_thr in [([4.0, 4.0, 4.0], 5, 3000), ([3.5, 4.5, 3.0], 3, 2500)]:
    hu, size = resample(ct, target, 1, -1024.0)
    hu32 = hu.astype(np.float32)
    lungs = segment_lungs(hu32)
    metal_in, components = detect_metal(ct, metal_thr, min_voxels)
    metal, _ = resample(metal_in.astype(np.uint8), target, 0, 0)
    body = body_mask(hu32)
    before, edges = np.histogram(hu32[body], bins=225, range=(-1300, 3200))
    after, _ = np.histogram(np.clip(hu32, np.float32(-1200), np.float32(600))[body], bins=225, range=(-1300, 3200))
    tag = '_'.join(str(t).replace('.', 'p') for t in target)
    cases.append({
        'input': inp, 'spacing': spacing_in, 'origin': origin,
        'options': {'targetSpacing': target, 'metalMinVoxels': min_voxels, 'metalThreshold': metal_thr},
        'size': size,
        'hu': save(f'hu_{tag}', hu32, 'float32'),
        'lungs': save(f'lungs_{tag}', lungs, 'bits'),
        'metal': save(f'metal_{tag}', metal, 'bits'),
        'body': save(f'body_{tag}', body, 'bits'),
        'lungVoxels': int(lungs.sum()), 'metalVoxels': int(metal.sum()), 'metalComponents': components,
        'bodyVoxels': int(body.sum()),
        'histBefore': before.tolist(), 'histAfter': after.tolist(),
    })
    print(target, size, 'lungs', int(lungs.sum()), 'metal', int(metal.sum()), components, 'body', int(body.sum()))

json.dump({'generator': 'tests/reference/pipeline/make-reference.py (numpy, scipy.ndimage 1.10, skimage 0.19)', 'cases': cases},
          open(os.path.join(HERE, 'cases.json'), 'w'), indent=1)

#!/usr/bin/python3
"""Independent reference for src/physics/radiograph.ts, src/segment/lung-field.ts and
src/intensity/region-normalize.ts (Debian numpy, nibabel, scipy, scikit-image).

Run from the repository root:  /usr/bin/python3 tests/reference/physics/make-radiograph-reference.py

1. Projection: seeded random HU volumes with several direction matrices (identity LPS, axes
   permuted and flipped). The A-P axis is found by nibabel (RAS affine -> as_closest_canonical),
   the line integral is a numpy sum along RAS axis 1 times the spacing, and the picture is laid
   out as displayed (columns patient right -> left, rows superior -> inferior).
2. The phantom's radiograph (public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz) the same way,
   stored as float32 (drr-phantom.f32.gz, little-endian, row-major rows x columns): it is the
   committed input of the lung-field and normalisation tests (the phantom itself is gitignored).
3. Lung field on that float32 radiograph: skimage.filters.threshold_otsu, scipy.ndimage.label
   (4-connectivity), components touching the border dropped, two largest kept,
   scipy.ndimage.binary_closing with a disk of radius 3 (border 0), binary_fill_holes.
4. Region normalisation inside that mask: z-score (numpy mean / std ddof 0) and min-max.
"""
import gzip, json, os
import numpy as np
import nibabel as nib
from scipy import ndimage as ndi
from skimage.filters import threshold_otsu
from skimage.morphology import disk

HERE = os.path.dirname(os.path.abspath(__file__))
MU_WATER = 0.02059  # 1/mm, NIST SRD 126 Table 4, water at 60 keV (0.2059 cm^2/g)


def ras_affine(size, spacing, origin, direction_lps):
    d = np.array(direction_lps, float).reshape(3, 3)
    m = d @ np.diag(spacing)
    aff = np.eye(4)
    aff[:3, :3] = m
    aff[:3, 3] = origin
    flip = np.diag([-1, -1, 1, 1])  # LPS -> RAS
    return flip @ aff


def drr(volume_xyz, affine):
    """volume indexed [i, j, k] (x fastest in the TS buffer), nibabel-style affine (RAS)."""
    img = nib.Nifti1Image(volume_xyz, affine)
    canon = nib.as_closest_canonical(img)  # axes now R, A, S
    a = np.asarray(canon.dataobj).astype(np.float64)
    zooms = canon.header.get_zooms()
    mu = MU_WATER * np.maximum(0.0, 1.0 + a / 1000.0)
    p = mu.sum(axis=1) * zooms[1]  # [R index (toward right), S index (toward superior)]
    # Display: column 0 = patient's right -> reverse the R axis (index grows toward right);
    # row 0 = superior -> reverse the S axis.
    return p[::-1, ::-1].T  # rows x columns


def synthetic_cases():
    rng = np.random.default_rng(20261202)
    cases = []
    dirs = {
        'identity-LPS': [1, 0, 0, 0, 1, 0, 0, 0, 1],
        'RAS-stored (x, y flipped)': [-1, 0, 0, 0, -1, 0, 0, 0, 1],
        'axes permuted: i->S, j->R, k->A': [0, -1, 0, 0, 0, -1, 1, 0, 0],
        'axes permuted: i->P, j->I, k->L': [0, 0, 1, 1, 0, 0, 0, -1, 0],
    }
    for name, d in dirs.items():
        size = [9, 7, 5]
        spacing = [0.8, 1.7, 2.5]
        origin = [-10.0, 20.0, 5.0]
        hu = rng.integers(-1100, 2500, size=size[::-1]).astype(np.int16)  # [k, j, i] = C order of the TS buffer
        vol = hu.transpose(2, 1, 0)  # [i, j, k]
        ref = drr(vol, ras_affine(size, spacing, origin, d))
        cases.append({'name': name, 'size': size, 'spacing': spacing, 'origin': origin, 'direction': d,
                      'hu': hu.ravel().tolist(), 'expected': ref.ravel().tolist(), 'expectedSize': [ref.shape[1], ref.shape[0]]})
    return cases


def lung_field(img):
    t = threshold_otsu(img)
    dark = img <= t
    lab, n = ndi.label(dark)
    border = set(np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))) - {0}
    sizes = ndi.sum(np.ones_like(img), lab, index=np.arange(1, n + 1))
    order = [l for l in sorted(range(1, n + 1), key=lambda l: (-sizes[l - 1], l)) if l not in border][:2]
    mask = np.isin(lab, order)
    mask = ndi.binary_closing(mask, structure=disk(3), border_value=0)
    mask = ndi.binary_fill_holes(mask)
    return t, mask, [int(sizes[l - 1]) for l in order]


def write_gz(name, data):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))


def main():
    out = {'muWater': MU_WATER, 'projection': synthetic_cases()}
    phantom = os.path.join(HERE, '../../../public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz')
    im = nib.load(phantom)
    vol = np.asarray(im.dataobj)
    p = drr(vol, im.affine).astype(np.float32)
    write_gz('drr-phantom.f32.gz', p.astype('<f4').tobytes())
    img = p.astype(np.float64)
    t, mask, sizes = lung_field(img)
    write_gz('lung-field-phantom.u8.gz', mask.astype(np.uint8).tobytes())
    inside = img[mask]
    z = (img - inside.mean()) / inside.std()
    mm = np.clip((img - inside.min()) / (inside.max() - inside.min()), 0, 1)
    probe = [0, 1000, 5000, 9000, 12345, img.size - 1]
    out['phantom'] = {
        'size': [p.shape[1], p.shape[0]], 'spacing': [1.4, 2.5],
        'drrMin': float(img.min()), 'drrMax': float(img.max()), 'drrSum': float(img.sum()),
        'otsuThreshold': float(t), 'lungPixels': int(mask.sum()), 'componentSizes': sizes,
        'lungMean': float(inside.mean()), 'lungStd': float(inside.std()), 'lungMin': float(inside.min()), 'lungMax': float(inside.max()),
        'probe': probe, 'zscoreAtProbe': [float(z.ravel()[i]) for i in probe], 'minmaxAtProbe': [float(mm.ravel()[i]) for i in probe],
        'zscoreSum': float(z.sum()), 'minmaxSum': float(mm.sum()),
    }
    with open(os.path.join(HERE, 'radiograph-reference.json'), 'w') as f:
        json.dump(out, f)
    print(json.dumps(out['phantom'], indent=1))


if __name__ == '__main__':
    main()

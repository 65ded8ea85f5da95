"""Builds the N4 fixtures (run via make-reference.sh with /usr/bin/python3; needs the ITK tool
built in /tmp/itk-n4-build and the mricron Colin27 templates).

Fixture: Colin27 (ch2.nii.gz, with skull) block-averaged 3x3x3 to 60x72x60 (3 mm), multiplied
by a known smooth multiplicative field exp(p(x)) with p a low-order polynomial of the
normalised voxel coordinates (about +-25%). Brain mask: block-averaged ch2bet > 0 covering
> 50% of the block. White matter: the upper class of a 3-class Otsu (skimage
threshold_multiotsu) of the uncorrupted brain. ITK 5.2 N4 (tests/reference/bias/itk-n4) is run on
the same data and options; its full-resolution log bias field is stored as int16 (x 1e4).

Files (x fastest, gzip):
  image.f32.gz     corrupted image, float32
  mask.u8.gz       brain mask
  wm.u8.gz         white-matter mask (uncorrupted brain, upper Otsu class)
  itk_logbias_mask.i16.gz   ITK log bias field, run with the brain mask (shrink 2, 50x50x50x50)
  itk_logbias_otsu.i16.gz   ITK log bias field, run without mask (Otsu mask), shrink 2, 20x20x20
  slice2d.f32.gz, slice2d_mask.u8.gz, itk_logbias_2d.i16.gz  2D: axial slice 30, shrink 1, 50x50x50
  fixture.json     sizes, spacing, field polynomial, options, ITK thresholds/timings,
                   skimage threshold_otsu of the image.
"""
import gzip
import json
import os
import subprocess
import tempfile

import nibabel as nib
import numpy as np
from skimage.filters import threshold_multiotsu, threshold_otsu

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = '/tmp/itk-n4-build/n4'
SRC = '/usr/share/mricron/templates/'
SPACING = 3.0

# log field polynomial in normalised coordinates u = 2*i/(n-1) - 1 per axis (x, y, z):
# terms [cx, cy, cz, coefficient] mean coefficient * u^cx * v^cy * w^cz
FIELD = [
    [1, 0, 0, 0.16],
    [0, 1, 0, -0.12],
    [0, 0, 1, 0.10],
    [1, 1, 0, 0.08],
    [0, 0, 2, -0.12],
    [2, 0, 0, -0.06],
]


def block_mean(a, f):
    nx, ny, nz = (s // f for s in a.shape)
    a = a[: nx * f, : ny * f, : nz * f]
    return a.reshape(nx, f, ny, f, nz, f).mean(axis=(1, 3, 5))


def log_field(shape):
    grids = [2.0 * np.arange(n) / (n - 1) - 1.0 for n in shape]
    u, v, w = np.meshgrid(*grids, indexing='ij')
    out = np.zeros(shape)
    for cx, cy, cz, c in FIELD:
        out += c * u**cx * v**cy * w**cz
    return out


def save(name, arr, dtype):
    data = np.asarray(arr, dtype=dtype).ravel(order='F').tobytes()
    with gzip.open(os.path.join(HERE, name), 'wb', compresslevel=9) as f:
        f.write(data)


def nifti(path, arr):
    aff = np.diag([SPACING, SPACING, SPACING, 1.0])
    if arr.ndim == 2:
        aff = np.diag([SPACING, SPACING, 1.0, 1.0])
    nib.save(nib.Nifti1Image(arr, aff), path)


def run_itk(tmp, image, mask, shrink, iters, tag):
    img_path = os.path.join(tmp, f'{tag}_img.nii.gz')
    nifti(img_path, image.astype(np.float32))
    mask_arg = '-'
    if mask is not None:
        mask_arg = os.path.join(tmp, f'{tag}_mask.nii.gz')
        nifti(mask_arg, mask.astype(np.uint8))
    out_c = os.path.join(tmp, f'{tag}_corr.nii.gz')
    out_b = os.path.join(tmp, f'{tag}_bias.nii.gz')
    out_m = os.path.join(tmp, f'{tag}_otsu.nii.gz')
    args = [TOOL, img_path, mask_arg, str(shrink), iters, '0.001', '3', '4', '200', '0.15', '0.01', out_c, out_b, out_m]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    info = {}
    for line in out.strip().splitlines():
        k, v = line.split(' ', 1)
        info[k] = v
    bias = np.asarray(nib.load(out_b).get_fdata(), dtype=np.float64)
    otsu = np.asarray(nib.load(out_m).get_fdata()) > 0
    return bias, otsu, info


def main():
    t1 = np.asarray(nib.load(SRC + 'ch2.nii.gz').get_fdata(), dtype=np.float64)
    bet = np.asarray(nib.load(SRC + 'ch2bet.nii.gz').get_fdata(), dtype=np.float64)
    clean = block_mean(t1, 3)
    mask = block_mean((bet > 0).astype(np.float64), 3) > 0.5
    shape = clean.shape
    lf = log_field(shape)
    image = (clean * np.exp(lf)).astype(np.float32)

    brain = clean[mask]
    t_wm = threshold_multiotsu(brain, classes=3)[1]
    wm = mask & (clean > t_wm)

    meta = {
        'size': list(shape),
        'spacing': [SPACING] * 3,
        'field': FIELD,
        'fieldNote': 'log field = sum c * u^cx v^cy w^cz, u = 2*i/(n-1)-1 per axis',
        'wmThreshold': float(t_wm),
        'skimageOtsu200': float(threshold_otsu(image.astype(np.float64), nbins=200)),
        'skimageOtsu256': float(threshold_otsu(image.astype(np.float64), nbins=256)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        bias_m, _, info_m = run_itk(tmp, image, mask, 2, '50x50x50x50', 'mask')
        bias_o, otsu, info_o = run_itk(tmp, image, None, 2, '20x20x20', 'otsu')
        z = 30
        sl = image[:, :, z]
        slm = mask[:, :, z]
        bias_2d, _, info_2d = run_itk(tmp, sl, slm, 1, '50x50x50', 'slice')
    meta['itkMask'] = {'shrinkFactor': 2, 'numberOfIterations': [50, 50, 50, 50], **info_m}
    meta['itkOtsu'] = {'shrinkFactor': 2, 'numberOfIterations': [20, 20, 20], 'otsuMaskVoxels': int(otsu.sum()), **info_o}
    meta['itk2d'] = {'slice': z, 'size': list(sl.shape), 'shrinkFactor': 1, 'numberOfIterations': [50, 50, 50], **info_2d}
    meta['logBiasScale'] = 1e4

    save('image.f32.gz', image, np.float32)
    save('mask.u8.gz', mask, np.uint8)
    save('wm.u8.gz', wm, np.uint8)
    save('otsu_mask.u8.gz', otsu, np.uint8)
    save('itk_logbias_mask.i16.gz', np.round(np.log(bias_m) * 1e4), np.int16)
    save('itk_logbias_otsu.i16.gz', np.round(np.log(bias_o) * 1e4), np.int16)
    save('slice2d.f32.gz', sl, np.float32)
    save('slice2d_mask.u8.gz', slm, np.uint8)
    save('itk_logbias_2d.i16.gz', np.round(np.log(bias_2d) * 1e4), np.int16)
    with open(os.path.join(HERE, 'fixture.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta, indent=1))


if __name__ == '__main__':
    main()

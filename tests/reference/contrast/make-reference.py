#!/usr/bin/python3
"""
Reference outputs for src/contrast: OpenCV 4.6 (Debian python3-opencv) CLAHE
(cv2.createCLAHE(clipLimit, tileGridSize).apply) and global histogram equalization
(cv2.equalizeHist), on real and synthetic 8-bit images.

Run with the Debian interpreter (it has cv2, nibabel, pydicom):
    /usr/bin/python3 tests/reference/contrast/make-reference.py

Writes, next to this script:
  reference.json   index: arrays (name, dtype, size [x, y(, z)], byte offset/length) and cases
  reference.bin.gz every array, x fastest (numpy C order of a (rows, cols) array), gzip-compressed

The inputs are saved too, so the unit tests need neither the Debian data packages nor OpenCV.
"""
import gzip
import json
import os

import cv2
import nibabel
import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
COLIN = '/usr/share/mricron/templates/ch2.nii.gz'
if not os.path.exists(COLIN):  # the same file ships with the site (public/data/README.md)
    COLIN = os.path.join(HERE, '../../../public/data/ch2.nii.gz')
CT = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm'

cv2.setNumThreads(1)
blob = bytearray()
arrays = {}


def add(name, arr):
    """Stores an array (2D (rows, cols) or 3D (slices, rows, cols)); size is reported x first."""
    global blob
    assert name not in arrays
    arr = np.ascontiguousarray(arr)
    while len(blob) % 8:
        blob.append(0)
    arrays[name] = {
        'dtype': str(arr.dtype),
        'size': list(arr.shape[::-1]),
        'offset': len(blob),
        'byteLength': arr.nbytes,
    }
    blob += arr.tobytes()
    return name


def minmax_u8(a):
    a = a.astype(np.float64)
    return np.floor((a - a.min()) / (a.max() - a.min()) * 255 + 0.5).astype(np.uint8)


def map_to_u8(a, lo=None, hi=None):
    """The mapping src/contrast/uint8-input.ts documents: linear (v - lo) / (hi - lo) * 255, clipped
    to 0..255, rounded half up; lo/hi = min/max of the image unless a window gives them."""
    a = a.astype(np.float64)
    if lo is None:
        lo, hi = float(a.min()), float(a.max())
    t = (a - lo) / (hi - lo) * 255
    return np.floor(np.clip(t, 0, 255) + 0.5).astype(np.uint8)


def dicom_linear_u8(a, c, w):
    """DICOM PS3.3 C.11.2.1.2.1 LINEAR VOI LUT onto 0..255, rounded half up (what applyWindow does)."""
    a = a.astype(np.float64)
    y = ((a - (c - 0.5)) / (w - 1) + 0.5) * 255
    y = np.where(a <= c - 0.5 - (w - 1) / 2, 0, np.where(a > c - 0.5 + (w - 1) / 2, 255, y))
    return np.floor(y + 0.5).astype(np.uint8)


# ---------------------------------------------------------------- inputs
rng = np.random.default_rng(20261123)


def synthetic(w, h, seed):
    """Low-contrast gradient + Gaussian noise + a few soft blobs (what CLAHE is meant for)."""
    r = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = 40 + 120 * x / max(w - 1, 1) + 50 * y / max(h - 1, 1)
    for _ in range(4):
        cx, cy, s, amp = r.uniform(0, w), r.uniform(0, h), r.uniform(0.05, 0.3) * max(w, h), r.uniform(-60, 60)
        img += amp * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s))
    img += r.normal(0, 6, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


vol = np.asarray(nibabel.load(COLIN).dataobj)  # (181, 217, 181), i fastest on disk
colin_slice = minmax_u8(vol[:, :, 90].T)  # rows = j, cols = i: 181 wide, 217 high
ct_raw = pydicom.dcmread(CT).pixel_array.astype(np.int16)  # 128 x 128 stored values
ct_u8 = minmax_u8(ct_raw)

inputs = {
    'colin_181x217': colin_slice,
    'ct_128x128': ct_u8,
    'synth_512x512': synthetic(512, 512, 1),
    'synth_300x200': synthetic(300, 200, 2),
    'synth_256x250': synthetic(256, 250, 3),  # x divisible by 8, y not: OpenCV pads both
    'synth_127x93': synthetic(127, 93, 4),
    'synth_64x64': synthetic(64, 64, 5),
    'synth_10x7': synthetic(10, 7, 6),
    'synth_5x5': synthetic(5, 5, 7),  # 16x16 tiles: padding longer than the image
    'synth_3x2': synthetic(3, 2, 8),
    'synth_9x1': synthetic(9, 1, 9),  # a single row
    'uniform_noise_96x80': rng.integers(0, 256, (80, 96), dtype=np.uint8),
    'two_level_40x30': np.where(rng.random((30, 40)) < 0.3, 200, 30).astype(np.uint8),
    'constant_33x17': np.full((17, 33), 77, np.uint8),
    # Power-of-two tiles for many grids (the exact integer interpolation path), and sizes the
    # grids do not divide (OpenCV pads with reflect-101; 252 % 8 = 4, 130 % 8 = 2).
    'synth_256x256': synthetic(256, 256, 10),
    'synth_252x130': synthetic(252, 130, 11),
}
for k, v in inputs.items():
    add(k, v)

CLIPS = [0, 1, 2, 4, 40]
GRIDS = [(8, 8), (4, 4), (2, 3), (16, 16), (1, 1)]
ALL = [(c, g) for c in CLIPS for g in GRIDS]
EXTRA = [(0.5, (8, 8)), (3.7, (4, 4)), (-1, (8, 8)), (0.01, (2, 3)), (2.5, (3, 5)), (1.5, (7, 2)),
         (1e12, (8, 8))]  # beyond int range: OpenCV's cast yields INT_MIN, i.e. clip limit 1

plan = {
    'ct_128x128': ALL,
    'synth_127x93': ALL + EXTRA,
    'synth_64x64': ALL + EXTRA,
    'synth_10x7': ALL + EXTRA,
    'synth_5x5': [(2, (16, 16)), (40, (8, 8)), (0, (4, 4))],
    'synth_3x2': [(2, (8, 8)), (1, (2, 3)), (40, (16, 16))],
    'synth_9x1': [(2, (2, 3)), (4, (8, 8)), (2, (1, 1))],
    'colin_181x217': [(2, (8, 8)), (40, (8, 8)), (4, (16, 16)), (0, (2, 3)), (1, (4, 4)), (2, (1, 1))],
    'synth_300x200': [(2, (8, 8)), (4, (16, 16)), (40, (4, 4)), (1, (2, 3))],
    'synth_256x250': [(2, (8, 8)), (4, (4, 4))],
    'synth_512x512': [(2, (8, 8))],
    'uniform_noise_96x80': [(2, (8, 8)), (4, (4, 4)), (0, (8, 8))],
    'two_level_40x30': [(2, (8, 8)), (40, (2, 3))],
    'constant_33x17': [(2, (8, 8)), (0, (4, 4))],
    'synth_256x256': [(2, (8, 8)), (1, (16, 16)), (4, (4, 4)), (40, (2, 2)), (0, (1, 1)), (2, (8, 4)),
                      (3, (32, 32)), (0.5, (8, 8)), (2, (7, 7)), (4, (5, 3)), (1e12, (4, 8))],
    'synth_252x130': [(2, (8, 8)), (4, (6, 5)), (1, (16, 16)), (0, (4, 2))],
}

clahe_cases = []
for name, params in plan.items():
    for clip, grid in params:
        out = cv2.createCLAHE(clipLimit=float(clip), tileGridSize=grid).apply(inputs[name])
        key = add(f'clahe_{name}_c{clip}_g{grid[0]}x{grid[1]}', out)
        clahe_cases.append({'input': name, 'clipLimit': clip, 'tileGridSize': list(grid), 'output': key})

eq_cases = []
for name, img in inputs.items():
    if name == 'synth_512x512':
        continue  # keeps the fixture small; covered by the other sizes
    eq_cases.append({'input': name, 'output': add(f'equalize_{name}', cv2.equalizeHist(img))})

# Non-8-bit input: stored CT values (int16) and a float32 version, mapped to 0..255 first.
add('ct_raw_int16', ct_raw)
ct_float = (ct_raw.astype(np.float32) * np.float32(0.37) - np.float32(12.5)).astype(np.float32)
add('ct_float32', ct_float)
mapping_cases = []
for inp, src, window in [
    ('ct_raw_int16', ct_raw, None),
    ('ct_raw_int16', ct_raw, {'center': 1064, 'width': 400}),  # soft-tissue window (HU 40/400 + 1024)
    ('ct_float32', ct_float, None),
    ('ct_float32', ct_float, {'center': 300.5, 'width': 250.25}),
]:
    mapped = dicom_linear_u8(src, window['center'], window['width']) if window else map_to_u8(src)
    tag = f"{inp}_{'window' if window else 'minmax'}"
    mapping_cases.append({
        'input': inp,
        'window': window,
        'mapped': add(f'mapped_{tag}', mapped),
        'clipLimit': 2,
        'tileGridSize': [8, 8],
        'output': add(f'clahe_{tag}', cv2.createCLAHE(2.0, (8, 8)).apply(mapped)),
        'equalized': add(f'equalize_{tag}', cv2.equalizeHist(mapped)),
    })

# 3D: four axial slices of Colin27 (cropped), each slice processed by OpenCV on its own.
sub = vol[40:136, 50:130, 88:92].transpose(2, 1, 0)  # (z, y, x) = (4, 80, 96)
vol_u8 = minmax_u8(sub)
add('colin_3d_96x80x4', vol_u8)
out3d = np.stack([cv2.createCLAHE(3.0, (4, 4)).apply(s) for s in vol_u8])
volume_cases = [{
    'input': 'colin_3d_96x80x4', 'clipLimit': 3, 'tileGridSize': [4, 4],
    'output': add('clahe_colin_3d_96x80x4', out3d),
    'equalized': add('equalize_colin_3d_96x80x4', np.stack([cv2.equalizeHist(s) for s in vol_u8])),
}]

raw = bytes(blob)
with gzip.open(os.path.join(HERE, 'reference.bin.gz'), 'wb', compresslevel=9) as f:
    f.write(raw)
with open(os.path.join(HERE, 'reference.json'), 'w') as f:
    json.dump({
        'generator': f'tests/reference/contrast/make-reference.py, OpenCV {cv2.__version__}, numpy {np.__version__}',
        'arrays': arrays,
        'clahe': clahe_cases,
        'equalizeHist': eq_cases,
        'mapping': mapping_cases,
        'volume': volume_cases,
    }, f, indent=1)
print(f'{len(arrays)} arrays, {len(raw)} bytes raw, '
      f"{os.path.getsize(os.path.join(HERE, 'reference.bin.gz'))} bytes gzip, {len(clahe_cases)} CLAHE cases")

#!/usr/bin/python3
"""Reference outputs for the 1.6 figure "the same operation in other tools", computed here by the
tools themselves (Debian python3-opencv 4.6, python3-skimage 0.19, numpy, nibabel, pydicom) on two
of the site's samples, and shipped with the site so the figure can compare them, pixel by pixel,
with what the library computes in the reader's browser:
- colin-slice.u8: axial slice z = 90 of public/data/ch2.nii.gz (181 x 217, uint8, x fastest);
- colin-clahe-opencv.u8: cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(slice);
- colin-equalize-opencv.u8: cv2.equalizeHist(slice);
- colin-otsu-skimage.u8: slice > skimage.filters.threshold_otsu(slice) (the threshold in index.json);
- ct-small-hu.i16: public/data/CT_small.dcm in HU (pixel_array * RescaleSlope + RescaleIntercept);
- ct-small-window-numpy.f32: the PS3.3 C.11.2.1.2 LINEAR window (c 40, w 400) onto 0..255, as numpy:
  np.clip((x - (c - 0.5)) / (w - 1) + 0.5, 0, 1) * 255.
Run: /usr/bin/python3 tests/reference/tools/make-tool-checks.py   (writes public/data/tool-checks/)
"""
import json, os
import cv2
import nibabel
import numpy as np
import pydicom
import skimage
from skimage.filters import threshold_otsu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '../../..'))
OUT = os.path.join(ROOT, 'public/data/tool-checks')
os.makedirs(OUT, exist_ok=True)
cv2.setNumThreads(1)

def save(name, arr):
    arr = np.ascontiguousarray(arr)
    arr.tofile(os.path.join(OUT, name))
    return {'file': name, 'dtype': str(arr.dtype), 'size': [int(arr.shape[1]), int(arr.shape[0])]}

vol = np.asanyarray(nibabel.load(os.path.join(ROOT, 'public/data/ch2.nii.gz')).dataobj)
colin = np.ascontiguousarray(vol[:, :, 90].T.astype(np.uint8))  # rows = y, columns = x
t = float(threshold_otsu(colin))
ds = pydicom.dcmread(os.path.join(ROOT, 'public/data/CT_small.dcm'))
hu = (ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)).astype(np.int16)
c, w = 40.0, 400.0
win = (np.clip((hu.astype(np.float64) - (c - 0.5)) / (w - 1) + 0.5, 0, 1) * 255).astype(np.float32)
index = {
    'generator': 'tests/reference/tools/make-tool-checks.py',
    'versions': {'opencv': cv2.__version__, 'skimage': skimage.__version__, 'numpy': np.__version__, 'nibabel': nibabel.__version__, 'pydicom': pydicom.__version__},
    'colinSlice': save('colin-slice.u8', colin),
    'clahe': save('colin-clahe-opencv.u8', cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(colin)),
    'equalize': save('colin-equalize-opencv.u8', cv2.equalizeHist(colin)),
    'otsu': dict(save('colin-otsu-skimage.u8', (colin > t).astype(np.uint8)), threshold=t),
    'ctHu': save('ct-small-hu.i16', hu),
    'window': dict(save('ct-small-window-numpy.f32', win), center=c, width=w),
    # threshold_otsu of integer arrays bins per integer value; of float arrays 256 equal bins
    'otsuCtInt16': float(threshold_otsu(hu)),
    'otsuCtFloat': float(threshold_otsu(hu.astype(np.float64))),
}
with open(os.path.join(OUT, 'index.json'), 'w') as f:
    json.dump(index, f, indent=1)
print(json.dumps(index['versions']), 'otsu', t)

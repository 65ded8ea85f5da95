#!/usr/bin/python3
"""Render the README preview of the thorax phantom (public/data/ct-thorax-phantom-preview.png).

Reads the series with pydicom (sorted by ImagePositionPatient, not by file name), applies the
usual chest windows and writes a 2×2 panel with OpenCV:
  lung window (-600/1500) through nodule N1 and through the part-solid nodule N3,
  mediastinal window (50/350) through the ventricles and through the pedicle screws (streaks).
Usage: /usr/bin/python3 tests/reference/phantom/render-preview.py [seriesDir] [out.png]
"""
import glob
import os
import sys

import cv2
import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
series = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'public', 'data', 'ct-thorax-phantom')
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, '..', '..', '..', 'public', 'data', 'ct-thorax-phantom-preview.png')

by_name = {os.path.basename(f): pydicom.dcmread(f) for f in glob.glob(os.path.join(series, '*.dcm'))}


def hu(name):
    ds = by_name[name]
    return ds.pixel_array.astype(np.float32) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)


def window(a, center, width):
    return np.clip((a - (center - width / 2)) / width * 255.0, 0, 255).astype(np.uint8)


panels = [
    ('slice-017.dcm', -600, 1500, 'lung W1500/L-600: nodule N1 (RUL)'),
    ('slice-038.dcm', -600, 1500, 'lung: part-solid nodule N3 (RLL)'),
    ('slice-051.dcm', 50, 350, 'mediastinal W350/L50: ventricles'),
    ('slice-046.dcm', 50, 350, 'mediastinal: pedicle screws, streaks'),
]
tiles = []
for name, c, w, label in panels:
    img = cv2.resize(window(hu(name), c, w), (304, 304), interpolation=cv2.INTER_AREA)
    img = img[18:286, :]  # trim empty air above the body and the table below
    cv2.putText(img, label, (6, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.4, 255, 1, cv2.LINE_AA)
    cv2.putText(img, f'{name}  z={float(by_name[name].ImagePositionPatient[2]):g} mm', (6, 262), cv2.FONT_HERSHEY_SIMPLEX, 0.35, 200, 1, cv2.LINE_AA)
    tiles.append(img)
grid = np.concatenate([np.concatenate(tiles[:2], axis=1), np.concatenate(tiles[2:], axis=1)], axis=0)
cv2.imwrite(out, grid, [cv2.IMWRITE_PNG_COMPRESSION, 9])
print(out, grid.shape, os.path.getsize(out), 'bytes')

#!/usr/bin/python3
"""Reference outputs of DICOM VOI windowing (PS3.3 C.11.2.1.2) from pydicom 2.3's
pydicom.pixel_data_handlers.util.apply_windowing.

Each case builds a small Dataset with the chosen WindowCenter / WindowWidth / VOILUTFunction.
pydicom takes ymin/ymax from BitsStored/PixelRepresentation and, when present,
RescaleSlope/RescaleIntercept (it does not rescale the pixels in apply_windowing): the script
uses them to pick the output range and records the ymin/ymax pydicom actually used.
Inputs are int16 values covering the window edges exactly (c - 0.5 +- (w-1)/2 for LINEAR,
c +- w/2 for LINEAR_EXACT), plus the neighbours of each edge and the int16 extremes.

Run: /usr/bin/python3 tests/reference/intensity/make-window-reference.py
Writes tests/reference/intensity/window-reference.json
"""
import json
import math
import os

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.pixel_data_handlers.util import apply_windowing

HERE = os.path.dirname(os.path.abspath(__file__))

# (fn, center, width)
WINDOWS = [
    ('LINEAR', 40, 80), ('LINEAR', 40, 81), ('LINEAR', -600, 1500), ('LINEAR', 50, 351),
    ('LINEAR', 10, 1), ('LINEAR', 10.5, 1), ('LINEAR', 0, 2), ('LINEAR', 100, 3), ('LINEAR', 2047, 4096),
    ('LINEAR', 0, 1e6), ('LINEAR', 300.25, 2000.5), ('LINEAR', -1000, 65535),
    ('LINEAR_EXACT', 40, 80), ('LINEAR_EXACT', 40, 81), ('LINEAR_EXACT', 10, 1), ('LINEAR_EXACT', 10, 0.5),
    ('LINEAR_EXACT', -600, 1500), ('LINEAR_EXACT', 0, 1e6), ('LINEAR_EXACT', 7.25, 3.5),
    ('SIGMOID', 40, 80), ('SIGMOID', 40, 81), ('SIGMOID', -600, 1500), ('SIGMOID', 10, 1), ('SIGMOID', 0, 1e6),
    ('SIGMOID', 3, 0.25),
]

# Output ranges: (BitsStored, PixelRepresentation, slope, intercept) -> pydicom's ymin..ymax.
RANGES = [
    (8, 0, None, None),          # 0..255 (display default)
    (8, 0, 0.5, 10.0),           # 10..137.5
    (8, 0, 1.0 / 255.0, 0.0),    # 0..1
    (12, 1, None, None),         # -2048..2047
]


def edge_values(fn, c, w):
    if fn == 'LINEAR':
        edges = [c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2]
    elif fn == 'LINEAR_EXACT':
        edges = [c - w / 2, c + w / 2]
    else:
        edges = [c - w, c - w / 2, c, c + w / 2, c + w]
    vals = set()
    for e in edges + [c]:
        for d in (-2, -1, 0, 1, 2):
            for base in (math.floor(e), math.ceil(e)):
                v = base + d
                if -32768 <= v <= 32767:
                    vals.add(int(v))
    vals.update([-32768, -32767, -1, 0, 1, 32766, 32767])
    # a regular sweep through the window
    lo, hi = max(-32768, math.floor(c - w)), min(32767, math.ceil(c + w))
    for v in np.linspace(lo, hi, 25):
        vals.add(int(round(v)))
    return sorted(vals)


def make_ds(fn, c, w, bits, rep, slope, intercept):
    ds = Dataset()
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsStored = bits
    ds.PixelRepresentation = rep
    ds.WindowCenter = c
    ds.WindowWidth = w
    ds.VOILUTFunction = fn
    if slope is not None:
        ds.RescaleSlope = slope
        ds.RescaleIntercept = intercept
    return ds


def y_range(ds):
    if ds.PixelRepresentation == 0:
        y_min, y_max = 0, 2 ** ds.BitsStored - 1
    else:
        y_min, y_max = -2 ** (ds.BitsStored - 1), 2 ** (ds.BitsStored - 1) - 1
    if 'RescaleSlope' in ds:
        y_min = y_min * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        y_max = y_max * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    return float(y_min), float(y_max)


cases = []
for fn, c, w in WINDOWS:
    x = np.array(edge_values(fn, c, w), dtype=np.int16)
    for bits, rep, slope, intercept in RANGES:
        ds = make_ds(fn, c, w, bits, rep, slope, intercept)
        y_min, y_max = y_range(ds)
        # pydicom stores DS values as decimal strings: use the value it actually parsed.
        c_used, w_used = float(ds.WindowCenter), float(ds.WindowWidth)
        y = apply_windowing(x.copy(), ds)
        case = {
            'fn': fn, 'center': c_used, 'width': w_used, 'outMin': y_min, 'outMax': y_max,
            'input': x.tolist(), 'expected': [float(v) for v in y],
        }
        if 0 <= y_min <= 255 and 0 <= y_max <= 255:
            # display output: round half up of the float64 formula value
            case['expectedUint8'] = [int(math.floor(v + 0.5)) for v in y]
        cases.append(case)

# Widths the standard rejects: pydicom raises for them too.
errors = []
for fn, w in [('LINEAR', 0.5), ('LINEAR', 0), ('LINEAR', -3), ('LINEAR_EXACT', 0), ('LINEAR_EXACT', -1), ('SIGMOID', 0), ('SIGMOID', -2)]:
    ds = make_ds(fn, 40, w, 8, 0, None, None)
    try:
        apply_windowing(np.zeros(3, np.int16), ds)
        raised = False
    except ValueError:
        raised = True
    errors.append({'fn': fn, 'center': 40, 'width': w, 'pydicomRaises': raised})

out = {'pydicom': pydicom.__version__, 'cases': cases, 'errors': errors}
with open(os.path.join(HERE, 'window-reference.json'), 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print(f'{len(cases)} cases, {sum(len(c["input"]) for c in cases)} values, pydicom {pydicom.__version__}')

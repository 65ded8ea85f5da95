#!/usr/bin/python3
"""Reference for resizeImage (src/spatial/resize.ts): scipy.ndimage.zoom with grid_mode=True
(pixel edges aligned, the field of view kept), order 1 (linear), mode 'nearest' (ITK's linear
interpolator clamps at the border), on a small deterministic 3D array (x fastest in our layout,
so numpy axes are z, y, x). Run with Debian's python3-scipy: writes resize-reference.json."""
import json
import numpy as np
from scipy import ndimage

rng = np.random.default_rng(12)
vol = rng.integers(-1000, 1000, size=(5, 7, 9)).astype(np.float64)  # z, y, x
cases = []
for size in ([12, 4, 5], [18, 14, 3], [9, 7, 5]):  # x, y, z
    zoom = [size[2] / 5, size[1] / 7, size[0] / 9]
    out = ndimage.zoom(vol, zoom, order=1, mode='nearest', grid_mode=True)
    cases.append({'size': size, 'data': [round(float(v), 6) for v in out.ravel()]})
json.dump({'scipy': __import__('scipy').__version__, 'input': {'size': [9, 7, 5], 'data': vol.ravel().tolist()}, 'cases': cases},
          open(__file__.replace('make-resize-reference.py', 'resize-reference.json'), 'w'))

#!/usr/bin/python3
"""
Random-case cross-check against OpenCV (not part of the unit tests; nothing here is committed
output). Writes random 8-bit images with random sizes, tile grids and clip limits, and their
cv2.createCLAHE(...).apply and cv2.equalizeHist results, to a directory:

    /usr/bin/python3 tests/reference/contrast/fuzz.py /tmp/clahe-fuzz [seed] [cases]
    npx tsx tests/reference/contrast/fuzz-check.ts /tmp/clahe-fuzz

Half of the cases are sized so the tiles are powers of two (the exact fast path), half at random.
"""
import json
import os
import sys

import cv2
import numpy as np

out = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
os.makedirs(out, exist_ok=True)
cv2.setNumThreads(1)
rng = np.random.default_rng(seed)
blob = bytearray()
cases = []
for k in range(n):
    tx, ty = int(rng.integers(1, 24)), int(rng.integers(1, 24))
    if k % 2:
        w = max(tx * int(2 ** rng.integers(0, 8)) - int(rng.integers(0, 2)), 1)
        h = max(ty * int(2 ** rng.integers(0, 8)) - int(rng.integers(0, 2)), 1)
        if w * h > 600000:
            w, h = 300, 200
    else:
        w, h = int(rng.integers(1, 700)), int(rng.integers(1, 600))
    clip = float(rng.choice([0, -1, 0.01, 1, 2, 3.3, 4, 40, 1000, 1e12, rng.uniform(0, 60)]))
    kind = k % 4
    if kind == 0:
        img = rng.integers(0, 256, (h, w), dtype=np.uint8)
    elif kind == 1:
        y, x = np.mgrid[0:h, 0:w]
        img = np.clip(60 + 100 * x / w + 40 * y / h + rng.normal(0, 5, (h, w)), 0, 255).astype(np.uint8)
    elif kind == 2:
        img = rng.choice(np.array([0, 13, 128, 255], np.uint8), (h, w))
    else:
        img = rng.integers(100, 110, (h, w), dtype=np.uint8)
    cases.append(dict(w=w, h=h, tx=tx, ty=ty, clip=clip, offset=len(blob)))
    blob += img.tobytes() + cv2.createCLAHE(clip, (tx, ty)).apply(img).tobytes() + cv2.equalizeHist(img).tobytes()
with open(os.path.join(out, 'cases.json'), 'w') as f:
    json.dump(cases, f)
with open(os.path.join(out, 'data.bin'), 'wb') as f:
    f.write(bytes(blob))
print(f'{n} cases, {len(blob)} bytes in {out}')

#!/usr/bin/python3
"""Reference timing for `npm run bench` (bench/contrast.bench.ts): OpenCV 4.6
cv2.createCLAHE(clipLimit, tileGridSize).apply on a uint8 image read from a raw file, one
thread (cv2.setNumThreads(1)).

Usage: /usr/bin/python3 tests/reference/bench/clahe_opencv.py FILE.u8 ROWS COLS CLIP TILES_X TILES_Y [REPEATS [OUT.u8]]
(OUT.u8: OpenCV's result, for the bench to compare with ours.)
Prints one JSON line: {"min": ms, "median": ms, "repeats": n, "opencv": version}.
"""
import json
import statistics
import sys
import timeit

import cv2
import numpy as np

cv2.setNumThreads(1)
path, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
clip, tx, ty = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
repeats = int(sys.argv[7]) if len(sys.argv) > 7 else 2000
img = np.fromfile(path, np.uint8).reshape(rows, cols)
clahe = cv2.createCLAHE(clipLimit=clip, tileGridSize=(tx, ty))


def run():
    return clahe.apply(img)


timeit.repeat(run, number=1, repeat=50)  # warm-up
if len(sys.argv) > 8:
    run().tofile(sys.argv[8])
times = [t * 1000 for t in timeit.repeat(run, number=1, repeat=repeats)]
print(json.dumps({'min': min(times), 'median': statistics.median(times), 'repeats': repeats, 'opencv': cv2.__version__}))

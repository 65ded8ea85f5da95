#!/usr/bin/python3
"""Reference timing for `npm run bench` (bench/intensity.bench.ts): the plain numpy display
window of issue 8 item 4, on a float32 slice read from a raw file, single thread:

    np.clip((x - (c - 0.5)) / (w - 1) + 0.5, 0, 1) * 255  cast to uint8

Usage: /usr/bin/python3 tests/reference/bench/window_numpy.py FILE.f32 ROWS COLS CENTER WIDTH [REPEATS]
Prints one JSON line: {"min": ms, "median": ms, "repeats": n} (timeit, one call per repeat).
numpy's elementwise ufuncs are single-threaded; the thread variables only pin any BLAS pool.
"""
import json
import os
import sys

for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(var, '1')

import statistics  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

path, rows, cols, c, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
repeats = int(sys.argv[6]) if len(sys.argv) > 6 else 2000
x = np.fromfile(path, np.float32).reshape(rows, cols)


def run():
    return (np.clip((x - (c - 0.5)) / (w - 1) + 0.5, 0, 1) * 255).astype(np.uint8)


assert run().dtype == np.uint8 and ((x - (c - 0.5)) / (w - 1)).dtype == np.float32
timeit.repeat(run, number=1, repeat=50)  # warm-up
times = [t * 1000 for t in timeit.repeat(run, number=1, repeat=repeats)]
print(json.dumps({'min': min(times), 'median': statistics.median(times), 'repeats': repeats}))

#!/usr/bin/python3
"""Reference timing for `npm run bench -- kspace` (bench/kspace.bench.ts): numpy's
np.fft.fftshift(np.fft.fft2(x)) of a float64 image read from a raw file, one thread (numpy's
pocketfft is single-threaded; BLAS threads set to 1 anyway).

Usage: /usr/bin/python3 tests/reference/bench/fft2_numpy.py IMAGE.f64 NY NX REPEATS [OUT.c128]
(OUT: numpy's complex128 result, row-major, interleaved re/im, for the bench to compare with ours.)
Prints one JSON line: {"min": ms, "median": ms, "repeats": n, "numpy": version}.
"""
import os
for v in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[v] = '1'
import json
import statistics
import sys
import timeit

import numpy as np

path, ny, nx, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(path, np.float64).reshape(ny, nx)
run = lambda: np.fft.fftshift(np.fft.fft2(x))
out = run()
if len(sys.argv) > 5:
    out.astype(np.complex128).tofile(sys.argv[5])
times = [t * 1000 for t in timeit.repeat(run, number=1, repeat=repeats)]
print(json.dumps({'min': min(times), 'median': statistics.median(times), 'repeats': repeats, 'numpy': np.__version__}))

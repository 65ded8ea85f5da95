#!/usr/bin/python3
"""Reference timing for `npm run bench` (bench/recon.bench.ts): scikit-image 0.19.3
skimage.transform.radon / iradon on a float64 image or sinogram read from a raw file, one
thread (OMP/OpenBLAS/MKL threads set to 1 before numpy loads; skimage's radon and iradon are
single-threaded Python/Cython loops anyway).

Usage: /usr/bin/python3 tests/reference/bench/radon_skimage.py radon  IMAGE.f64 SIZE VIEWS REPEATS [OUT.f64]
       /usr/bin/python3 tests/reference/bench/radon_skimage.py iradon SINO.f64 BINS VIEWS REPEATS [OUT.f64]
(radon: a SIZE×SIZE image, angles linspace(0, 180, VIEWS, endpoint=False), circle=True;
 iradon: a sinogram stored view by view (VIEWS rows of BINS), ramp filter, linear, circle=True.
 OUT: skimage's result, stored like the input, for the bench to compare with ours.)
Prints one JSON line: {"min": ms, "median": ms, "cpuMin": ms (process CPU time), "repeats": n, "skimage": version}.
"""
import os
for v in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[v] = '1'
import json
import statistics
import sys
import time
import timeit

import numpy as np
import skimage
from skimage.transform import iradon, radon

op, path, size, views, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
theta = np.linspace(0, 180, views, endpoint=False)
if op == 'radon':
    x = np.fromfile(path, np.float64).reshape(size, size)
    run = lambda: radon(x, theta=theta, circle=True)
else:
    x = np.fromfile(path, np.float64).reshape(views, size).T
    run = lambda: iradon(x, theta=theta, filter_name='ramp', interpolation='linear', circle=True)
out = run()  # warm-up
if len(sys.argv) > 6:
    (out.T if op == 'radon' else out).astype(np.float64).tofile(sys.argv[6])
times = [t * 1000 for t in timeit.repeat(run, number=1, repeat=repeats)]
# CPU time of this process too: on a shared machine it is less disturbed by other load than wall time.
cpu = []
for _ in range(repeats):
    t = time.process_time()
    run()
    cpu.append((time.process_time() - t) * 1000)
print(json.dumps({'min': min(times), 'median': statistics.median(times), 'cpuMin': min(cpu), 'repeats': repeats, 'skimage': skimage.__version__}))

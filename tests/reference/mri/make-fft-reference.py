#!/usr/bin/python3
"""numpy.fft references for src/mri/kspace.ts: fftshift(fft2(x)) and ifft2(ifftshift(k)) of fixed
real arrays (seeded numpy generator) of even, odd and power-of-two sizes, and a 1D DFT of prime
length. Output: fft-reference.json. Run: /usr/bin/python3 tests/reference/mri/make-fft-reference.py
"""
import json, os
import numpy as np
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
cases = []
for ny, nx in ((8, 16), (6, 10), (7, 5), (12, 9)):
    x = rng.standard_normal((ny, nx))
    k = np.fft.fftshift(np.fft.fft2(x))
    back = np.fft.ifft2(np.fft.ifftshift(k))
    cases.append({'size': [nx, ny], 'x': x.ravel().tolist(), 'kRe': k.real.ravel().tolist(), 'kIm': k.imag.ravel().tolist(),
                  'plainRe': np.fft.fft2(x).real.ravel().tolist(), 'plainIm': np.fft.fft2(x).imag.ravel().tolist(), 'backRe': back.real.ravel().tolist()})
v = rng.standard_normal(13) + 1j * rng.standard_normal(13)
f = np.fft.fft(v)
out = {'cases': cases, 'dft13': {'re': v.real.tolist(), 'im': v.imag.tolist(), 'fRe': f.real.tolist(), 'fIm': f.imag.tolist()}}
with open(os.path.join(HERE, 'fft-reference.json'), 'w') as fh:
    json.dump(out, fh)
print(len(cases), 'cases')

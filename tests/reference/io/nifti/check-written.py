#!/usr/bin/python3
"""nibabel's reading of the files writeNifti wrote into written/ (see written-samples.ts).

Run after `npx tsx tests/reference/io/nifti/write-samples.ts`:
    /usr/bin/python3 tests/reference/io/nifti/check-written.py
Writes written/<name>.json: nibabel's affine (sform, as nibabel prefers it) and qform, both
converted to LPS geometry, the codes, qfac, and the data (x fastest).
"""
import gzip
import json
import os

import numpy as np
import nibabel as nib

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = os.path.join(HERE, 'written')


def lps(aff, ndim):
    a = np.array(aff, dtype=np.float64)
    m = a[:3, :3].copy()
    m[:2, :] *= -1
    t = a[:3, 3].copy()
    t[:2] *= -1
    norms = np.sqrt((m ** 2).sum(axis=0))
    d = m / norms
    n = min(ndim, 3)
    return {'spacing': [float(x) for x in norms[:n]], 'origin': [float(x) for x in t[:n]],
            'direction': [float(d[r, c]) for r in range(n) for c in range(n)]}


for f in sorted(os.listdir(DIR)):
    if not f.endswith('.nii.gz'):
        continue
    img = nib.load(os.path.join(DIR, f))
    with gzip.open(os.path.join(DIR, f), 'rb') as fp:  # the header as stored (img.header is a copy)
        h = nib.Nifti1Header.from_fileobj(fp)
    ndim = len(img.shape)
    data = img.get_fdata()
    out = {
        'file': f,
        'shape': [int(s) for s in img.shape],
        'dtype': str(img.get_data_dtype()),
        'magic': h['magic'].tobytes().decode(),
        'vox_offset': float(h['vox_offset']),
        'sizeof_hdr': int(h['sizeof_hdr']),
        'qform_code': int(h['qform_code']),
        'sform_code': int(h['sform_code']),
        'qfac': float(h['pixdim'][0]),
        'zooms': [float(z) for z in h.get_zooms()],
        'xyzt_units': list(h.get_xyzt_units()),
        'sform': lps(h.get_sform(), ndim),
        'qform': lps(h.get_qform(), ndim),
        'data': [float(v) for v in np.transpose(data, tuple(range(ndim - 1, -1, -1))).reshape(-1)],
    }
    with open(os.path.join(DIR, f.replace('.nii.gz', '.json')), 'w') as fp:
        json.dump(out, fp, indent=1)
    print(f, out['dtype'], out['shape'], 'qfac', out['qfac'])

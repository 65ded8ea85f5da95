#!/usr/bin/env python3
"""Reference for src/spatial/reorient.ts (reorientImage, orientationCode), computed with nibabel.

Run with the Debian interpreter that has python3-nibabel (nibabel 5.0.0, numpy 1.24):

    /usr/bin/python3 tests/reference/spatial/make-reorient-reference.py

Writes tests/reference/spatial/reorient-reference.json. Every case is a small 3D image with
distinct voxel values and a RAS affine (nibabel's convention). For each target code it records
nibabel's result of

    ornt = ornt_transform(io_orientation(affine), axcodes2ornt(code))
    data' = apply_orientation(data, ornt)
    affine' = affine @ inv_ornt_aff(ornt, shape)

and, for 'RAS', also checks that this equals ``as_closest_canonical``. Voxel data are written
x fastest (numpy Fortran order, the ITK/itk-wasm layout); for multi-component cases the
component index is fastest (interleaved per voxel), the array being (nx, ny, nz, nc) in nibabel.
"""
import json
import os

import nibabel as nib
import numpy as np
from nibabel.orientations import (aff2axcodes, apply_orientation, axcodes2ornt, inv_ornt_aff,
                                  io_orientation, ornt_transform)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'reorient-reference.json')

TARGETS = ['RAS', 'LPS', 'PIR', 'ASL', 'LIA', 'SRP']


def rot(axis, degrees):
    t = np.deg2rad(degrees)
    c, s = np.cos(t), np.sin(t)
    if axis == 0:
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if axis == 1:
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def perm_flip(perm, signs):
    """Direction matrix whose column c is signs[c] * e_{perm[c]} (RAS world)."""
    m = np.zeros((3, 3))
    for c, (p, s) in enumerate(zip(perm, signs)):
        m[p, c] = s
    return m


def affine_of(direction, spacing, origin):
    a = np.eye(4)
    a[:3, :3] = direction @ np.diag(spacing)
    a[:3, 3] = origin
    return a


def flat(arr):
    """x fastest; with a 4th (component) axis, component fastest."""
    if arr.ndim == 4:
        return arr.transpose(3, 0, 1, 2).ravel(order='F')
    return arr.ravel(order='F')


_c0 = np.array([0.6, 0.4 * np.sqrt(2), 0.4 * np.sqrt(2)])
_c1 = np.array([0.8, -0.3 * np.sqrt(2), -0.3 * np.sqrt(2)])
GREEDY = np.stack([_c0, _c1, np.cross(_c0, _c1)], 1)

CASES = [
    ('ras-identity', (4, 3, 2), 1, np.eye(3), [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),
    ('lps-aniso', (4, 3, 2), 1, perm_flip([0, 1, 2], [-1, -1, 1]), [0.8, 1.5, 3.0], [10.0, -20.0, 5.0]),
    ('permuted-flipped', (4, 3, 2), 1, perm_flip([2, 0, 1], [1, -1, -1]), [2.0, 0.5, 1.25], [-3.0, 7.5, 12.0]),
    ('pir', (4, 3, 2), 1, perm_flip([1, 2, 0], [-1, -1, 1]), [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    ('oblique-10deg', (4, 3, 2), 1,
     rot(2, 10) @ rot(0, -8) @ perm_flip([1, 0, 2], [1, -1, 1]), [0.9, 1.1, 2.5], [4.0, -6.0, 30.0]),
    ('oblique-lps-20deg', (5, 4, 3), 1,
     rot(1, 20) @ rot(2, -12) @ perm_flip([0, 2, 1], [-1, 1, -1]), [1.0, 0.7, 1.6], [-50.0, 25.0, -10.0]),
    # column 1 has the largest cosine of the matrix (0.8, on R-L), but nibabel assigns voxel axes in
    # order, so column 0 (0.6 on R-L) takes R and column 1 falls back to I/S: a global-maximum
    # greedy rule would differ here.
    ('greedy-order', (3, 4, 2), 1, rot(0, 2) @ GREEDY, [1.0, 2.0, 0.5], [7.0, 8.0, 9.0]),
    ('vector3-sal', (4, 3, 2), 3, perm_flip([2, 1, 0], [1, 1, -1]), [1.2, 0.6, 2.0], [0.0, 5.0, -5.0]),
]


def main():
    cases = []
    for name, shape, nc, direction, spacing, origin in CASES:
        full = shape + ((nc,) if nc > 1 else ())
        # distinct values: the flat index in nibabel's (C) order, plus an offset
        data = (np.arange(int(np.prod(full)), dtype=np.int16).reshape(full) + 100)
        affine = affine_of(direction, spacing, origin)
        start = io_orientation(affine)
        expected = []
        for code in TARGETS:
            ornt = ornt_transform(start, axcodes2ornt(tuple(code)))
            out = apply_orientation(data, ornt)
            out_affine = affine @ inv_ornt_aff(ornt, shape)
            # the greedy in-order rule is not permutation invariant: for greedy-order the result's
            # own aff2axcodes may differ from the target code (recorded as nibabel gives it)
            if name != 'greedy-order':
                assert ''.join(aff2axcodes(out_affine)) == code, (name, code, aff2axcodes(out_affine))
            if code == 'RAS':
                img = nib.Nifti1Image(data, affine)
                can = nib.as_closest_canonical(img)
                assert np.array_equal(np.asarray(can.dataobj), out), name
                assert np.allclose(can.affine, out_affine, atol=1e-12), name
            expected.append({
                'code': code,
                'size': [int(v) for v in out.shape[:3]],
                'data': [int(v) for v in flat(out)],
                'affine': out_affine.tolist(),
                'axcodes': ''.join(aff2axcodes(out_affine)),
            })
        cases.append({
            'name': name,
            'size': list(shape),
            'components': nc,
            'data': [int(v) for v in flat(data)],
            'affine': affine.tolist(),
            'axcodes': ''.join(aff2axcodes(affine)),
            'expected': expected,
        })
    doc = {
        'generator': 'tests/reference/spatial/make-reorient-reference.py',
        'nibabel': nib.__version__,
        'numpy': np.__version__,
        'note': 'affines are nibabel RAS affines; data x fastest (component fastest when components > 1)',
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {OUT}: {len(cases)} cases x {len(TARGETS)} targets')


if __name__ == '__main__':
    main()

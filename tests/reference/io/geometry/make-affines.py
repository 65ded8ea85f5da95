#!/usr/bin/python3
"""Voxel-to-world affines from nibabel 5 (Debian python3-nibabel), the independent reference for
src/spatial/affine.ts:
- DICOM slices: nibabel.nicom.dicomwrappers.wrapper_from_file(f).affine, in DICOM's LPS. nibabel
  indexes (row, column, slice); the library indexes (column, row, slice), so its first two
  columns are swapped before writing.
- NIfTI volumes: nibabel.load(f).affine, in RAS (the sform or qform nibabel chooses).
Output: affines.json = { name: { "space": "LPS"|"RAS", "affine": 4x4, "source": path } }.
Run: /usr/bin/python3 tests/reference/io/geometry/make-affines.py
"""
import json, os
import numpy as np
import nibabel as nib
from nibabel.nicom import dicomwrappers

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '../../../..'))
DICOM = ['public/data/CT_small.dcm', 'public/data/MR_small.dcm', 'public/data/693_J2KI.dcm',
         'tests/reference/io/dicom/files/MR_small_bigendian.dcm', 'tests/reference/io/dicom/files/MR_small_implicit.dcm']
NIFTI = ['public/data/ch2.nii.gz', 'public/data/ch2bet.nii.gz']

out = {}
for rel in DICOM:
    a = np.array(dicomwrappers.wrapper_from_file(os.path.join(ROOT, rel)).affine, dtype=float)
    # nibabel indexes (row, column, slice) and takes its slice axis as the cross product in that
    # order, i.e. −(row cosines × column cosines); the library indexes (column, row, slice) with
    # DICOM's normal r × c (PS3.3 C.7.6.2.1.1). Swap the first two columns and negate the third.
    a[:, [0, 1]] = a[:, [1, 0]]
    a[:3, 2] *= -1
    out[os.path.basename(rel)] = {'space': 'LPS', 'affine': a.tolist(), 'source': rel}
for rel in NIFTI:
    a = np.array(nib.load(os.path.join(ROOT, rel)).affine, dtype=float)
    out[os.path.basename(rel)] = {'space': 'RAS', 'affine': a.tolist(), 'source': rel}
# The generated thorax phantom series (npm run data): each slice's own position, which the
# stacked volume's affine must reproduce at (0, 0, k).
PHANTOM = 'public/data/ct-thorax-phantom'
positions = {}
for k in (0, 1, 35, 71):
    rel = '%s/slice-%03d.dcm' % (PHANTOM, k)
    w = dicomwrappers.wrapper_from_file(os.path.join(ROOT, rel))
    positions[str(k)] = [float(v) for v in w.image_position]
out['ct-thorax-phantom'] = {'space': 'LPS', 'slicePositions': positions, 'source': PHANTOM}
with open(os.path.join(HERE, 'affines.json'), 'w') as f:
    json.dump(out, f, indent=1)
for k, v in out.items():
    print(k, v['space'], np.round(np.array(v['affine']), 4).tolist() if 'affine' in v else v['slicePositions'])

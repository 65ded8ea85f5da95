#!/usr/bin/python3
"""Generates the NIfTI test fixtures and nibabel's reading of them.

Run with Debian's python (nibabel 5.0):  /usr/bin/python3 tests/reference/io/nifti/make-fixtures.py

Writes
  fixtures/<name>.nii[.gz]   small files exercising the qform/sform rules, data types,
                             byte order, 2D/4D, NIfTI-2, scl_slope, hdr/img pairs
  expected/<name>.json       what nibabel reads: both matrices (qform, sform) and nibabel's
                             default affine converted to ITK's LPS geometry (spacing, origin,
                             direction), the scaled data (x fastest) and `itk_matrix`: the
                             matrix ITK 5.4's NiftiImageIO picks for this header (see the
                             rules in src/io/nifti-geometry.ts), for the second, nibabel check.

colin27_ds4.nii.gz is the Colin27 template (ch2.nii.gz, distributed with MRIcron; see README.md)
subsampled by 4 in each axis with nibabel's slicer, which keeps the real sform (code MNI_152).
"""
import json
import os
import shutil

import numpy as np
import nibabel as nib

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures')
EXP = os.path.join(HERE, 'expected')
COLIN = '/usr/share/mricron/templates/ch2.nii.gz'

rng = np.random.default_rng(20261123)


def rot(ax, ay, az):
    """Rotation matrix from Euler angles (radians)."""
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(r, spacing, origin):
    a = np.eye(4)
    a[:3, :3] = r @ np.diag(spacing)
    a[:3, 3] = origin
    return a


def lps_geometry(aff, ndim):
    """ITK's reading of a RAS affine: flip rows 0 and 1, column norms = spacing."""
    a = np.array(aff, dtype=np.float64)
    m = a[:3, :3].copy()
    m[:2, :] *= -1
    t = a[:3, 3].copy()
    t[:2] *= -1
    norms = np.sqrt((m ** 2).sum(axis=0))
    d = m / np.where(norms == 0, 1, norms)
    n = min(ndim, 3)
    return {
        'spacing': [float(x) for x in norms[:n]],
        'origin': [float(x) for x in t[:n]],
        'direction': [float(d[r, c]) for r in range(n) for c in range(n)],
    }


def data_block(dtype, shape, lo=None, hi=None):
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    if info is not None:
        lo = info.min if lo is None else lo
        hi = info.max if hi is None else hi
        return rng.integers(lo, hi, size=shape, endpoint=True).astype(dtype)
    return (rng.standard_normal(shape) * 100).astype(dtype)


def save(name, img, itk_matrix, ext='.nii', note=''):
    path = os.path.join(FIX, name + ext)
    nib.save(img, path)
    img2 = nib.load(path)
    hdr = img2.header
    shape = img2.shape
    ndim = len(shape)
    try:
        qform, qcode = hdr.get_qform(coded=True)
    except Exception:  # nibabel refuses negative pixdim
        qform, qcode = None, int(hdr['qform_code'])
    sform, scode = hdr.get_sform(coded=True)
    data = np.asanyarray(img2.dataobj)
    if data.dtype.names:  # RGB24 structured array
        data = np.stack([data['R'], data['G'], data['B']], axis=-1)
    scaled = img2.get_fdata() if not np.asanyarray(img2.dataobj).dtype.names else data.astype(np.float64)
    try:
        nib_affine = lps_geometry(img2.affine, ndim)
    except Exception:
        nib_affine = None
    out = {
        'file': name + ext,
        'note': note,
        'shape': [int(s) for s in shape],
        'dtype': str(img2.get_data_dtype()),
        'qform_code': int(qcode or 0),
        'sform_code': int(scode or 0),
        'slope': None if hdr.get_slope_inter()[0] is None else float(hdr.get_slope_inter()[0]),
        'inter': None if hdr.get_slope_inter()[1] is None else float(hdr.get_slope_inter()[1]),
        'zooms': [float(z) for z in hdr.get_zooms()],
        'pixdim': [float(z) for z in hdr['pixdim']],
        'xyz_unit': hdr.get_xyzt_units()[0],
        'itk_matrix': itk_matrix,
        'nibabel_affine': nib_affine,
        'qform': lps_geometry(qform, ndim) if qform is not None else None,
        'sform': lps_geometry(sform, ndim) if sform is not None else None,
        # x fastest (Fortran order), components innermost for RGB
        'data': [float(v) for v in (np.transpose(scaled, tuple(range(ndim - 1, -1, -1)) + (() if scaled.ndim == ndim else (ndim,))).reshape(-1)
                                    if scaled.size <= 5000 else [])],
        'data_sum': float(np.sum(scaled, dtype=np.float64)),
    }
    with open(os.path.join(EXP, name + '.json'), 'w') as f:
        json.dump(out, f, indent=1)


def nifti1(data, dtype_code=None, endianness='<'):
    hdr = nib.Nifti1Header(endianness=endianness)
    img = nib.Nifti1Image(data, None, header=hdr)
    img.set_data_dtype(data.dtype)  # a passed header would otherwise impose its float32
    img.header.set_xyzt_units('mm', 'sec')
    return img


def main():
    os.makedirs(FIX, exist_ok=True)
    os.makedirs(EXP, exist_ok=True)
    for d in (FIX, EXP):
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))

    # --- real data: Colin27 subsampled, real header (sform MNI, qform unknown) -------------
    colin = nib.load(COLIN)
    small = colin.slicer[::4, ::4, ::4]
    img = nib.Nifti1Image(np.asanyarray(small.dataobj), small.affine, header=colin.header)
    img.header.set_sform(small.affine, code=int(colin.header['sform_code']))
    img.header.set_qform(None, code=0)
    save('colin27_ds4', img, 'sform', '.nii.gz', 'Colin27 T1 subsampled by 4; sform MNI_152, qform unknown')

    shape = (7, 6, 5)
    r1 = rot(0.3, -0.2, 0.5)
    a_obl = affine(r1, [1.2, 0.9, 2.5], [-30.5, 12.25, 40.0])
    r2 = rot(-0.1, 0.25, -0.4)
    a_other = affine(r2, [1.2, 0.9, 2.5], [10.0, -20.0, 5.0])

    # qform only, int16, oblique
    img = nifti1(data_block(np.int16, shape))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(None, code=0)
    save('qform_only_int16', img, 'qform', note='qform_code 1, sform_code 0, oblique')

    # sform only, float32, oblique, code ALIGNED
    img = nifti1(data_block(np.float32, shape))
    img.header.set_sform(a_obl, code=2)
    img.header.set_qform(None, code=0)
    save('sform_only_float32', img, 'sform', note='sform_code 2, qform_code 0')

    # both, sform SCANNER_ANAT, different matrices -> sform wins
    img = nifti1(data_block(np.uint8, shape))
    img.header.set_qform(a_other, code=2)
    img.header.set_sform(a_obl, code=1)
    save('both_sform_scanner_uint8', img, 'sform', note='sform_code 1 (SCANNER_ANAT) beats a different qform (code 2)')

    # both, sform ALIGNED, qform SCANNER, different -> qform wins
    img = nifti1(data_block(np.uint16, shape))
    img.header.set_qform(a_other, code=1)
    img.header.set_sform(a_obl, code=2)
    save('both_different_uint16', img, 'qform', note='sform_code 2 and qform_code 1 differ: ITK takes the qform')

    # both, sform MNI, qform SCANNER, same matrix -> sform wins
    img = nifti1(data_block(np.int32, shape))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=4)
    save('both_similar_int32', img, 'qform', note='sform_code 4 and qform_code 1 agree to float rounding (oblique): ITK takes the qform')

    # axis-aligned qform, sform 1e-5 off and offset 5e-5 off, codes 1 / 2 -> ITK's SVD test says similar: sform
    a_ax = affine(np.eye(3), [1.2, 0.9, 2.5], [10.0, 20.0, 30.0])
    img = nifti1(data_block(np.int16, shape))
    img.header.set_qform(a_ax, code=1)
    near = img.header.get_qform().copy()
    near[0, 0] += 1e-5
    near[0, 3] += 5e-5
    img.header.set_sform(near, code=2)
    save('near_axis_int16', img, 'sform', note='axis-aligned qform (code 1) and an sform (code 2) within 1e-4: ITK takes the sform')

    # identical oblique 3x3 blocks, offsets 5e-5 apart -> sform
    img = nifti1(data_block(np.int16, shape))
    img.header.set_qform(a_obl, code=1)
    same = img.header.get_qform().astype(np.float32).astype(np.float64)
    same[0, 3] += 5e-5
    img.header.set_sform(same, code=3)
    save('same_oblique_int16', img, 'sform', note='oblique qform (code 1) and sform (code 3) with the same 3x3, offsets 5e-5 apart: ITK takes the sform')

    # spatial unit micron, time offset on a 4D image
    img = nifti1(data_block(np.uint8, (4, 3, 2, 2)))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(None, code=0)
    img.header.set_xyzt_units('micron', 'msec')
    img.header['toffset'] = 1.5
    img.header['pixdim'][4] = 3.0
    save('micron_4d_uint8', img, 'qform', note='xyzt_units micron + msec, toffset 1.5: ITK scales spacing and origin to mm')

    # negative pixdim[2] with a qform
    img = nifti1(data_block(np.uint8, shape))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(None, code=0)
    img.header['pixdim'][2] = -img.header['pixdim'][2]
    save('negative_pixdim_uint8', img, 'qform', note='pixdim[2] < 0: ITK makes the spacing positive and flips that axis')

    # qfac = -1 (left-handed), oblique, qform only, float64
    a_left = affine(r1 @ np.diag([1, 1, -1]), [0.8, 0.8, 3.0], [100.0, -50.0, 25.5])
    img = nifti1(data_block(np.float64, shape))
    img.header.set_qform(a_left, code=1)
    img.header.set_sform(None, code=0)
    assert img.header['pixdim'][0] == -1
    save('qfac_neg_float64', img, 'qform', note='left-handed qform (pixdim[0] = qfac = -1)')

    # non-orthonormal (sheared) sform + valid qform -> qform wins
    sheared = a_obl.copy()
    sheared[0, 1] += 0.4
    img = nifti1(data_block(np.int8, shape))
    img.header.set_qform(a_other, code=1)
    img.header.set_sform(sheared, code=1)
    save('sheared_sform_int8', img, 'qform', note='sheared sform (code 1) is rejected: ITK takes the qform')

    # scl_slope on int16 -> float32 output
    img = nifti1(data_block(np.int16, shape, -1000, 3000))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    img.header.set_slope_inter(2.5, -10.0)
    save('slope_int16', img, 'sform', note='scl_slope 2.5, scl_inter -10: ITK returns float32')

    # scl_slope on float64 -> stays float64
    img = nifti1(data_block(np.float64, shape))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    img.header.set_slope_inter(0.5, 3.0)
    save('slope_float64', img, 'sform', note='scl_slope on float64 data keeps float64')

    # uint32
    img = nifti1(data_block(np.uint32, shape))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    save('uint32', img, 'sform')

    # big-endian int16 with oblique qform + sform
    img = nifti1(data_block(np.int16, shape).astype('>i2'), endianness='>')
    img.header.set_qform(a_other, code=1)
    img.header.set_sform(a_other, code=1)
    assert img.header.endianness == '>'
    save('bigendian_int16', img, 'sform', note='big-endian header and data')

    # big-endian float32 gz
    img = nifti1(data_block(np.float32, shape).astype('>f4'), endianness='>')
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(None, code=0)
    save('bigendian_float32', img, 'qform', '.nii.gz', note='big-endian float32, gzip')

    # 2D uint8
    img = nifti1(data_block(np.uint8, (9, 8)))
    a2 = np.eye(4)
    a2[0, 0], a2[1, 1], a2[0, 3], a2[1, 3] = 0.5, 0.7, -12.0, 8.0
    img.header.set_qform(a2, code=1)
    img.header.set_sform(a2, code=1)
    save('twod_uint8', img, 'sform', note='dim[0] = 2')

    # 4D int16, t = 3
    img = nifti1(data_block(np.int16, (5, 4, 3, 3)))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    img.header['pixdim'][4] = 2.0
    save('fourd_int16', img, 'sform', note='4D, t = 3, TR 2 s')

    # 4D with t = 1 -> ITK reads it as 3D
    img = nifti1(data_block(np.float32, (5, 4, 3, 1)))
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    save('fourd_t1_float32', img, 'sform', note='dim[0] = 4 with dim[4] = 1: a 3D image')

    # no orientation at all
    img = nifti1(data_block(np.uint8, shape))
    img.header.set_qform(None, code=0)
    img.header.set_sform(None, code=0)
    img.header.set_zooms((2.0, 3.0, 4.0))
    save('no_xform_uint8', img, 'none', note='qform_code = sform_code = 0: identity, origin 0')

    # RGB24
    rgb = data_block(np.uint8, shape + (3,))
    rgbt = np.zeros(shape, dtype=[('R', 'u1'), ('G', 'u1'), ('B', 'u1')])
    rgbt['R'], rgbt['G'], rgbt['B'] = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    img = nib.Nifti1Image(rgbt, None)
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    save('rgb24', img, 'sform', note='RGB24: 3 uint8 components per voxel')

    # NIfTI-2 float32 (ITK 5.4 cannot read NIfTI-2; nibabel is the reference here)
    img = nib.Nifti2Image(data_block(np.float32, shape), None)
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    img.header.set_xyzt_units('mm', 'sec')
    save('nifti2_float32', img, 'sform', note='NIfTI-2 single file')

    # hdr/img pair
    img = nib.Nifti1Pair(data_block(np.int16, shape), None)
    img.header.set_qform(a_obl, code=1)
    img.header.set_sform(a_obl, code=1)
    save('pair_int16', img, 'sform', '.hdr', note='NIfTI-1 pair (.hdr + .img, magic ni1)')

    # sheared sform with no qform -> ITK rejects the file (error test)
    img = nifti1(data_block(np.uint8, shape))
    img.header.set_qform(None, code=0)
    img.header.set_sform(sheared, code=2)
    save('sheared_sform_only', img, 'error', note='sheared sform and no qform: ITK throws')


if __name__ == '__main__':
    main()

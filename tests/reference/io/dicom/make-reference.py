#!/usr/bin/python3
"""Reference data for tests/unit/io/dicom.test.ts, computed with pydicom 2.3 + numpy.

Run from the repository root:  /usr/bin/python3 tests/reference/io/dicom/make-reference.py

1. Builds generated fixtures in files/ from pydicom's test files:
   - CT_small_no_meta.dcm: CT_small without preamble and file meta (implicit VR little endian data set);
   - series_oblique/: 5 slices of MR_small with an oblique ImageOrientationPatient, positions 2.5 mm
     apart along the normal, different pixels per slice, shuffled InstanceNumbers and file names;
   - series_oblique_rle/: the same 5 files RLE Lossless compressed (decoded by itk-wasm);
   - series_tilt/: 3 slices whose positions also move across the normal (gantry tilt);
   - series_nopos/: 3 slices without ImagePositionPatient (order must come from InstanceNumber);
   - MR_small_masked12.dcm: BitsStored 12 / HighBit 11 / signed, with garbage in the 4 high bits;
   - MR_small_8bit_shifted.dcm / MR_small_32bit_masked.dcm: BitsStored 6 of 8 (HighBit 6) and 20 of
     32, signed, random high/low bits;
   - MR_small_slope.dcm: RescaleSlope 0.5, RescaleIntercept 1.5 (float32 output);
   - CT_small_bigintercept.dcm: RescaleIntercept 32000 (rescaled values exceed int16: float32);
   - CT_small_monochrome1.dcm: PhotometricInterpretation MONOCHROME1;
   - MR_enhanced_3frames.dcm: 3 frames whose positions, orientation, spacing and rescale are only in
     the (per-frame / shared) functional groups, stored in descending order along the normal;
   - mixed_size/ and mixed_orientation/: two files of one series that differ (error cases).
2. For each readable case writes expected/<case>.json (size, spacing, origin, direction (row-major,
   ITK convention), pixel type the reader must choose, sorted file names) and expected/<case>.bin
   (pixel values after RescaleSlope/Intercept, x fastest, then y, then sorted slice; float32, or
   int16 when every value is an integer in int16 range, which is exact and half the size; dtype in json).
   Geometry is computed here independently from the tags, following ITK/GDCM: sort by
   dot(ImagePositionPatient, row x col), spacing [PixelSpacing[1], PixelSpacing[0], mean slice
   distance | SpacingBetweenSlices | SliceThickness | 1; one slice: SpacingBetweenSlices | 1 as ITK],
   direction columns [row, col, normal].
   Pixel values are pydicom's pixel_array, with bits above BitsStored masked and the sign extended
   (pydicom 2.3's numpy handler does not mask; GDCM and DCMTK do), then value * slope + intercept.
3. expected/header-<file>.json: pydicom's element list (file meta + data set, nested sequences).
"""
import copy
import json
import os
import random
import subprocess

import numpy as np
import pydicom
from pydicom.uid import ImplicitVRLittleEndian, generate_uid
from pydicom.pixel_data_handlers.util import apply_modality_lut

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, 'files')
OUT = os.path.join(HERE, 'expected')
os.makedirs(OUT, exist_ok=True)


def path(*p):
    return os.path.join(FILES, *p)


# ---------------------------------------------------------------- generated fixtures
def make_fixtures():
    # CT_small as a bare implicit-VR-LE data set (no preamble, no DICM, no group 0002).
    ds = pydicom.dcmread(path('CT_small.dcm'))
    ds.is_little_endian = True
    ds.is_implicit_VR = True
    ds.preamble = None
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.save_as(path('CT_small_no_meta.dcm'), write_like_original=True)

    # Oblique series from MR_small: rotate the orientation about z by 30 deg and tilt by 20 deg.
    base = pydicom.dcmread(path('MR_small.dcm'))
    a, b = np.radians(30), np.radians(20)
    row = np.array([np.cos(a), np.sin(a), 0.0])
    col = np.array([-np.sin(a) * np.cos(b), np.cos(a) * np.cos(b), np.sin(b)])
    normal = np.cross(row, col)
    origin = np.array([-40.0, 12.5, 7.25])
    os.makedirs(path('series_oblique'), exist_ok=True)
    series_uid = '1.2.826.0.1.3680043.8.498.1001'
    rng = random.Random(7)
    order = list(range(5))
    rng.shuffle(order)  # file k holds slice order[k]
    instance = [3, 1, 5, 2, 4]
    arr = base.pixel_array.astype(np.int16)
    for k, s in enumerate(order):
        d = copy.deepcopy(base)
        d.SeriesInstanceUID = series_uid
        d.SOPInstanceUID = f'1.2.826.0.1.3680043.8.498.2001.{s}'
        d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
        d.ImageOrientationPatient = [f'{v:.6f}' for v in np.concatenate([row, col])]
        pos = origin + 2.5 * s * normal
        d.ImagePositionPatient = [f'{v:.4f}' for v in pos]
        d.InstanceNumber = instance[s]
        d.SeriesDescription = 'oblique test series'
        px = np.roll(arr, 3 * s, axis=1) + 100 * s
        d.PixelData = px.astype('<i2').tobytes()
        d.save_as(path('series_oblique', f'img{k}.dcm'))

    # The same series RLE-compressed (pydicom's own RLE encoder): the itk-wasm path must sort the same way.
    os.makedirs(path('series_oblique_rle'), exist_ok=True)
    for k in range(5):
        d = pydicom.dcmread(path('series_oblique', f'img{k}.dcm'))
        d.compress(pydicom.uid.RLELossless, encoding_plugin='pydicom')
        d.save_as(path('series_oblique_rle', f'img{k}.dcm'))

    # Gantry-tilt-like series: positions move 2 mm along z and 0.5 mm along y per slice.
    os.makedirs(path('series_tilt'), exist_ok=True)
    for k in range(3):
        d = copy.deepcopy(base)
        d.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.1006'
        d.SOPInstanceUID = f'1.2.826.0.1.3680043.8.498.2008.{k}'
        d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
        d.ImagePositionPatient = ['-83.9063', f'{-91.2 + 0.5 * k:.4f}', f'{6.6406 + 2 * k:.4f}']
        d.InstanceNumber = k + 1
        d.save_as(path('series_tilt', f't{k}.dcm'))

    # No positions: order by InstanceNumber.
    os.makedirs(path('series_nopos'), exist_ok=True)
    for k, inst in enumerate([2, 3, 1]):
        d = copy.deepcopy(base)
        d.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.1002'
        d.SOPInstanceUID = f'1.2.826.0.1.3680043.8.498.2002.{inst}'
        d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
        del d.ImagePositionPatient
        d.InstanceNumber = inst
        d.SpacingBetweenSlices = '3.0'
        d.PixelData = (arr + 1000 * inst).astype('<i2').tobytes()
        d.save_as(path('series_nopos', f'f{k}.dcm'))

    # 12 stored bits, signed, with garbage in bits 12..15.
    d = copy.deepcopy(base)
    d.BitsStored = 12
    d.HighBit = 11
    d.PixelRepresentation = 1
    raw = arr.astype(np.uint16) & 0x0FFF
    garbage = (np.arange(raw.size, dtype=np.uint16).reshape(raw.shape) * 7919) & 0xF000
    d.PixelData = (raw | garbage).astype('<u2').tobytes()
    d.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.2003'
    d.save_as(path('MR_small_masked12.dcm'))

    # 8 bits allocated, 6 stored ending at bit 6 (shifted by one), signed; and 32 allocated, 20 stored.
    d = copy.deepcopy(base)
    d.BitsAllocated, d.BitsStored, d.HighBit, d.PixelRepresentation = 8, 6, 6, 1
    raw8 = (np.arange(64 * 64, dtype=np.uint32) * 2654435761 % 256).astype(np.uint8)
    d.PixelData = raw8.tobytes()
    d.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.2006'
    d.save_as(path('MR_small_8bit_shifted.dcm'))
    d = copy.deepcopy(base)
    d.BitsAllocated, d.BitsStored, d.HighBit, d.PixelRepresentation = 32, 20, 19, 1
    raw32 = (np.arange(64 * 64, dtype=np.uint64) * 2654435761 % (1 << 32)).astype('<u4')
    d.PixelData = raw32.tobytes()
    d.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.2007'
    d.save_as(path('MR_small_32bit_masked.dcm'))

    d = copy.deepcopy(base)
    d.RescaleSlope = '0.5'
    d.RescaleIntercept = '1.5'
    d.save_as(path('MR_small_slope.dcm'))

    d = pydicom.dcmread(path('CT_small.dcm'))
    d.RescaleIntercept = '32000'
    d.save_as(path('CT_small_bigintercept.dcm'))

    d = pydicom.dcmread(path('CT_small.dcm'))
    d.PhotometricInterpretation = 'MONOCHROME1'
    d.save_as(path('CT_small_monochrome1.dcm'))

    # Enhanced-style multi-frame: 3 frames of MR_small with geometry and rescale only in the
    # functional groups, frames stored in descending position order.
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence
    d = copy.deepcopy(base)
    for kw in ('ImagePositionPatient', 'ImageOrientationPatient', 'PixelSpacing', 'SliceThickness'):
        if kw in d:
            delattr(d, kw)
    d.NumberOfFrames = 3
    d.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.2005'
    shared = Dataset()
    orient = Dataset()
    orient.ImageOrientationPatient = [0, 1, 0, 0, 0, -1]  # sagittal
    measures = Dataset()
    measures.PixelSpacing = ['0.5', '0.25']
    measures.SliceThickness = '2'
    shared.PlaneOrientationSequence = Sequence([orient])
    shared.PixelMeasuresSequence = Sequence([measures])
    d.SharedFunctionalGroupsSequence = Sequence([shared])
    per = []
    for k in range(3):
        item = Dataset()
        pos = Dataset()
        pos.ImagePositionPatient = [f'{4.0 + 3.0 * k:.1f}', '-20', '30']  # normal is -x: stored order is descending along it
        item.PlanePositionSequence = Sequence([pos])
        tr = Dataset()
        tr.RescaleSlope = '2'
        tr.RescaleIntercept = str(-10 * (k + 1))
        tr.RescaleType = 'US'
        item.PixelValueTransformationSequence = Sequence([tr])
        per.append(item)
    d.PerFrameFunctionalGroupsSequence = Sequence(per)
    d.PixelData = np.stack([arr + 50 * k for k in range(3)]).astype('<i2').tobytes()
    d.save_as(path('MR_enhanced_3frames.dcm'))

    # Error cases: one series, different sizes / orientations.
    os.makedirs(path('mixed_size'), exist_ok=True)
    for name, src in (('a.dcm', 'CT_small.dcm'), ('b.dcm', 'MR_small.dcm')):
        d = pydicom.dcmread(path(src))
        d.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.1003'
        d.save_as(path('mixed_size', name))
    os.makedirs(path('mixed_orientation'), exist_ok=True)
    for name, iop in (('a.dcm', [1, 0, 0, 0, 1, 0]), ('b.dcm', [1, 0, 0, 0, 0, -1])):
        d = copy.deepcopy(base)
        d.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.1004'
        d.ImageOrientationPatient = iop
        d.save_as(path('mixed_orientation', name))


# ---------------------------------------------------------------- expected volumes
def stored_values(ds):
    """pixel_array with the ITK/GDCM bit handling: keep BitsStored bits ending at HighBit, sign-extend."""
    a = ds.pixel_array
    if a.ndim == 2:
        a = a[None]
    ba, bs = ds.BitsAllocated, ds.BitsStored
    hb = int(ds.get('HighBit', bs - 1))
    a = a.astype(np.int64)
    if bs < ba or hb != bs - 1:
        a = (a & ((1 << ba) - 1)) >> (hb + 1 - bs)
        a = a & ((1 << bs) - 1)
        if ds.PixelRepresentation == 1:
            a = np.where(a >= (1 << (bs - 1)), a - (1 << bs), a)
    return a


def frame_positions(ds, n):
    ipp = ds.get('ImagePositionPatient')
    iop = ds.get('ImageOrientationPatient')
    if ipp is None or iop is None:
        return [None] * n
    ipp = np.array([float(v) for v in ipp])
    iop = [float(v) for v in iop]
    normal = np.cross(iop[:3], iop[3:])
    if n == 1:
        return [ipp]
    offs = ds.get('GridFrameOffsetVector')
    if offs is not None:
        offs = [float(v) for v in offs]
        return [ipp + (o - offs[0]) * normal for o in offs]
    dz = float(ds.get('SpacingBetweenSlices', ds.get('SliceThickness', 0)) or 0)
    return [ipp + k * dz * normal for k in range(n)]


def expected_volume(case, names, decoded=None):
    """names: file paths relative to files/. decoded: optional {name: stored array} for syntaxes pydicom cannot decode."""
    frames = []
    for name in names:
        ds = pydicom.dcmread(path(name), force=True)
        if 'TransferSyntaxUID' not in ds.file_meta:
            # No file meta (bare data set): pydicom detected the encoding; tell its pixel handler.
            ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if ds.is_implicit_VR else pydicom.uid.ExplicitVRLittleEndian
        stored = decoded[name] if decoded and name in decoded else stored_values(ds)
        n = stored.shape[0]
        slope = float(ds.get('RescaleSlope', 1) or 1)
        intercept = float(ds.get('RescaleIntercept', 0) or 0)
        for k, pos in enumerate(frame_positions(ds, n)):
            frames.append(dict(ds=ds, name=os.path.basename(name), frame=k, pos=pos, inst=ds.get('InstanceNumber'),
                               values=stored[k] * slope + intercept, slope=slope, intercept=intercept))
    ds0 = frames[0]['ds']
    iop = ds0.get('ImageOrientationPatient')
    if iop is not None:
        iop = [float(v) for v in iop]
        row, col = np.array(iop[:3]), np.array(iop[3:])
        row, col = row / np.linalg.norm(row), col / np.linalg.norm(col)
    else:
        row, col = np.array([1.0, 0, 0]), np.array([0, 1.0, 0])
    normal = np.cross(row, col)
    if len(frames) > 1 and all(f['pos'] is not None for f in frames):
        frames.sort(key=lambda f: float(np.dot(f['pos'], normal)))
        proj = [float(np.dot(f['pos'], normal)) for f in frames]
        dz = float(np.mean(np.diff(proj)))
    else:
        if len(frames) > 1:
            frames.sort(key=lambda f: int(f['inst']))
            dz = ds0.get('SpacingBetweenSlices', ds0.get('SliceThickness'))
        else:
            # One slice: SpacingBetweenSlices, else 1 mm, as ITK 5.4's GDCMImageIO (SliceThickness unused).
            dz = ds0.get('SpacingBetweenSlices')
        dz = float(dz) if dz not in (None, '') else 1.0
    ps = ds0.get('PixelSpacing')
    ps = [float(v) for v in ps] if ps is not None else [1.0, 1.0]
    origin = [float(v) for v in frames[0]['pos']] if frames[0]['pos'] is not None else [0.0, 0.0, 0.0]
    direction = np.stack([row, col, normal], axis=1).reshape(-1).tolist()  # row-major, columns = axes
    vol = np.stack([f['values'] for f in frames])
    integer_rescale = all(f['slope'] == 1 and float(f['intercept']).is_integer() for f in frames)
    fits = vol.min() >= -32768 and vol.max() <= 32767
    pixel_type = 'int16' if integer_rescale and fits else 'float32'
    # Integer volumes that fit int16 are stored as int16 (exact, half the size); others as float32.
    dtype = 'int16' if np.array_equal(vol, np.round(vol)) and fits else 'float32'
    vol.astype('<i2' if dtype == 'int16' else '<f4').tofile(os.path.join(OUT, case + '.bin'))
    meta = dict(case=case, files=names, size=[int(vol.shape[2]), int(vol.shape[1]), int(vol.shape[0])],
                spacing=[ps[1], ps[0], dz], origin=origin, direction=direction, componentType=pixel_type,
                binDtype=dtype, sortedFiles=[f['name'] for f in frames],
                photometricInterpretation=str(ds0.get('PhotometricInterpretation', '')),
                min=float(vol.min()), max=float(vol.max()))
    with open(os.path.join(OUT, case + '.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    return vol


def fg(ds, frame, macro, attr):
    """Functional group attribute (PS3.3 C.7.6.16): per-frame item first, then shared."""
    for seq, idx in (('PerFrameFunctionalGroupsSequence', frame), ('SharedFunctionalGroupsSequence', 0)):
        groups = ds.get(seq)
        if groups is not None and len(groups) > idx and macro in groups[idx] and attr in groups[idx][macro][0]:
            return groups[idx][macro][0][attr].value
    return ds.get(attr)


def expected_enhanced(case, name, stored=None, write_bin=True):
    """Multi-frame geometry from the functional groups, frames sorted along the normal."""
    ds = pydicom.dcmread(path(name))
    stored = stored_values(ds) if stored is None else stored
    n = stored.shape[0]
    iop = [float(v) for v in fg(ds, 0, 'PlaneOrientationSequence', 'ImageOrientationPatient')]
    row, col = np.array(iop[:3]), np.array(iop[3:])
    normal = np.cross(row, col)
    frames = []
    for k in range(n):
        pos = np.array([float(v) for v in fg(ds, k, 'PlanePositionSequence', 'ImagePositionPatient')])
        slope = float(fg(ds, k, 'PixelValueTransformationSequence', 'RescaleSlope') or 1)
        intercept = float(fg(ds, k, 'PixelValueTransformationSequence', 'RescaleIntercept') or 0)
        frames.append((float(np.dot(pos, normal)), pos, stored[k] * slope + intercept, slope, intercept))
    frames.sort(key=lambda f: f[0])
    ps = [float(v) for v in fg(ds, 0, 'PixelMeasuresSequence', 'PixelSpacing')]
    if n > 1:
        dz = float(np.mean(np.diff([f[0] for f in frames])))
    else:
        dz = float(fg(ds, 0, 'PixelMeasuresSequence', 'SpacingBetweenSlices') or 1)
    vol = np.stack([f[2] for f in frames])
    integer_rescale = all(f[3] == 1 and float(f[4]).is_integer() for f in frames)
    pixel_type = 'int16' if integer_rescale and vol.min() >= -32768 and vol.max() <= 32767 else 'float32'
    flat = vol.reshape(-1)
    meta = dict(case=case, files=[name], size=[int(vol.shape[2]), int(vol.shape[1]), int(vol.shape[0])],
                spacing=[ps[1], ps[0], dz], origin=[float(v) for v in frames[0][1]],
                direction=np.stack([row, col, normal], axis=1).reshape(-1).tolist(), componentType=pixel_type,
                binDtype='float32', sortedFiles=[os.path.basename(name)],
                photometricInterpretation=str(ds.PhotometricInterpretation),
                sum=float(flat.sum()), indexSum=float((flat * np.arange(flat.size)).sum()))
    if write_bin:
        vol.astype('<f4').tofile(os.path.join(OUT, case + '.bin'))
    with open(os.path.join(OUT, case + '.json'), 'w') as f:
        json.dump(meta, f, indent=1)


def expected_colour(case, name, convert_from=None, bin_dtype='float32', component_type='uint8'):
    """Colour image: RGB pixel-interleaved values (converted from YBR with pydicom when asked).
    bin_dtype float64 for 32-bit samples, which float32 cannot hold exactly."""
    from pydicom.pixel_data_handlers.util import convert_color_space
    ds = pydicom.dcmread(path(name))
    a = ds.pixel_array
    if convert_from:
        a = convert_color_space(a, convert_from, 'RGB')
    a = a.reshape((-1,) + a.shape[-3:]) if a.ndim == 4 else a[None]
    a.astype('<f8' if bin_dtype == 'float64' else '<f4').tofile(os.path.join(OUT, case + '.bin'))
    ipp = ds.get('ImagePositionPatient')
    meta = dict(case=case, files=[name], size=[int(a.shape[2]), int(a.shape[1]), int(a.shape[0])],
                components=3, binDtype=bin_dtype, sortedFiles=[name], componentType=component_type,
                photometricInterpretation=str(ds.PhotometricInterpretation),
                origin=[float(v) for v in ipp] if ipp else [0.0, 0.0, 0.0])
    with open(os.path.join(OUT, case + '.json'), 'w') as f:
        json.dump(meta, f, indent=1)


def jpeg_ls_stored(name):
    """pydicom here has no JPEG-LS decoder: decode with DCMTK's dcmdjpls, then read with pydicom."""
    tmp = '/tmp/_dicom_ref_jls.dcm'
    subprocess.run(['dcmdjpls', path(name), tmp], check=True)
    return stored_values(pydicom.dcmread(tmp))


def expected_dcmdjpeg_checksums(case, name):
    """12-bit JPEG (Extended, process 2/4): pydicom here cannot decode it (Pillow is 8-bit only), so
    DCMTK's dcmdjpeg decodes it and pydicom reads the result. Only checksums are kept (the volume
    is 512 KB as int16)."""
    tmp = '/tmp/_dicom_ref_jpeg12.dcm'
    subprocess.run(['dcmdjpeg', path(name), tmp], check=True)
    ds = pydicom.dcmread(tmp)
    flat = apply_modality_lut(ds.pixel_array, ds).astype(np.float64).ravel()
    meta = dict(case=case, files=[name], size=[int(ds.Columns), int(ds.Rows), 1], sum=float(flat.sum()),
                indexSum=float((flat * np.arange(flat.size)).sum()), min=float(flat.min()), max=float(flat.max()))
    with open(os.path.join(OUT, case + '.json'), 'w') as f:
        json.dump(meta, f, indent=1)


# ---------------------------------------------------------------- headers
STRING_VRS = {'AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT'}
NUMBER_VRS = {'US', 'SS', 'UL', 'SL', 'FL', 'FD'}


def describe(elem):
    out = dict(tag='(%04X,%04X)' % (elem.tag.group, elem.tag.element), vr=elem.VR, keyword=elem.keyword or '')
    if elem.VR == 'SQ':
        out['items'] = [[describe(e) for e in item] for item in elem.value]
    elif elem.tag == 0x7FE00010:
        pass
    elif elem.VR in STRING_VRS:
        v = elem.value
        if v is None:
            out['value'] = ''
        elif isinstance(v, (list, pydicom.multival.MultiValue)):
            out['value'] = '\\'.join(str(x) for x in v)
        else:
            out['value'] = str(v)
    elif elem.VR in NUMBER_VRS:
        v = elem.value
        if v is None or v == b'':
            out['numbers'] = []
        elif isinstance(v, (list, pydicom.multival.MultiValue)):
            out['numbers'] = [float(x) for x in v]
        else:
            out['numbers'] = [float(v)]
    return out


def header_reference(name):
    ds = pydicom.dcmread(path(name), force=True)
    elems = [describe(e) for e in ds.file_meta] + [describe(e) for e in ds]
    with open(os.path.join(OUT, 'header-' + name.replace('/', '_').replace('.dcm', '') + '.json'), 'w') as f:
        json.dump(elems, f, indent=0)


def main():
    make_fixtures()
    mr_stored = stored_values(pydicom.dcmread(path('MR_small.dcm')))
    cases = {
        'CT_small': ['CT_small.dcm'],
        'MR_small': ['MR_small.dcm'],
        'MR_small_bigendian': ['MR_small_bigendian.dcm'],
        'MR_small_implicit': ['MR_small_implicit.dcm'],
        'MR_small_expb': ['MR_small_expb.dcm'],
        'MR_small_padded': ['MR_small_padded.dcm'],
        'CT_small_no_meta': ['CT_small_no_meta.dcm'],
        'image_dfl': ['image_dfl.dcm'],
        'rtdose': ['rtdose.dcm'],
        'MR_small_masked12': ['MR_small_masked12.dcm'],
        'MR_small_slope': ['MR_small_slope.dcm'],
        'MR_small_8bit_shifted': ['MR_small_8bit_shifted.dcm'],
        'MR_small_32bit_masked': ['MR_small_32bit_masked.dcm'],
        'CT_small_bigintercept': ['CT_small_bigintercept.dcm'],
        'CT_small_monochrome1': ['CT_small_monochrome1.dcm'],
        'series_oblique': [f'series_oblique/img{k}.dcm' for k in range(5)],
        'series_nopos': [f'series_nopos/f{k}.dcm' for k in range(3)],
        'series_tilt': [f'series_tilt/t{k}.dcm' for k in range(3)],
        'series_oblique_rle': [f'series_oblique_rle/img{k}.dcm' for k in range(5)],
        '693_J2KI': ['693_J2KI.dcm'],
        'MR_small_RLE': ['MR_small_RLE.dcm'],
    }
    for case, names in cases.items():
        expected_volume(case, names)
    # JPEG-LS: pydicom has no decoder here; DCMTK's dcmdjpls decodes it, and it must equal MR_small.
    jls = jpeg_ls_stored('MR_small_jpeg_ls_lossless.dcm')
    assert np.array_equal(jls, mr_stored), 'JPEG-LS lossless differs from MR_small'
    expected_volume('MR_small_jpeg_ls_lossless', ['MR_small_jpeg_ls_lossless.dcm'], {'MR_small_jpeg_ls_lossless.dcm': jls})
    assert np.array_equal(stored_values(pydicom.dcmread(path('MR_small_RLE.dcm'))), mr_stored)
    expected_enhanced('MR_enhanced_3frames', 'MR_enhanced_3frames.dcm')
    # DICOM SEG, BitsAllocated 1 (decoded by itk-wasm): only checksums, the full mask is 1 MB as float32.
    expected_enhanced('liver_1frame', 'liver_1frame.dcm', write_bin=False)
    expected_colour('SC_rgb_small_odd', 'SC_rgb_small_odd.dcm')
    expected_colour('SC_ybr_full_422_uncompressed', 'SC_ybr_full_422_uncompressed.dcm', 'YBR_FULL')
    # RLE Lossless colour, decoded natively (PS3.5 Annex G): 16-bit with two frames, and 32-bit.
    expected_colour('SC_rgb_rle_16bit_2frame', 'SC_rgb_rle_16bit_2frame.dcm', component_type='uint16')
    expected_colour('SC_rgb_rle_32bit', 'SC_rgb_rle_32bit.dcm', bin_dtype='float64', component_type='uint32')
    # Meta group says JPEG Baseline (explicit VR) but the data set is implicit VR: pydicom notices
    # and reads it (Pillow decodes the JPEG); DCMTK and GDCM refuse the file as it is.
    expected_colour('SC_rgb_jpeg', 'SC_rgb_jpeg.dcm')
    expected_dcmdjpeg_checksums('JPGExtended', 'JPGExtended.dcm')
    for name in ['CT_small.dcm', 'MR_small_bigendian.dcm', 'MR_small_implicit.dcm', 'image_dfl.dcm', 'rtplan.dcm',
                 'test-SR.dcm', 'CT_small_no_meta.dcm', 'ExplVR_BigEndNoMeta.dcm']:
        header_reference(name)
    print('written to', OUT)


if __name__ == '__main__':
    main()

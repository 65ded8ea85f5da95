#!/usr/bin/python3
"""Independent validation of the synthetic thorax CT phantom (scripts/make-thorax-phantom.ts).

Readers used: pydicom (Debian python3-pydicom 2.3) and DCMTK's dcmdump, plus a tiny hand-written
walker of the explicit-VR-little-endian byte stream that checks the PS3.5 value rules directly
(even lengths, UI padded with NUL, other text VRs padded with space).

Usage:
  npx tsx scripts/make-thorax-phantom.ts /tmp/ct-thorax-phantom
  /usr/bin/python3 tests/reference/phantom/check-phantom.py /tmp/ct-thorax-phantom
Writes tests/reference/phantom/check-phantom.json (a small summary; the vitest test reads the
slice hashes from it) and exits 1 if any check fails.
"""
import hashlib
import json
import os
import struct
import subprocess
import sys

import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
series = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'public', 'data', 'ct-thorax-phantom')
out_json = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'check-phantom.json')

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


index = json.load(open(os.path.join(series, 'index.json')))
files = index['files']
check(len(files) == index['geometry']['slices'], 'index.json lists every slice')

LONG_VRS = {b'OB', b'OW', b'OF', b'SQ', b'UT', b'UN', b'UC', b'UR', b'OD', b'OL', b'OV'}
TEXT_VRS = {b'AE', b'AS', b'CS', b'DA', b'DS', b'DT', b'IS', b'LO', b'LT', b'PN', b'SH', b'ST', b'TM', b'UI', b'UT'}


def walk_explicit_le(buf):
    """Yield (group, element, vr, value bytes) for a flat explicit-VR LE stream after the preamble."""
    assert buf[128:132] == b'DICM', 'missing DICM prefix'
    pos = 132
    while pos < len(buf):
        g, e = struct.unpack_from('<HH', buf, pos)
        vr = buf[pos + 4:pos + 6]
        if vr in LONG_VRS:
            (n,) = struct.unpack_from('<I', buf, pos + 8)
            head = 12
        else:
            (n,) = struct.unpack_from('<H', buf, pos + 6)
            head = 8
        val = buf[pos + head:pos + head + n]
        assert len(val) == n, f'({g:04x},{e:04x}) truncated'
        yield g, e, vr, val
        pos += head + n


tag_errors = []
meta_ok = True
pixel_hashes = {}
datasets = []
for name in files:
    path = os.path.join(series, name)
    raw = open(path, 'rb').read()
    # 1. Byte-level rules of PS3.5 / PS3.10.
    elements = list(walk_explicit_le(raw))
    prev = None
    meta_len_declared = None
    meta_len_actual = 0
    for g, e, vr, val in elements:
        tag = (g << 16) | e
        if prev is not None and tag <= prev:
            tag_errors.append(f'{name}: tags not ascending at ({g:04x},{e:04x})')
        prev = tag if g != 0x0002 or tag != 0x00020000 else prev
        if len(val) % 2:
            tag_errors.append(f'{name}: odd length ({g:04x},{e:04x})')
        if vr in TEXT_VRS and len(val) > 0:
            pad = val[-1:]
            if vr == b'UI':
                if b' ' in val:
                    tag_errors.append(f'{name}: UI with space ({g:04x},{e:04x})')
                if pad not in (b'\x00',) and not val[-1:].isdigit():
                    tag_errors.append(f'{name}: UI bad padding ({g:04x},{e:04x})')
            elif b'\x00' in val:
                tag_errors.append(f'{name}: NUL in text VR {vr} ({g:04x},{e:04x})')
        if g == 0x0002:
            if e == 0x0000:
                meta_len_declared = struct.unpack('<I', val)[0]
            else:
                meta_len_actual += (12 if vr in LONG_VRS else 8) + len(val)
    meta_ok &= check(meta_len_declared == meta_len_actual, f'{name}: (0002,0000) group length {meta_len_declared} != {meta_len_actual}')
    # 2. pydicom: strict read (no force) and tag values.
    ds = pydicom.dcmread(path)
    datasets.append((name, ds))
    # 3. dcmdump must parse without errors or warnings.
    r = subprocess.run(['dcmdump', '-q', '+L', path], capture_output=True, text=True)
    bad = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith(('E:', 'W:', 'F:'))]
    check(r.returncode == 0 and not bad, f'{name}: dcmdump: {bad[:3]} rc={r.returncode}')
    if name in ('slice-017.dcm', 'slice-046.dcm'):
        pixel_hashes[name] = hashlib.sha256(raw).hexdigest()

check(not tag_errors, f'byte-level value rules: {tag_errors[:5]}')

# Header values.
ds0 = datasets[0][1]
expect = {
    'SOPClassUID': '1.2.840.10008.5.1.4.1.1.2',
    'Modality': 'CT',
    'PatientName': 'Phantom^Thorax',
    'SeriesDescription': 'Synthetic thorax CT phantom (not a patient)',
    'Manufacturer': 'Medical Imaging Primer (synthetic)',
    'Rows': 512,
    'Columns': 512,
    'SamplesPerPixel': 1,
    'PhotometricInterpretation': 'MONOCHROME2',
    'BitsAllocated': 16,
    'BitsStored': 16,
    'HighBit': 15,
    'PixelRepresentation': 0,
    'RescaleType': 'HU',
    'PatientPosition': 'HFS',
}
header_values = {}
for name, ds in datasets:
    check(ds.file_meta.TransferSyntaxUID == '1.2.840.10008.1.2.1', f'{name}: transfer syntax')
    check(ds.file_meta.MediaStorageSOPClassUID == ds.SOPClassUID, f'{name}: meta SOP class')
    check(ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID, f'{name}: meta SOP instance')
    check(bool(ds.file_meta.ImplementationClassUID), f'{name}: implementation class UID')
    for k, v in expect.items():
        check(str(ds.get(k)) == str(v), f'{name}: {k} = {ds.get(k)!r}, want {v!r}')
    check(list(ds.ImageType) == ['DERIVED', 'SECONDARY', 'AXIAL'], f'{name}: ImageType')
    check(float(ds.RescaleSlope) == 1 and float(ds.RescaleIntercept) == -1024, f'{name}: rescale')
    check(float(ds.KVP) == 120, f'{name}: KVP')
    check(float(ds.WindowCenter) == 40 and float(ds.WindowWidth) == 400, f'{name}: window')
for k in list(expect) + ['StudyInstanceUID', 'SeriesInstanceUID', 'FrameOfReferenceUID']:
    header_values[k] = str(ds0.get(k))
for uid_key in ('StudyInstanceUID', 'SeriesInstanceUID', 'FrameOfReferenceUID'):
    check(len({str(ds.get(uid_key)) for _, ds in datasets}) == 1, f'one {uid_key} for the series')
check(len({str(ds.SOPInstanceUID) for _, ds in datasets}) == len(datasets), 'unique SOPInstanceUIDs')
check(header_values['SeriesInstanceUID'] == index['seriesInstanceUID'], 'index.json series UID')
for _, ds in datasets:
    for uid in (ds.SOPInstanceUID, ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID):
        check(str(uid).startswith('2.25.') and len(str(uid)) <= 64, f'UID under 2.25: {uid}')

# Geometry: sort by position along the slice normal, never by file name.
iop = np.array([float(v) for v in ds0.ImageOrientationPatient])
normal = np.cross(iop[:3], iop[3:])
order = sorted(datasets, key=lambda nd: float(np.dot(normal, [float(v) for v in nd[1].ImagePositionPatient])))
pos = np.array([[float(v) for v in ds.ImagePositionPatient] for _, ds in order])
d = np.diff(pos[:, 2])
geometry = {
    'imageOrientationPatient': iop.tolist(),
    'pixelSpacing': [float(v) for v in ds0.PixelSpacing],
    'sliceThickness': float(ds0.SliceThickness),
    'sliceSpacingFromPositions': [float(d.min()), float(d.max())],
    'zRange': [float(pos[0, 2]), float(pos[-1, 2])],
    'originXY': pos[0, :2].tolist(),
    'fileOrderIsSpatialOrder': [n for n, _ in order] == files,
    'instanceNumberIncreasesTowardFeet': all(
        int(a.InstanceNumber) > int(b.InstanceNumber) for (_, a), (_, b) in zip(order[:-1], order[1:])
    ),
}
check(np.allclose(iop, [1, 0, 0, 0, 1, 0]), 'axial IOP')
check(all(np.allclose([float(v) for v in ds.ImageOrientationPatient], iop) for _, ds in datasets), 'same IOP on all slices')
check(np.allclose(d, 2.5, atol=1e-6), 'uniform 2.5 mm slice spacing')
check(np.allclose(pos[:, :2], pos[0, :2]), 'same x, y origin on all slices')
check(np.allclose(geometry['pixelSpacing'], [0.7, 0.7]), 'pixel spacing 0.7')
check(geometry['sliceThickness'] == 2.5, 'slice thickness 2.5')
check(all(abs(float(ds.SliceLocation) - float(ds.ImagePositionPatient[2])) < 1e-6 for _, ds in datasets), 'SliceLocation = z')
check(sorted(int(ds.InstanceNumber) for _, ds in datasets) == list(range(1, len(files) + 1)), 'InstanceNumber 1..N')
check(index['sliceZ'] == [float(ds.ImagePositionPatient[2]) for _, ds in datasets], 'index.json sliceZ matches files')

# Volume in HU (z ascending = index k of the manifest's ijk).
vol = np.stack([ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept) for _, ds in order])
probes = []
for p in index['landmarks']['probes']:
    i, j, k = p['ijk']
    patch = vol[k, j - 2:j + 3, i - 2:i + 3]
    med = float(np.median(patch))
    ok = abs(med - p['expectedHU']) <= p['tolerance']
    check(ok, f"probe {p['name']}: median {med:.1f} vs {p['expectedHU']} ± {p['tolerance']}")
    same_file = order[k][0] == p['file']
    check(same_file, f"probe {p['name']}: k={k} is {order[k][0]}, manifest says {p['file']}")
    probes.append({'name': p['name'], 'ijk': p['ijk'], 'file': p['file'], 'expectedHU': p['expectedHU'],
                   'medianHU5x5': round(med, 1), 'tolerance': p['tolerance'], 'pass': bool(ok)})

# Noise: air well outside the body and a homogeneous muscle patch.
noise_air = float(vol[30:40, 10:60, 10:60].std())
para = index['landmarks']['probes'][2]
i, j, k = para['ijk']
noise_muscle = float(vol[k, j - 4:j + 5, i - 4:i + 5].std())
check(8 <= noise_air <= 16, f'air noise sigma {noise_air:.1f}')
check(8 <= noise_muscle <= 20, f'muscle noise sigma {noise_muscle:.1f}')

# Metal: every voxel >= 3000 HU lies within the manifest's implant bounds, and there are some.
metal = np.argwhere(vol >= 3000)
sp = 0.7
ox, oy = geometry['originXY']
z_asc = pos[:, 2]
world = np.stack([ox + metal[:, 2] * sp, oy + metal[:, 1] * sp, z_asc[metal[:, 0]]], axis=1) if len(metal) else np.zeros((0, 3))
pieces = index['landmarks']['metal']['pieces']
lo = np.min([pc['boundsMin'] for pc in pieces], axis=0) - [1.5, 1.5, 2.5]
hi = np.max([pc['boundsMax'] for pc in pieces], axis=0) + [1.5, 1.5, 2.5]
inside = np.all((world >= lo) & (world <= hi), axis=1) if len(world) else np.array([], bool)
check(len(metal) > 500, f'metal voxels >= 3000 HU: {len(metal)}')
check(bool(inside.all()), f'{int((~inside).sum())} metal voxels outside the implant bounds')
metal_summary = {
    'voxelsAtLeast3000HU': int(len(metal)),
    'worldBoundsMin': world.min(axis=0).round(2).tolist() if len(world) else None,
    'worldBoundsMax': world.max(axis=0).round(2).tolist() if len(world) else None,
    'slicesWithMetal': sorted({order[int(k)][0] for k in np.unique(metal[:, 0])}) if len(metal) else [],
    'maxHU': float(vol.max()),
}

summary = {
    'generator': 'scripts/make-thorax-phantom.ts',
    'readers': {'pydicom': pydicom.__version__, 'dcmdump': subprocess.run(['dcmdump', '--version'], capture_output=True, text=True).stdout.splitlines()[0]},
    'files': len(files),
    'header': header_values,
    'geometry': geometry,
    'huMinMax': [float(vol.min()), float(vol.max())],
    'noiseSigmaHU': {'airOutsideBody': round(noise_air, 2), 'paraspinalMuscle': round(noise_muscle, 2)},
    'probes': probes,
    'metal': metal_summary,
    'sha256': {**pixel_hashes, 'index.json': hashlib.sha256(open(os.path.join(series, 'index.json'), 'rb').read()).hexdigest()},
    'failures': failures,
    'pass': not failures,
}
with open(out_json, 'w') as f:
    json.dump(summary, f, indent=2)
    f.write('\n')
print(json.dumps({k: summary[k] for k in ('files', 'noiseSigmaHU', 'pass')}))
for p in probes:
    print(f"  {'ok ' if p['pass'] else 'BAD'} {p['name']:38s} {p['medianHU5x5']:8.1f}  (expect {p['expectedHU']} ± {p['tolerance']})")
for msg in failures:
    print('FAIL', msg)
sys.exit(0 if not failures else 1)

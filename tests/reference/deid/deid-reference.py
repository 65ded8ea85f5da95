#!/usr/bin/python3
"""Independent reference for src/io/dicom-deidentify.ts, with pydicom.

  /usr/bin/python3 tests/reference/deid/deid-reference.py
      applies PS3.15 Table E.1-1 (table-e1-1.json, made by make-table.py) to the repository's
      samples with pydicom and writes reference.json: per sample, each changed element (path,
      action, value after for D and Z) and the set of element paths that remain.
  /usr/bin/python3 tests/reference/deid/deid-reference.py --read FILE
      prints, as JSON, what pydicom reads from FILE: transfer syntax, every element path with its
      value as text (text VRs), and the SHA-256 of the pixel data.

The rules are the module comment's of dicom-deidentify.ts, written again here on pydicom's data
model: compound codes resolved as X/Z->Z, X/D->D, Z/D->D, X/Z/D->D (Z for sequences),
X/Z/U*->U (a sequence kept, its items processed); private attributes (odd groups) removed;
inside a sequence replaced with D, text values (not CS) become dummies and UIDs replacements;
group lengths dropped; (0012,0062-0064) added.
"""
import hashlib
import json
import sys
from pathlib import Path

import pydicom

here = Path(__file__).resolve().parent
root = here.parent.parent.parent
# Paths from the repository root. rtplan: implicit VR, nested sequences; 693_J2KI: encapsulated
# JPEG 2000 pixel data; the two MR_small copies (written by make_fixtures): big endian, deflated.
SAMPLES = ['public/data/CT_small.dcm', 'public/data/MR_small.dcm', 'public/data/ct-thorax-phantom/slice-030.dcm',
           'public/data/bad/rtplan.dcm', 'public/data/693_J2KI.dcm',
           'tests/reference/deid/MR_small_bigendian.dcm', 'tests/reference/deid/MR_small_deflated.dcm']


def make_fixtures():
    from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian
    for ts, name in ((ExplicitVRBigEndian, 'MR_small_bigendian.dcm'), (DeflatedExplicitVRLittleEndian, 'MR_small_deflated.dcm')):
        ds = pydicom.dcmread(root / 'public' / 'data' / 'MR_small.dcm')
        ds.file_meta.TransferSyntaxUID = ts
        ds.is_little_endian = ts != ExplicitVRBigEndian
        ds.is_implicit_VR = False
        ds.save_as(here / name, write_like_original=False)
DUMMY = {'AE': 'ANONYMIZED', 'AS': '000Y', 'CS': 'ANONYMIZED', 'DA': '19000101', 'DS': '0', 'DT': '19000101000000', 'IS': '0',
         'LO': 'ANONYMIZED', 'LT': 'ANONYMIZED', 'PN': 'ANONYMIZED', 'SH': 'ANONYMIZED', 'ST': 'ANONYMIZED', 'TM': '000000',
         'UC': 'ANONYMIZED', 'UR': 'urn:x-anonymized', 'UT': 'ANONYMIZED'}
TEXT_VRS = set(DUMMY) | {'UI'}

table = json.load(open(here / 'table-e1-1.json'))['rows']
exact = {int(t, 16): c for t, c, _ in table if 'X' not in t}
masked = [(int(''.join('0' if ch == 'X' else 'F' for ch in t), 16), int(t.replace('X', '0'), 16), c) for t, c, _ in table if 'X' in t]


def code_of(tag):
    if (tag >> 16) & 1:
        return 'private'
    if tag in exact:
        return exact[tag]
    for mask, value, c in masked:
        if tag & mask == value:
            return c
    return None


def resolve(code, vr):
    sq = vr == 'SQ'
    return {'private': 'X', 'X/Z': 'Z', 'X/D': 'D', 'Z/D': 'D', 'X/Z/D': 'Z' if sq else 'D', 'X/Z/U*': 'K' if sq else 'U', 'C': 'D'}.get(code, code)


def fmt(tag):
    return '(%04X,%04X)' % (tag >> 16, tag & 0xFFFF)


def walk(ds, prefix, dummy, changes, remaining, top):
    for elem in list(ds):
        tag = int(elem.tag)
        if top and tag >> 16 == 0x0002:
            continue
        if tag & 0xFFFF == 0:
            del ds[elem.tag]
            continue
        if top and 0x00120062 <= tag <= 0x00120064:
            continue
        path = prefix + fmt(tag)
        code = code_of(tag)
        action = 'K' if code is None else resolve(code, elem.VR)
        empty = elem.value is None or elem.value == '' or (hasattr(elem.value, '__len__') and len(elem.value) == 0)
        if dummy and action == 'K' and elem.VR not in ('SQ', 'CS') and elem.VR in TEXT_VRS and not empty:
            action = 'U' if elem.VR == 'UI' else 'D'
        if action == 'U' and empty:
            action = 'K'
        if action != 'K':
            changes.append({'path': path, 'action': action})
        if action == 'X':
            del ds[elem.tag]
            continue
        remaining.append(path)
        if elem.VR == 'SQ':
            if action == 'Z':
                elem.value = []
                continue
            for i, item in enumerate(elem.value):
                walk(item, '%s[%d]/' % (path, i), dummy or action == 'D', changes, remaining, False)
            continue
        if action == 'Z':
            elem.value = None
            changes[-1]['after'] = ''
        elif action == 'D':
            changes[-1]['after'] = DUMMY.get(elem.VR, '')
        elif action == 'U':
            changes[-1]['after'] = 'uid'


def reference():
    out = {'pydicom': pydicom.__version__, 'source': json.load(open(here / 'table-e1-1.json'))['source'], 'samples': {}}
    make_fixtures()
    for name in SAMPLES:
        ds = pydicom.dcmread(root / name)
        changes, remaining = [], []
        if 'MediaStorageSOPInstanceUID' in ds.file_meta:
            changes.append({'path': '(0002,0003)', 'action': 'U', 'after': 'uid'})
        for elem in ds.file_meta:
            if int(elem.tag) not in (0x00020000, 0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013):
                changes.append({'path': fmt(int(elem.tag)), 'action': 'X'})
        walk(ds, '', False, changes, remaining, True)
        remaining += ['(0012,0062)', '(0012,0063)', '(0012,0064)', '(0012,0064)[0]/(0008,0100)', '(0012,0064)[0]/(0008,0102)', '(0012,0064)[0]/(0008,0104)']
        out['samples'][name] = {'changes': changes, 'remaining': sorted(remaining)}
    (here / 'reference.json').write_text(json.dumps(out, indent=1) + '\n')
    print({k: (len(v['changes']), len(v['remaining'])) for k, v in out['samples'].items()})


def read(file):
    ds = pydicom.dcmread(file)
    values = {}

    def rec(d, prefix):
        for elem in d:
            path = prefix + fmt(int(elem.tag))
            if elem.VR == 'SQ':
                values[path] = len(elem.value)
                for i, item in enumerate(elem.value):
                    rec(item, '%s[%d]/' % (path, i))
            elif elem.VR in TEXT_VRS:
                v = elem.value
                values[path] = '' if v is None else '\\'.join(str(x) for x in v) if isinstance(v, pydicom.multival.MultiValue) else str(v)
    rec(ds.file_meta, '')
    rec(ds, '')
    px = ds.get((0x7FE0, 0x0010))
    print(json.dumps({'transferSyntax': str(ds.file_meta.TransferSyntaxUID), 'values': values,
                      'pixelSha256': hashlib.sha256(px.value).hexdigest() if px is not None else None}))


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--read':
        read(sys.argv[2])
    else:
        reference()

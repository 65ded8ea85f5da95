#!/usr/bin/python3
"""Byte offsets of the top-level data elements of each reference DICOM file, from pydicom 2.3's
own low-level reader (filereader.data_element_generator: `value_tell` is where the value starts).
Output: element-offsets.json = { file: [[tag, offset, valueOffset, length], ...] } where offset is
value_tell minus the element header (8 bytes, or 12 for explicit VR OB/OD/OF/OL/OV/OW/SQ/UC/UN/UR/UT).
Run: /usr/bin/python3 tests/reference/io/dicom/make-offsets.py
"""
import json, os
from pydicom.filereader import data_element_generator, read_preamble
from pydicom.uid import UID

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_bigendian.dcm', 'MR_small_implicit.dcm', 'rtplan.dcm', '693_J2KI.dcm', 'test-SR.dcm']
LONG = {'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT'}

def rows(gen, explicit, ts_out=None):
    out = []
    for el in gen:
        vr = el.VR
        header = 12 if explicit and vr in LONG else 8
        if hasattr(el, 'value_tell'):  # RawDataElement
            tell, length = el.value_tell, el.length
            if el.tag == 0x00020010 and ts_out is not None:
                ts_out.append(UID(el.value.decode('ascii').rstrip('\0 ')))
        else:  # a sequence, parsed by the generator into a DataElement (its length is not kept)
            tell, length = el.file_tell, -1
        out.append(['(%04X,%04X)' % (el.tag >> 16, el.tag & 0xFFFF), tell - header, tell, length if length != 0xFFFFFFFF else -1])
    return out

result = {}
for name in FILES:
    with open(os.path.join(HERE, 'files', name), 'rb') as fp:
        read_preamble(fp, False)
        found = []
        # stop_when rewinds the file to the start of the first element after the meta group
        meta = rows(data_element_generator(fp, False, True, stop_when=lambda tag, vr, length: tag.group != 2), True, found)
        ts = found[0] if found else '1.2.840.10008.1.2'
        implicit = ts == '1.2.840.10008.1.2'
        little = ts != '1.2.840.10008.1.2.2'
        body = rows(data_element_generator(fp, implicit, little), not implicit)
    result[name] = meta + body
with open(os.path.join(HERE, 'element-offsets.json'), 'w') as f:
    f.write('{\n' + ',\n'.join('%s: %s' % (json.dumps(k), json.dumps(v, separators=(',', ':'))) for k, v in result.items()) + '\n}\n')
print({k: len(v) for k, v in result.items()})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { identifyingReason, readDicomHeader, type DicomTag } from '../../../src/io'

const ROOT = join(__dirname, '../../..')
const header = (rel: string) => readDicomHeader(new Uint8Array(readFileSync(join(ROOT, rel))))
const byKeyword = (tags: DicomTag[], k: string) => tags.find((t) => t.keyword === k)!

describe('identifyingReason', () => {
  const ct = header('public/data/CT_small.dcm')
  it('flags names, patient attributes, dates, instance UIDs and institution data in a real CT header', () => {
    expect(identifyingReason(byKeyword(ct, 'PatientName'))).toBe('person name')
    expect(identifyingReason(byKeyword(ct, 'PatientID'))).toBe('patient attribute')
    expect(identifyingReason(byKeyword(ct, 'StudyDate'))).toBe('date or time')
    expect(identifyingReason(byKeyword(ct, 'StudyTime'))).toBe('date or time')
    expect(identifyingReason(byKeyword(ct, 'SOPInstanceUID'))).toBe('instance UID')
    expect(identifyingReason(byKeyword(ct, 'StudyInstanceUID'))).toBe('instance UID')
    expect(identifyingReason(byKeyword(ct, 'InstitutionName'))).toBe('institution or device')
  })
  it('leaves the image description alone', () => {
    for (const k of ['SOPClassUID', 'TransferSyntaxUID', 'Modality', 'Rows', 'Columns', 'PixelSpacing', 'ImagePositionPatient', 'RescaleSlope', 'PixelData']) {
      expect(identifyingReason(byKeyword(ct, k)), k).toBeNull()
    }
  })
  it('flags every private element and no sequence item delimiter', () => {
    const priv = ct.filter((t) => parseInt(t.tag.slice(1, 5), 16) % 2 === 1)
    expect(priv.length).toBeGreaterThan(0)
    for (const t of priv) expect(identifyingReason(t), t.tag).toBe('private attribute')
    expect(identifyingReason({ tag: '(FFFE,E000)', vr: '', keyword: 'Item', name: 'Item 1' })).toBeNull()
  })
})

import * as dicomParserNs from 'dicom-parser'
import { describe, expect, it } from 'vitest'
import { encodeElements, formatDS, writeDicomFile } from '../../../scripts/dicom-writer'

const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs) as typeof dicomParserNs

describe('dicom-writer', () => {
  it('pads odd-length values: UI with NUL, other text with a space (PS3.5 §6.2)', () => {
    const ui = encodeElements([{ tag: 0x00080018, vr: 'UI', value: '1.2.3' }])
    expect(Array.from(ui)).toEqual([0x08, 0x00, 0x18, 0x00, 0x55, 0x49, 6, 0, 0x31, 0x2e, 0x32, 0x2e, 0x33, 0x00])
    const cs = encodeElements([{ tag: 0x00080060, vr: 'CS', value: 'MRI' }])
    expect(cs[cs.length - 1]).toBe(0x20)
    expect(cs[6]).toBe(4)
  })

  it('uses the long explicit-VR header for OB/OW and sorts by tag', () => {
    const b = encodeElements([
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array([1, 2, 3, 4]) },
      { tag: 0x00280010, vr: 'US', value: 2 },
    ])
    expect(b.length).toBe(10 + 16)
    expect(Array.from(b.subarray(0, 10))).toEqual([0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 2, 0, 2, 0])
    expect(Array.from(b.subarray(10, 22))).toEqual([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0, 4, 0, 0, 0])
  })

  it('writes a Part-10 file that dicom-parser reads, with a correct group length', () => {
    const f = writeDicomFile(
      { mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7', mediaStorageSopInstanceUid: '2.25.1', implementationClassUid: '2.25.2' },
      [{ tag: 0x00100010, vr: 'PN', value: 'Doe^J' }, { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' }],
    )
    const ds = dicomParser.parseDicom(f)
    expect(ds.string('x00100010')).toBe('Doe^J')
    expect(ds.string('x00020003')).toBe('2.25.1')
    const g = ds.elements['x00020000']!
    const metaEnd = Math.max(...Object.values(ds.elements).filter((e) => e.tag.startsWith('x0002')).map((e) => e.dataOffset + e.length))
    expect(ds.uint32('x00020000')).toBe(metaEnd - (g.dataOffset + 4))
  })

  it('rejects values the standard forbids', () => {
    expect(() => encodeElements([{ tag: 0x00080060, vr: 'CS', value: 'X'.repeat(17) }])).toThrow(/longer than 16/)
    expect(() => encodeElements([{ tag: 0x00080018, vr: 'UI', value: '1'.repeat(65) }])).toThrow(/longer than 64/)
    expect(() => encodeElements([{ tag: 0x00100010, vr: 'PN', value: 'Müller' }])).toThrow(/non-ASCII/)
    expect(() => encodeElements([{ tag: 1, vr: 'US', value: 1 }, { tag: 1, vr: 'US', value: 2 }])).toThrow(/duplicate/)
    expect(() => writeDicomFile({ mediaStorageSopClassUid: '1', mediaStorageSopInstanceUid: '2', implementationClassUid: '3' }, [{ tag: 0x00020010, vr: 'UI', value: '1' }])).toThrow(/file meta/)
  })

  it('formats decimal strings within 16 characters', () => {
    expect(formatDS(-178.85)).toBe('-178.85')
    expect(formatDS(2.5)).toBe('2.5')
    expect(formatDS(-0)).toBe('0')
    expect(formatDS(1 / 3).length).toBeLessThanOrEqual(16)
    expect(Number(formatDS(1 / 3))).toBeCloseTo(1 / 3, 9)
    expect(() => formatDS(NaN)).toThrow(/finite/)
  })
})

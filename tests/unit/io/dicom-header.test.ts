/**
 * readDicomHeader against pydicom 2.3's element lists (tests/reference/io/dicom/make-reference.py):
 * same elements in the same order (file meta included, sequences recursively), same VR, keyword
 * and values.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DicomError, readDicomHeader, type DicomTag } from '../../../src/io/dicom'

const REF = join(__dirname, '../../reference/io/dicom')

interface PyElem {
  tag: string
  vr: string
  keyword: string
  value?: string
  numbers?: number[]
  items?: PyElem[][]
}

function bytesOf(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REF, 'files', rel)))
}

// pydicom resolves the dictionary's ambiguous VRs ('US or SS', 'OB or OW') from context; we take the first.
const AMBIGUOUS = new Set(['US', 'SS', 'OB', 'OW', 'UN'])

function compare(ours: DicomTag[], theirs: PyElem[], where: string, implicit: boolean): number {
  expect(ours.map((t) => t.tag), where).toEqual(theirs.map((t) => t.tag))
  let checked = 0
  for (let i = 0; i < theirs.length; i++) {
    const a = ours[i]
    const b = theirs[i]
    const at = `${where} ${b.tag}`
    if (implicit && AMBIGUOUS.has(a.vr) && AMBIGUOUS.has(b.vr)) {
      // dictionary 'US or SS' etc.
    } else if (implicit && b.keyword === '' && a.vr === 'UN') {
      // Implicit VR private element: pydicom knows vendors' private dictionaries, we do not.
    } else {
      expect(a.vr, at).toBe(b.vr)
    }
    expect(a.keyword, at).toBe(b.keyword)
    if (b.keyword === '') expect(a.name, at).toMatch(/^Private (tag|Creator)$/)
    if (implicit && b.keyword === '' && a.vr === 'UN') continue // value needs the private dictionary
    if (b.items) {
      expect(a.value, at).toBe(`Sequence of ${b.items.length} item(s)`)
      expect(a.children?.length, at).toBe(b.items.length)
      b.items.forEach((item, k) => {
        checked += compare(a.children![k].children!, item, `${at}[${k}]`, implicit)
      })
    } else if (b.value !== undefined) {
      if (b.vr === 'DS' || b.vr === 'IS') {
        const x = a.value.split('\\').filter((s) => s !== '').map(Number)
        const y = b.value.split('\\').filter((s) => s !== '').map(Number)
        expect(x.length, at).toBe(y.length)
        x.forEach((v, k) => expect(v, at).toBeCloseTo(y[k], 10))
      } else {
        expect(a.value, at).toBe(b.value.replace(/[ \0]+$/, ''))
      }
      checked++
    } else if (b.numbers !== undefined) {
      const x = a.value === '' ? [] : a.value.split('\\').map(Number)
      expect(x.length, at).toBe(b.numbers.length)
      x.forEach((v, k) => expect(v, at).toBeCloseTo(b.numbers![k], 5))
      checked++
    }
    if (b.tag === '(7FE0,0010)') expect(a.value, at).toMatch(/^(Pixel data|Encapsulated pixel data).*\d+ bytes$/)
  }
  return checked
}

const FILES: [string, boolean][] = [
  ['CT_small.dcm', false],
  ['MR_small_bigendian.dcm', false],
  ['MR_small_implicit.dcm', true],
  ['image_dfl.dcm', false],
  ['rtplan.dcm', true],
  ['test-SR.dcm', false],
  ['CT_small_no_meta.dcm', true],
  ['ExplVR_BigEndNoMeta.dcm', false],
]

describe('readDicomHeader vs pydicom', () => {
  for (const [file, implicit] of FILES) {
    it(`${file}: tags, VRs, keywords and values in file order`, () => {
      const theirs = JSON.parse(readFileSync(join(REF, 'expected', `header-${file.replace('.dcm', '')}.json`), 'utf8')) as PyElem[]
      const ours = readDicomHeader(bytesOf(file))
      const checked = compare(ours, theirs, file, implicit)
      expect(checked).toBeGreaterThan(10)
    })
  }

  it('CT_small: dictionary names, pixel data as its length, private tags', () => {
    const h = readDicomHeader(bytesOf('CT_small.dcm').slice().buffer)
    const byTag = new Map(h.map((t) => [t.tag, t]))
    expect(byTag.get('(0010,0010)')).toMatchObject({ vr: 'PN', keyword: 'PatientName', name: "Patient's Name", value: 'CompressedSamples^CT1' })
    expect(byTag.get('(0028,0030)')).toMatchObject({ keyword: 'PixelSpacing', value: '0.661468\\0.661468' })
    expect(byTag.get('(7FE0,0010)')).toMatchObject({ vr: 'OW', value: 'Pixel data: 32768 bytes', length: 32768 })
    const priv = h.filter((t) => t.name === 'Private tag')
    expect(priv.length).toBeGreaterThan(0)
    expect(priv.every((t) => parseInt(t.tag.slice(1, 5), 16) % 2 === 1 && t.keyword === '')).toBe(true)
  })

  it('encapsulated (JPEG 2000) pixel data is summarised, not dumped', () => {
    const h = readDicomHeader(bytesOf('693_J2KI.dcm'))
    const px = h.find((t) => t.tag === '(7FE0,0010)')!
    expect(px.vr).toBe('OW') // as this file declares it (pydicom reads OW too; OB would be standard)
    expect(px.value).toMatch(/^Encapsulated pixel data: 1 fragment\(s\), \d+ bytes$/)
    expect(h.find((t) => t.keyword === 'TransferSyntaxUID')!.value).toBe('1.2.840.10008.1.2.4.91')
  })

  it('rtplan: nested sequences as items with children', () => {
    const h = readDicomHeader(bytesOf('rtplan.dcm'))
    const beams = h.find((t) => t.keyword === 'BeamSequence')!
    expect(beams.vr).toBe('SQ')
    expect(beams.value).toMatch(/^Sequence of \d+ item\(s\)$/)
    const item = beams.children![0]
    expect(item).toMatchObject({ tag: '(FFFE,E000)', keyword: 'Item', name: 'Item 1' })
    expect(item.children!.some((c) => c.keyword === 'ControlPointSequence' && c.children!.length > 0)).toBe(true)
  })

  it('errors: not DICOM, truncated', () => {
    expect(() => readDicomHeader(new Uint8Array(200))).toThrow(DicomError)
    expect(() => readDicomHeader(bytesOf('MR_truncated.dcm'))).toThrow(/truncated.*62 bytes of pixel data are missing/)
  })
})

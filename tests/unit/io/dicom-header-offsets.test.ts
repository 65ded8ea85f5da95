/**
 * readDicomHeader's byte offsets against pydicom 2.3's low-level reader
 * (tests/reference/io/dicom/make-offsets.py): for every top-level element, where its tag starts,
 * where its value starts and its length, in explicit and implicit VR, little and big endian.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDicomHeader } from '../../../src/io/dicom'

const REF = join(__dirname, '../../reference/io/dicom')
const expected = JSON.parse(readFileSync(join(REF, 'element-offsets.json'), 'utf8')) as Record<string, [string, number, number, number][]>

describe('readDicomHeader offsets (pydicom data_element_generator)', () => {
  for (const [file, rows] of Object.entries(expected)) {
    it(file, () => {
      const tags = readDicomHeader(new Uint8Array(readFileSync(join(REF, 'files', file))))
      expect(tags.map((t) => t.tag)).toEqual(rows.map((r) => r[0]))
      rows.forEach(([tag, offset, valueOffset, length], i) => {
        expect(tags[i].offset, tag).toBe(offset)
        expect(tags[i].valueOffset, tag).toBe(valueOffset)
        if (length >= 0 && tags[i].vr !== 'SQ' && tag !== '(7FE0,0010)') expect(tags[i].length, tag).toBe(length)
      })
      // Elements are contiguous: each starts where the previous one's value ended (defined lengths).
      for (let i = 1; i < tags.length; i++) {
        const prev = tags[i - 1]
        if (prev.vr !== 'SQ' && rows[i - 1][3] >= 0) expect(tags[i].offset, tags[i].tag).toBe(prev.valueOffset + prev.length)
      }
    })
  }
})

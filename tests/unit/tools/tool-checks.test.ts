/**
 * The reference outputs shipped for the 1.6 figure (public/data/tool-checks/, computed by OpenCV,
 * scikit-image and numpy in tests/reference/tools/make-tool-checks.py) against the library on the
 * same inputs: what the figure claims in the browser must hold here too.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyWindow, clahe, equalizeHistogram, skimageOtsuThreshold } from '../../../src'
import { makeImage } from '../../../src/image'

const DIR = join(__dirname, '../../../public/data/tool-checks')
const ix = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8'))
const u8 = (f: string) => new Uint8Array(readFileSync(join(DIR, f)))
const slice = u8(ix.colinSlice.file)
const [w, h] = ix.colinSlice.size
const colin = () => makeImage([w, h], { data: slice.slice() })

describe('library vs the tools, on the shipped inputs', () => {
  it('CLAHE equals OpenCV pixel for pixel', () => {
    expect(Array.from(clahe(colin(), { clipLimit: 2, tileGridSize: [8, 8] }).data as Uint8Array)).toEqual(Array.from(u8(ix.clahe.file)))
  })
  it('histogram equalisation equals OpenCV pixel for pixel', () => {
    expect(Array.from(equalizeHistogram(colin()).data as Uint8Array)).toEqual(Array.from(u8(ix.equalize.file)))
  })
  it("Otsu's threshold and mask equal scikit-image's", () => {
    const t = skimageOtsuThreshold(slice)
    expect(t).toBe(ix.otsu.threshold)
    expect(Array.from(slice, (v) => (v > t ? 1 : 0))).toEqual(Array.from(u8(ix.otsu.file)))
  })
  it("Otsu on int16 CT uses one bin per integer, on float data 256 bins, as scikit-image", () => {
    const hu = new Int16Array(readFileSync(join(DIR, ix.ctHu.file)).buffer.slice(0))
    expect(skimageOtsuThreshold(hu)).toBe(ix.otsuCtInt16)
    expect(skimageOtsuThreshold(Float64Array.from(hu))).toBeCloseTo(ix.otsuCtFloat, 9)
  })
  it("the LINEAR window equals numpy's float64 result stored as float32, value for value", () => {
    const hu = new Int16Array(readFileSync(join(DIR, ix.ctHu.file)).buffer.slice(0))
    const ref = new Float32Array(readFileSync(join(DIR, ix.window.file)).buffer.slice(0))
    const ours = applyWindow(makeImage(ix.ctHu.size, { data: hu }), { center: 40, width: 400 }, { outputComponentType: 'float32' }).data as Float32Array
    let max = 0
    for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ours[i] - ref[i]))
    expect(max).toBe(0)
  })
})

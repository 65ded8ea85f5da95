import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { otsuMask, otsuThreshold } from '../../../src/segment/otsu'

/** Otsu by exhaustive search over cut points between sorted distinct values (two well-separated classes). */
function bestSplit(values: number[]): [number, number] {
  const v = [...values].sort((a, b) => a - b)
  let best = -1
  let at: [number, number] = [v[0], v[0]]
  for (let k = 1; k < v.length; k++) {
    if (v[k] === v[k - 1]) continue
    const a = v.slice(0, k)
    const b = v.slice(k)
    const ma = a.reduce((s, x) => s + x, 0) / a.length
    const mb = b.reduce((s, x) => s + x, 0) / b.length
    const between = a.length * b.length * (ma - mb) ** 2
    if (between > best) {
      best = between
      at = [v[k - 1], v[k]]
    }
  }
  return at
}

describe('otsuThreshold', () => {
  it('separates two classes where the between-class variance is largest', () => {
    const values = [10, 11, 12, 12, 13, 14, 50, 51, 52, 55, 56, 58, 60]
    const image = makeImage([values.length, 1], { data: Float32Array.from(values) })
    const t = otsuThreshold(image, { numberOfHistogramBins: 64 })
    const [lo, hi] = bestSplit(values)
    expect(t).toBeGreaterThanOrEqual(lo)
    expect(t).toBeLessThan(hi)
  })

  it('uses only the voxels of the mask', () => {
    // Outside the mask: a bright block that would move the threshold if it counted.
    const data = Float32Array.from([1, 2, 3, 20, 21, 22, 500, 500, 500, 500])
    const mask = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
    const t = otsuThreshold(makeImage([10, 1], { data }), { maskImage: makeImage([10, 1], { data: mask }) })
    expect(t).toBeGreaterThanOrEqual(3)
    expect(t).toBeLessThan(20)
  })

  it('says what is wrong with a mask', () => {
    const image = makeImage([4, 1], { data: Float32Array.from([1, 2, 3, 4]) })
    expect(() => otsuThreshold(image, { maskImage: makeImage([4, 1], { componentType: 'uint8' }) })).toThrow(/mask is empty/)
    expect(() => otsuThreshold(image, { maskImage: makeImage([3, 1], { componentType: 'uint8' }) })).toThrow(/3 voxels, the image 4/)
  })
})

describe('otsuThreshold vs ITK 5.2 OtsuThresholdImageFilter (tests/reference/segment/make-otsu-reference.py)', () => {
  interface Desc { file: string; dtype: 'int16' | 'uint8' | 'float32'; size: number[] }
  const dir = fileURLToPath(new URL('../../reference/segment/', import.meta.url))
  const ctors = { int16: Int16Array, uint8: Uint8Array, float32: Float32Array }
  const load = (d: Desc) => {
    const b = gunzipSync(readFileSync(dir + 'data/' + d.file))
    const data = new ctors[d.dtype](b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
    return makeImage(d.size.length === 2 ? [...d.size, 1] : d.size, { data })
  }
  const cases = JSON.parse(readFileSync(dir + 'otsu-cases.json', 'utf8')) as { input: Desc; mask: Desc | null; bins: number; threshold: number }[]
  for (const c of cases) {
    it(`${c.input.file} ${c.mask ? 'masked ' : ''}${c.bins} bins`, () => {
      const t = otsuThreshold(load(c.input), { numberOfHistogramBins: c.bins, maskImage: c.mask ? load(c.mask) : undefined })
      expect(Math.abs(t - c.threshold)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.threshold)))
    })
  }
  it("defaults to ITK's 128 bins", () => {
    const c = cases.find((c) => c.bins === 128 && !c.mask)!
    expect(otsuThreshold(load(c.input))).toBe(otsuThreshold(load(c.input), { numberOfHistogramBins: 128 }))
  })
})

describe('otsuMask', () => {
  it('marks the voxels strictly above otsuThreshold, inside the mask, and counts them', () => {
    const data = Float32Array.from([1, 2, 3, 20, 21, 22, 500, 500, 500, 500])
    const image = makeImage([10, 1], { data })
    const inside = makeImage([10, 1], { data: Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]) })
    for (const maskImage of [undefined, inside]) {
      const t = otsuThreshold(image, { maskImage })
      const r = otsuMask(image, { maskImage })
      expect(r.threshold).toBe(t)
      const expected = Array.from(data, (v, i) => (v > t && (!maskImage || (maskImage.data as Uint8Array)[i]) ? 1 : 0))
      expect(Array.from(r.mask.data as Uint8Array)).toEqual(expected)
      expect(r.voxels).toBe(expected.reduce<number>((a, b) => a + b, 0))
      expect(r.mask.size).toEqual(image.size)
    }
  })
})

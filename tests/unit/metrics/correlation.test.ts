import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { pearsonCorrelation } from '../../../src/metrics/index'

const file = fileURLToPath(new URL('../../reference/metrics/correlation.json', import.meta.url))
interface Case { size: number[]; a: number[]; b: number[]; mask: number[]; corrcoef: number; corrcoefMasked: number }

describe('pearsonCorrelation', () => {
  it('matches numpy.corrcoef, with and without a mask', () => {
    const cases = JSON.parse(readFileSync(file, 'utf8')) as Case[]
    expect(cases.length).toBe(3)
    for (const c of cases) {
      const a = makeImage(c.size, { data: Float32Array.from(c.a) })
      const b = makeImage(c.size, { data: Float32Array.from(c.b) })
      const mask = makeImage(c.size, { data: Uint8Array.from(c.mask) })
      expect(pearsonCorrelation(a, b)).toBeCloseTo(c.corrcoef, 12)
      expect(pearsonCorrelation(a, b, { maskImage: mask })).toBeCloseTo(c.corrcoefMasked, 12)
    }
  })

  it('is ±1 for affine relations and symmetric', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3 + i / 7)
    const a = makeImage([50], { data: x })
    const b = makeImage([50], { data: x.map((v) => 4 - 2 * v) })
    expect(pearsonCorrelation(a, b)).toBeCloseTo(-1, 12)
    expect(pearsonCorrelation(a, makeImage([50], { data: x.map((v) => 3 * v + 1) }))).toBeCloseTo(1, 12)
    expect(pearsonCorrelation(b, a)).toBe(pearsonCorrelation(a, b))
  })

  it('is NaN for a constant image; rejects bad input', () => {
    const a = makeImage([4, 4], { data: new Float32Array(16).fill(2) })
    const b = makeImage([4, 4], { data: Float32Array.from({ length: 16 }, (_, i) => i) })
    expect(pearsonCorrelation(a, b)).toBeNaN()
    expect(() => pearsonCorrelation(b, makeImage([4, 5]))).toThrow(/second image is 4×5 but the image is 4×4/)
    expect(() => pearsonCorrelation(b, b, { maskImage: makeImage([4, 4], { componentType: 'uint8' }) })).toThrow(/mask is empty/)
    expect(() => pearsonCorrelation(b, b, { maskImage: makeImage([3, 4]) })).toThrow(/mask is 3×4/)
  })

  it('log: the correlation of the logarithms, e.g. of a true and an estimated bias field', () => {
    const cases = JSON.parse(readFileSync(file, 'utf8')) as Case[]
    for (const c of cases) {
      // Positive fields whose logs are the fixture's values: corrcoef(log a, log b) is the fixture's.
      const a = makeImage(c.size, { data: Float64Array.from(c.a, Math.exp) })
      const b = makeImage(c.size, { data: Float64Array.from(c.b, Math.exp) })
      const mask = makeImage(c.size, { data: Uint8Array.from(c.mask) })
      expect(pearsonCorrelation(a, b, { log: true })).toBeCloseTo(c.corrcoef, 9)
      expect(pearsonCorrelation(a, b, { log: true, maskImage: mask })).toBeCloseTo(c.corrcoefMasked, 9)
    }
  })
})

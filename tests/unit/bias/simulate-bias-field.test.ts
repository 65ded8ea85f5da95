import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { biasFieldTermCount, simulateBiasField } from '../../../src/bias/index'

const refFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference', 'bias', 'simulate_bias_field.json')

interface RefCase { size: number[]; order: number; coefficients: number[]; image: number[]; field: number[]; output: number[] }

/** The model's exponent at voxel (i, j, k), written out from the formula (not the library's loop). */
function exponent(coefficients: number[], order: number, size: number[], v: number[]): number {
  const norm = (i: number, n: number) => (n > 1 ? (i - (n - 1) / 2) / ((n - 1) / 2) : 0)
  const [x, y, z] = [norm(v[0], size[0]), norm(v[1], size[1]), norm(v[2] ?? 0, size[2] ?? 1)]
  let s = 0
  let t = 0
  for (let i = 0; i <= order; i++) for (let j = 0; j <= order - i; j++) for (let k = 0; k <= order - i - j; k++) s += coefficients[t++] * x ** i * y ** j * z ** k
  return s
}

describe('simulateBiasField', () => {
  it('matches TorchIO generate_bias_field (numpy re-typing) on odd, even and flat shapes', () => {
    const cases = JSON.parse(readFileSync(refFile, 'utf8')) as RefCase[]
    expect(cases.length).toBe(5)
    for (const c of cases) {
      const image = makeImage(c.size, { data: Float32Array.from(c.image) })
      const { image: out, field, coefficients } = simulateBiasField(image, { order: c.order, coefficients: c.coefficients })
      expect(coefficients).toEqual(c.coefficients)
      const f = pixelData(field)
      const o = pixelData(out)
      expect(field.imageType.componentType).toBe('float32')
      expect(out.imageType.componentType).toBe('float32')
      for (let i = 0; i < f.length; i++) {
        expect(Math.abs(f[i] - c.field[i])).toBeLessThanOrEqual(2e-7 * c.field[i])
        expect(Math.abs(o[i] - c.output[i])).toBeLessThanOrEqual(4e-7 * Math.max(1, c.output[i]))
      }
    }
  })

  it('gives exp(formula) at chosen voxels for known coefficients (3D, 2D)', () => {
    const size = [9, 6, 5]
    const coefficients = Array.from({ length: biasFieldTermCount(3) }, (_, t) => ((t * 37) % 11) / 20 - 0.25)
    const image = makeImage(size, { data: new Float32Array(9 * 6 * 5).fill(10) })
    const { field, image: out } = simulateBiasField(image, { coefficients })
    const f = pixelData(field)
    const o = pixelData(out)
    for (const v of [[0, 0, 0], [8, 5, 4], [4, 2, 2], [1, 3, 4], [7, 0, 1]]) {
      const at = v[0] + 9 * (v[1] + 6 * v[2])
      const expected = Math.exp(exponent(coefficients, 3, size, v))
      expect(f[at]).toBeCloseTo(expected, 5)
      expect(o[at]).toBeCloseTo(10 * expected, 4)
    }
    // 2D: z = 0, so only the k = 0 terms count.
    const flat = makeImage([7, 4], { data: new Float32Array(28).fill(1) })
    const f2 = pixelData(simulateBiasField(flat, { coefficients }).field)
    for (const v of [[0, 0], [6, 3], [3, 1]]) {
      expect(f2[v[0] + 7 * v[1]]).toBeCloseTo(Math.exp(exponent(coefficients, 3, [7, 4, 1], [v[0], v[1], 0])), 5)
    }
  })

  it('is deterministic for a seed, different for another, and within ±amplitude', () => {
    const image = makeImage([8, 7, 6], { data: new Float32Array(336).fill(1) })
    const a = simulateBiasField(image, { seed: 42, amplitude: 0.4 })
    const b = simulateBiasField(image, { seed: 42, amplitude: 0.4 })
    const c = simulateBiasField(image, { seed: 43, amplitude: 0.4 })
    expect(a.coefficients).toEqual(b.coefficients)
    expect(Array.from(pixelData(a.field))).toEqual(Array.from(pixelData(b.field)))
    expect(a.coefficients).not.toEqual(c.coefficients)
    expect(a.coefficients.length).toBe(20)
    for (const x of a.coefficients) expect(Math.abs(x)).toBeLessThanOrEqual(0.4)
    // Default seed 0 is reproducible too, and amplitude 0 gives a unit field.
    expect(simulateBiasField(image).coefficients).toEqual(simulateBiasField(image, { seed: 0 }).coefficients)
    expect(new Set(pixelData(simulateBiasField(image, { amplitude: 0 }).field)).size).toBe(1)
  })

  it('order 0 is a constant field exp(c)', () => {
    const image = makeImage([5, 4, 3], { data: new Float32Array(60).map((_, i) => i) })
    const { field, image: out } = simulateBiasField(image, { order: 0, coefficients: [0.2] })
    const f = pixelData(field)
    const o = pixelData(out)
    for (let i = 0; i < 60; i++) {
      expect(f[i]).toBe(Math.fround(Math.exp(0.2)))
      expect(o[i]).toBe(Math.fround(i * Math.fround(Math.exp(0.2))))
    }
  })

  it('rejects bad input with specific messages', () => {
    const image = makeImage([4, 4, 4])
    expect(() => simulateBiasField(image, { order: -1 })).toThrow(/order must be an integer ≥ 0/)
    expect(() => simulateBiasField(image, { order: 1.5 })).toThrow(/order must be an integer/)
    expect(() => simulateBiasField(image, { order: 2, coefficients: [1, 2, 3] })).toThrow(/order 2 needs 10 coefficients, got 3/)
    expect(() => simulateBiasField(image, { amplitude: -1 })).toThrow(/amplitude must be/)
    expect(() => simulateBiasField(image, { coefficients: new Array(20).fill(NaN) })).toThrow(/finite/)
    expect(() => simulateBiasField(makeImage([4]), {})).toThrow(/2D or 3D/)
    expect(() => simulateBiasField(makeImage([4, 4], { components: 3 }), {})).toThrow(/scalar/)
  })
})

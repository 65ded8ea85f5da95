import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { clipIntensity } from '../../../src/intensity/clip'
import { hounsfieldFromStored } from '../../../src/intensity/hounsfield'
import { normalizeMinMax } from '../../../src/intensity/normalize-min-max'
import { zScore } from '../../../src/intensity/z-score'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/intensity/basic-reference.json'), 'utf8')) as any

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number, what: string) {
  expect(actual.length, what).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])))
  expect(worst, what).toBeLessThanOrEqual(tol)
}

describe('hounsfieldFromStored vs numpy', () => {
  const shape = ref.hounsfield.shape as number[]
  const img = makeImage(shape, { data: Int16Array.from(ref.hounsfield.input as number[]) })
  for (const c of ref.hounsfield.cases as { slope: number; intercept: number; expected: number[] }[]) {
    it(`slope ${c.slope}, intercept ${c.intercept}`, () => {
      const out = hounsfieldFromStored(img, { slope: c.slope, intercept: c.intercept })
      const integral = Number.isInteger(c.slope) && Number.isInteger(c.intercept)
      const fits = Math.max(...c.expected) <= 32767 && Math.min(...c.expected) >= -32768
      expect(out.imageType.componentType).toBe(integral && fits ? 'int16' : 'float32')
      expectClose(out.data as ArrayLike<number>, c.expected, 1e-7, 'HU')
      expect(out.size).toEqual(shape)
    })
  }
  it('defaults to slope 1, intercept 0 and gives float32 for float input', () => {
    const f = makeImage([3], { data: new Float32Array([1.5, -2, 3]) })
    const out = hounsfieldFromStored(f)
    expect(out.imageType.componentType).toBe('float32')
    expect(Array.from(out.data as Float32Array)).toEqual([1.5, -2, 3])
    expect(() => hounsfieldFromStored(f, { slope: NaN })).toThrow(/finite/)
  })
})

describe('clipIntensity vs numpy', () => {
  const img = makeImage(ref.hounsfield.shape, { data: Int16Array.from(ref.clip.input as number[]) })
  for (const c of ref.clip.cases as { min: number; max: number; expected: number[] }[]) {
    it(`int16 clip ${c.min}..${c.max} keeps the type`, () => {
      const out = clipIntensity(img, { min: c.min, max: c.max })
      expect(out.imageType.componentType).toBe('int16')
      expect(Array.from(out.data as Int16Array)).toEqual(c.expected)
    })
  }
  it('float32 clip', () => {
    const c = ref.clipFloat.cases[0]
    const out = clipIntensity(makeImage([ref.clipFloat.input.length], { data: Float32Array.from(ref.clipFloat.input) }), { min: c.min, max: c.max })
    expect(out.imageType.componentType).toBe('float32')
    expectClose(out.data as Float32Array, c.expected, 0, 'clip')
  })
  it('rejects min > max', () => {
    expect(() => clipIntensity(img, { min: 5, max: 4 })).toThrow(/greater than max/)
  })
})

describe('normalizeMinMax vs numpy', () => {
  const img = makeImage([ref.minmax.input.length], { data: Float32Array.from(ref.minmax.input) })
  for (const c of ref.minmax.cases as { options: Record<string, number>; expected: number[] }[]) {
    it(`options ${JSON.stringify(c.options)}`, () => {
      const out = normalizeMinMax(img, c.options)
      expect(out.imageType.componentType).toBe('float32')
      expectClose(out.data as Float32Array, c.expected, 1e-6, 'minmax')
    })
  }
  it('rejects a constant image and max <= min', () => {
    expect(() => normalizeMinMax(makeImage([3], { data: new Float32Array([2, 2, 2]) }))).toThrow(/greater than min/)
    expect(() => normalizeMinMax(img, { min: 5, max: 5 })).toThrow(/greater than min/)
  })
})

describe('zScore vs numpy', () => {
  const z = ref.zscore
  const img = makeImage(z.shape, { data: Float32Array.from(z.input) })
  it('over all voxels (population std)', () => {
    const out = zScore(img)
    expect(out.imageType.componentType).toBe('float32')
    expectClose(out.data as Float32Array, z.expectedAll, 1e-5, 'z all')
  })
  it('over mask voxels, applied to every voxel', () => {
    const out = zScore(img, { maskImage: makeImage(z.shape, { data: Uint8Array.from(z.mask) }) })
    expectClose(out.data as Float32Array, z.expectedMask, 1e-5, 'z mask')
  })
  it('errors for an empty mask, a mismatched mask and std 0', () => {
    expect(() => zScore(img, { maskImage: makeImage(z.shape, { componentType: 'uint8' }) })).toThrow(/mask is empty/)
    expect(() => zScore(img, { maskImage: makeImage([2, 2, 2], { componentType: 'uint8' }) })).toThrow(/does not match/)
    expect(() => zScore(makeImage([4], { data: new Float32Array([3, 3, 3, 3]) }))).toThrow(/standard deviation/)
  })
})

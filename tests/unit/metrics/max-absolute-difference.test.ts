import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { maxAbsoluteDifference } from '../../../src/metrics/max-absolute-difference'

const img = (values: number[]) => makeImage([values.length, 1], { data: Float32Array.from(values) })

describe('maxAbsoluteDifference', () => {
  it('is the largest |a − b|, inside the mask when one is given', () => {
    const a = img([1, 5, -3, 10])
    const b = img([1.5, 2, -3, 0])
    expect(maxAbsoluteDifference(a, b)).toBe(10)
    const mask = makeImage([4, 1], { data: Uint8Array.from([1, 1, 1, 0]) })
    expect(maxAbsoluteDifference(a, b, { maskImage: mask })).toBe(3)
    expect(maxAbsoluteDifference(a, a)).toBe(0)
  })

  it('does not hide a NaN', () => {
    expect(maxAbsoluteDifference(img([1, NaN, 2]), img([1, 1, 9]))).toBeNaN()
  })

  it('says when sizes differ', () => {
    expect(() => maxAbsoluteDifference(img([1, 2]), img([1, 2, 3]))).toThrow(/2 and 3 voxels/)
    expect(() => maxAbsoluteDifference(img([1, 2]), img([1, 2]), { maskImage: img([1]) })).toThrow(/mask has 1 voxels/)
  })
})

import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { rmse } from '../../../src/metrics/index'

describe('rmse', () => {
  const a = makeImage([4], { data: Float64Array.from([0, 0, 0, 0]) })
  const b = makeImage([4], { data: Float64Array.from([1, -1, 3, 0]) })
  it('is √(mean of squared differences)', () => expect(rmse(a, b)).toBeCloseTo(Math.sqrt(11 / 4), 14))
  it('counts only masked voxels', () => expect(rmse(a, b, { maskImage: makeImage([4], { data: Uint8Array.from([0, 0, 1, 0]) }) })).toBe(3))
  it('rejects images of different sizes', () => expect(() => rmse(a, makeImage([3]))).toThrow())
})

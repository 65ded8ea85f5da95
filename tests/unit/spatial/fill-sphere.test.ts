import { describe, expect, it } from 'vitest'
import { fillSphere } from '../../../src/spatial'
import { makeImage } from '../../../src/image'

describe('fillSphere', () => {
  it('sets exactly the voxels whose centres are within the radius, on an anisotropic grid', () => {
    const img = makeImage([20, 20, 10], { spacing: [1, 1, 2], origin: [-10, -10, -10], componentType: 'int16' })
    const out = fillSphere(img, [0, 0, 0], 8, 7)
    const d = out.data as Int16Array
    let count = 0
    let expected = 0
    for (let k = 0; k < 10; k++) for (let j = 0; j < 20; j++) for (let i = 0; i < 20; i++) {
      const inside = Math.hypot(i - 10, j - 10, 2 * k - 10) <= 4
      if (inside) expected++
      if (d[(k * 20 + j) * 20 + i] === 7) count++
      expect(d[(k * 20 + j) * 20 + i]).toBe(inside ? 7 : 0)
    }
    expect(count).toBe(expected)
    expect((img.data as Int16Array).every((v) => v === 0)).toBe(true) // the input is untouched
  })
})

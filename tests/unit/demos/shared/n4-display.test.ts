// The N4 figure's first picture: the middle slice times its field, computed on the page, must be
// the very slice the volume simulation gives (else the picture would change when the volume lands).
import { describe, expect, it, vi } from 'vitest'
import { extractSlice, makeImage, pixelData } from '../../../../src/image'
import { simulateBiasField } from '../../../../src/bias/simulate-bias-field'

vi.mock('../../../../demos/kit/plot', () => ({ isDark: () => false }))
const { greyHigh, middleSlicePreview } = await import('../../../../demos/shared/n4-display')

function volume(nx: number, ny: number, nz: number) {
  const data = Float32Array.from({ length: nx * ny * nz }, (_, i) => 10 + ((i * 7919) % 97))
  return makeImage([nx, ny, nz], { data, spacing: [1, 1.5, 2], origin: [3, -4, 5] })
}

describe('middleSlicePreview', () => {
  it('equals the middle slice of the simulated volume, for an odd slice count', () => {
    const clean = volume(9, 7, 11)
    const p = middleSlicePreview(clean, undefined, 0.4, 5)!
    const full = simulateBiasField(clean, { amplitude: 0.4, seed: 5 })
    const expected = extractSlice(full.image, 5)
    expect(Array.from(pixelData(p.image))).toEqual(Array.from(pixelData(expected)))
    expect(Array.from(pixelData(p.field))).toEqual(Array.from(pixelData(extractSlice(full.field, 5))))
    expect(p.image.origin).toEqual(expected.origin)
    expect(p.greyHigh).toBe(greyHigh(expected, expected))
  })

  it('gives no preview when the middle is not at z = 0 (even slice count) or for a 2D image', () => {
    expect(middleSlicePreview(volume(9, 7, 10), undefined, 0.3, 1)).toBeNull()
    const flat = makeImage([9, 7], { data: new Float32Array(63).fill(1) })
    expect(middleSlicePreview(flat, undefined, 0.3, 1)).toBeNull()
  })
})

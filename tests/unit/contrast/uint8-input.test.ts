import { describe, expect, it } from 'vitest'
import { mapRangeToUint8, uint8Pixels } from '../../../src/contrast/uint8-input'
import { makeImage } from '../../../src/image'
import { index, referenceImage } from './reference'

describe('mapping of non-8-bit pixels to 0..255', () => {
  it.each(index.mapping.map((c) => [`${c.input} ${c.window ? 'window' : 'min–max'}`, c] as const))('matches the numpy reference: %s', (_name, c) => {
    const mapped = uint8Pixels(referenceImage(c.input), 'test', c.window ?? undefined)
    expect(mapped).toEqual(referenceImage(c.mapped).data)
  })

  it('rounds to nearest, clips outside the window and sends NaN to 0', () => {
    const out = new Uint8Array(8)
    mapRangeToUint8(Float64Array.from([-1, 0, 0.4, 0.6, 254.4, 255, 300, NaN]), 0, 255, out)
    expect(Array.from(out)).toEqual([0, 0, 0, 1, 254, 255, 255, 0])
  })

  it('uses uint8 pixels as they are unless a window is given, and ignores non-finite values for min–max', () => {
    const u8 = makeImage([3, 1], { data: Uint8Array.from([10, 20, 30]) })
    expect(uint8Pixels(u8, 'test')).toBe(u8.data)
    // PS3.3 LINEAR, c = 20, w = 20: 10 <= c - 0.5 - (w-1)/2 = 10 → 0; 30 > 29.5 → 255;
    // 20 → ((20 - 19.5) / 19 + 0.5) · 255 = 134.2 → 134.
    expect(Array.from(uint8Pixels(u8, 'test', { center: 20, width: 20 }))).toEqual([0, 134, 255])
    const f = makeImage([4, 1], { data: Float32Array.from([Infinity, 2, 4, -Infinity]) })
    expect(Array.from(uint8Pixels(f, 'test'))).toEqual([255, 0, 255, 0])
  })

  it('maps a constant image to 0', () => {
    expect(Array.from(uint8Pixels(makeImage([2, 2], { data: new Int16Array(4).fill(-7) }), 'test'))).toEqual([0, 0, 0, 0])
  })
})

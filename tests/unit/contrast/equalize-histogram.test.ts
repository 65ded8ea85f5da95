import { describe, expect, it } from 'vitest'
import { equalizeHistogram } from '../../../src/contrast/index'
import { makeImage } from '../../../src/image'
import { agreement, index, referenceImage } from './reference'

describe('equalizeHistogram vs OpenCV 4.6 equalizeHist', () => {
  it.each(index.equalizeHist.map((c) => [c.input, c] as const))('%s', (_name, c) => {
    const out = equalizeHistogram(referenceImage(c.input))
    expect(out.imageType.componentType).toBe('uint8')
    expect(agreement(out.data as Uint8Array, referenceImage(c.output).data as Uint8Array).exact).toBe(1)
  })

  it.each(index.mapping.map((c) => [`${c.input} ${c.window ? 'window' : 'min–max'}`, c] as const))('non-8-bit input: %s', (_name, c) => {
    const out = equalizeHistogram(referenceImage(c.input), { window: c.window ?? undefined })
    expect(out.data).toEqual(referenceImage(c.equalized).data)
  })

  it('equalizes each slice of a volume on its own', () => {
    const c = index.volume[0]
    const fractions: number[] = []
    const out = equalizeHistogram(referenceImage(c.input), { onProgress: (f) => fractions.push(f) })
    expect(out.data).toEqual(referenceImage(c.equalized).data)
    expect(fractions).toEqual([0.25, 0.5, 0.75, 1])
  })

  it('gives the same result for a pixel buffer that is not 32-bit aligned', () => {
    const c = index.equalizeHist.find((k) => k.input === 'synth_127x93')!
    const img = referenceImage(c.input)
    const buffer = new Uint8Array((img.data as Uint8Array).length + 1)
    buffer.set(img.data as Uint8Array, 1)
    const out = equalizeHistogram(makeImage(img.size, { data: buffer.subarray(1) }))
    expect(out.data).toEqual(referenceImage(c.output).data)
  })

  it('keeps a single-level image at its level and spreads two levels to 0 and 255', () => {
    expect(Array.from(equalizeHistogram(makeImage([3, 2], { data: new Uint8Array(6).fill(77) })).data as Uint8Array)).toEqual([77, 77, 77, 77, 77, 77])
    expect(Array.from(equalizeHistogram(makeImage([2, 2], { data: Uint8Array.from([5, 9, 9, 5]) })).data as Uint8Array)).toEqual([0, 255, 255, 0])
  })

  it('rejects bad input', () => {
    expect(() => equalizeHistogram(makeImage([0, 3], { componentType: 'uint8' }))).toThrow(/empty/)
    expect(() => equalizeHistogram(makeImage([2, 2, 2, 2], { componentType: 'uint8' }))).toThrow(/4D/)
  })
})

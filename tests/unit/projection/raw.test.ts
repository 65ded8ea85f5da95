/** simulateRawCounts: the calibration scans and readings have the means and spreads of the model; reproducible. */
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { simulateRawCounts } from '../../../src/projection/index'

const flat = (channels: number, views: number, value: number) => makeImage([channels, views], { data: new Float64Array(channels * views).fill(value), name: 'uniform' })

describe('simulateRawCounts', () => {
  it('air scan = gain·I0 + offset, dark = offset (within the averaged noise)', () => {
    const r = simulateRawCounts(flat(200, 4, 0), { I0: 1e4, calibrationFrames: 100, readNoise: 5 })
    for (let c = 0; c < 200; c++) {
      expect(Math.abs(r.dark[c] - r.truth.offset[c])).toBeLessThan(5 * 5 / 10)
      expect(Math.abs(r.air[c] - (r.truth.gain[c] * 1e4 + r.truth.offset[c]))).toBeLessThan(5 * Math.sqrt(1e4 + 25) / 10)
    }
  })
  it('gains spread by gainSpread; offsets by offsetSpread around offset', () => {
    const r = simulateRawCounts(flat(4000, 1, 0), { gainSpread: 0.04, offset: 300, offsetSpread: 20, seed: 5 })
    const sd = (a: Float64Array) => {
      const m = a.reduce((s, x) => s + x, 0) / a.length
      return [m, Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length)]
    }
    const [gm, gs] = sd(r.truth.gain)
    const [om, os] = sd(r.truth.offset)
    expect(Math.abs(gm - 1)).toBeLessThan(0.004)
    expect(Math.abs(gs - 0.04)).toBeLessThan(0.004)
    expect(Math.abs(om - 300)).toBeLessThan(2)
    expect(Math.abs(os - 20)).toBeLessThan(2)
  })
  it('readings: mean g·I0·f·e^{−p} + d; variance g²·mean photons + readNoise²; flux drifts linearly', () => {
    const views = 400
    const r = simulateRawCounts(flat(3, views, 1.5), { I0: 2e4, gainSpread: 0, offset: 50, offsetSpread: 0, drift: 0, fluxRatio: 1.5, readNoise: 10, seed: 9 })
    const v = pixelData(r.counts)
    const lam = 2e4 * 1.5 * Math.exp(-1.5)
    let s = 0
    let s2 = 0
    for (let i = 0; i < v.length; i++) {
      s += v[i]
      s2 += v[i] * v[i]
    }
    const m = s / v.length
    const variance = s2 / v.length - m * m
    expect(Math.abs(m - (lam + 50))).toBeLessThan(4 * Math.sqrt((lam + 100) / v.length))
    expect(Math.abs(variance / (lam + 100) - 1)).toBeLessThan(0.15)
    const d = simulateRawCounts(flat(2, 11, 0), { drift: 0.1, fluxRatio: 2 })
    expect(d.truth.flux[0]).toBeCloseTo(2, 12)
    expect(d.truth.flux[10]).toBeCloseTo(2.2, 12)
    expect(Math.abs(d.reference[10] / d.reference[0] - 1.1)).toBeLessThan(0.01)
  })
  it('a dead channel reads its offset only; the same seed gives the same scan', () => {
    const a = simulateRawCounts(flat(8, 3, 0.5), { deadChannels: [2], seed: 4 })
    const b = simulateRawCounts(flat(8, 3, 0.5), { deadChannels: [2], seed: 4 })
    expect(Array.from(pixelData(a.counts))).toEqual(Array.from(pixelData(b.counts)))
    expect(Math.abs(a.air[2] - a.dark[2])).toBeLessThan(5)
    expect(a.truth.gain[2]).toBe(0)
  })
})

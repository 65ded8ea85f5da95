import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UltrasoundError, hilbertEnvelope, simulateUltrasound, speckleSnr } from '../../../src/ultrasound'
import { makeImage } from '../../../src/image'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/ultrasound/reference.json'), 'utf8')) as {
  hilbert: { n: number; N: number; rf: number[]; envelope: number[] }[]
  rayleighSnr: number
}

describe('hilbertEnvelope vs scipy.signal.hilbert', () => {
  for (const [k, c] of ref.hilbert.entries()) {
    it(`signal ${k} (${c.n} samples, N = ${c.N})`, () => {
      const env = hilbertEnvelope(c.rf, c.n, 1, 1, c.n)
      const range = Math.max(...c.envelope)
      for (let i = 0; i < c.n; i++) expect(Math.abs(env[i] - c.envelope[i])).toBeLessThan(1e-9 * range)
    })
  }
  it('reads strided signals (columns of an image)', () => {
    const a = ref.hilbert[0]
    const b = ref.hilbert[1]
    const interleaved = a.rf.flatMap((v, i) => [v, b.rf[i]])
    const env = hilbertEnvelope(interleaved, 256, 2, 2, 1)
    expect(Array.from(env.subarray(0, 256))).toEqual(Array.from(hilbertEnvelope(a.rf, 256, 1, 1, 256)))
    expect(Array.from(env.subarray(256))).toEqual(Array.from(hilbertEnvelope(b.rf, 256, 1, 1, 256)))
  })
})

describe('simulateUltrasound', () => {
  const region: [number, number, number, number] = [10, 40, 118, 470]
  it('fully developed speckle: envelope SNR near the Rayleigh value 1.913 (scipy.stats.rayleigh)', () => {
    expect(ref.rayleighSnr).toBeCloseTo(Math.sqrt(Math.PI / (4 - Math.PI)), 10)
    const snrs = [1, 2, 3].map((seed) => speckleSnr(simulateUltrasound({ scatterersPerCell: 20, seed }).envelope, region))
    const mean = snrs.reduce((a, b) => a + b) / snrs.length
    expect(Math.abs(mean - ref.rayleighSnr)).toBeLessThan(0.12)
  })
  // Kolmogorov–Smirnov distance between the envelope's empirical CDF and the Rayleigh CDF with the
  // same second moment, on a 256 × 1024 image (about 5,000 resolution cells; neighbouring samples
  // are correlated, so the distance is compared with a margin above 1.36/√cells ≈ 0.02).
  function ksRayleigh(scatterersPerCell: number, seed: number): number {
    const { envelope } = simulateUltrasound({ scatterersPerCell, seed, width: 256, depth: 1024 })
    const d = envelope.data as Float32Array
    const v: number[] = []
    for (let y = 80; y < 944; y++) for (let x = 10; x < 246; x++) v.push(d[y * 256 + x])
    v.sort((a, b) => a - b)
    const sigma2 = v.reduce((s, x) => s + x * x, 0) / (2 * v.length)
    let ks = 0
    v.forEach((x, i) => {
      const cdf = 1 - Math.exp(-(x * x) / (2 * sigma2))
      ks = Math.max(ks, Math.abs(cdf - (i + 1) / v.length), Math.abs(cdf - i / v.length))
    })
    return ks
  }
  it('the envelope of fully developed speckle follows a Rayleigh CDF; sparse scatterers do not', () => {
    expect(ksRayleigh(20, 7)).toBeLessThan(0.03)
    expect(ksRayleigh(1, 7)).toBeGreaterThan(0.15)
  })
  it('sparse scatterers are not fully developed speckle: SNR clearly below 1.91', () => {
    expect(speckleSnr(simulateUltrasound({ scatterersPerCell: 0.3, seed: 3 }).envelope, region)).toBeLessThan(1.6)
  })
  it('without TGC the deep image is darker by the round-trip attenuation', () => {
    const on = simulateUltrasound({ seed: 5, tgc: true, dynamicRangeDb: 120 })
    const off = simulateUltrasound({ seed: 5, tgc: false, dynamicRangeDb: 120 })
    const e1 = on.envelope.data as Float32Array
    const e2 = off.envelope.data as Float32Array
    // At depth z the amplitude ratio is 10^(−α f0 2z / 20): 0.5 dB/cm/MHz × 5 MHz × 2 × 0.8 cm = 4 dB at z = 400 samples × 0.02 mm.
    const z = 400
    let r = 0
    for (let x = 0; x < 128; x++) r += e2[z * 128 + x] / e1[z * 128 + x]
    expect(20 * Math.log10(r / 128)).toBeCloseTo(-4, 1)
  })
  it('an anechoic cyst in the echogenicity map is dark in the B-mode image', () => {
    const map = makeImage([128, 512], { componentType: 'float32', spacing: [0.2, 0.02] })
    const m = map.data as Float32Array
    m.fill(1)
    for (let y = 200; y < 320; y++) for (let x = 40; x < 88; x++) m[y * 128 + x] = 0
    const { bmode } = simulateUltrasound({ echogenicity: map, seed: 2 })
    const b = bmode.data as Uint8Array
    const mean = (x0: number, y0: number, x1: number, y1: number) => {
      let s = 0
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += b[y * 128 + x]
      return s / ((x1 - x0) * (y1 - y0))
    }
    expect(mean(52, 230, 76, 290)).toBeLessThan(mean(52, 40, 76, 150) / 3)
  })
  it('refuses bad options with codes', () => {
    const code = (f: () => unknown) => { try { f(); return 'none' } catch (e) { return e instanceof UltrasoundError ? e.code : 'other' } }
    expect(code(() => simulateUltrasound({ frequencyMHz: 40 }))).toBe('BAD_OPTION') // 0.02 mm sampling too coarse
    expect(code(() => simulateUltrasound({ width: 3 }))).toBe('BAD_OPTION')
    expect(code(() => simulateUltrasound({ echogenicity: makeImage([4, 4]) }))).toBe('BAD_MAP')
  })
})

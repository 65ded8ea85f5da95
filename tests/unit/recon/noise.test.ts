/** poissonNoise: moments of the draws (mean = variance = λ), P(0) = e^{−λ} for small λ, reproducibility, checks. */
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { mulberry32 } from '../../../src/random'
import { poissonNoise, poissonSample, ReconError } from '../../../src/recon/index'

describe('poissonSample', () => {
  for (const lam of [0.3, 4, 9.99, 10, 37.5, 1000, 123456]) {
    it(`λ = ${lam}: sample mean and variance within 4 standard errors of λ`, () => {
      const r = mulberry32(42)
      const n = 200_000
      let s = 0
      let s2 = 0
      let zeros = 0
      let bad = 0
      for (let i = 0; i < n; i++) {
        const k = poissonSample(lam, r)
        if (!(Number.isInteger(k) && k >= 0)) bad++
        s += k
        s2 += k * k
        if (k === 0) zeros++
      }
      expect(bad).toBe(0)
      const mean = s / n
      const variance = s2 / n - mean * mean
      expect(Math.abs(mean - lam)).toBeLessThan(4 * Math.sqrt(lam / n))
      // Var of the sample variance ≈ (2λ² + λ) / n for a Poisson variable.
      expect(Math.abs(variance - lam)).toBeLessThan(4 * Math.sqrt((2 * lam * lam + lam) / n))
      if (lam < 5) expect(Math.abs(zeros / n - Math.exp(-lam))).toBeLessThan(4 * Math.sqrt(Math.exp(-lam) / n))
    })
  }
})

describe('poissonNoise', () => {
  const img = makeImage([4, 2], { data: Float64Array.from([0, 1, 2, 3, 4, 50, 500, 5000]) })
  it('is reproducible from the seed and keeps zeros at zero', () => {
    const a = pixelData(poissonNoise(img, { seed: 7, scale: 2 }))
    const b = pixelData(poissonNoise(img, { seed: 7, scale: 2 }))
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(a[0]).toBe(0)
  })
  it('rejects negative means', () => {
    expect(() => poissonNoise(makeImage([2, 1], { data: Float64Array.from([1, -1]) }))).toThrow(expect.objectContaining({ code: 'BAD_DATA' }))
    expect(() => poissonNoise(makeImage([2, 1], { data: Float64Array.from([1, -1]) }))).toThrow(ReconError)
  })
})

describe('transmissionNoise', () => {
  const sino = makeImage([200, 50], { data: new Float64Array(10_000).fill(2) })
  it('returns line integrals whose mean is p and whose variance is about e^p / I₀ (the delta method)', async () => {
    const { transmissionNoise } = await import('../../../src/recon/index')
    const out = pixelData(transmissionNoise(sino, { photons: 1e5, seed: 3 }))
    let s = 0
    let s2 = 0
    for (const v of out) {
      s += v
      s2 += v * v
    }
    const mean = s / out.length
    const variance = s2 / out.length - mean * mean
    expect(Math.abs(mean - 2)).toBeLessThan(1e-3)
    expect(variance / (Math.exp(2) / 1e5)).toBeGreaterThan(0.95)
    expect(variance / (Math.exp(2) / 1e5)).toBeLessThan(1.05)
  })
})

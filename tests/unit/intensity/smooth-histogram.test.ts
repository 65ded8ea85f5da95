import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { quantileType7, smoothHistogram } from '../../../src/intensity/smooth-histogram'

interface Case { x: number[]; y: number[]; knots: number[]; logLambda: number; fitted: number[]; derivative: number[]; k?: number }
const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/intensity/smooth-reference.json'), 'utf8')) as { cases: Case[] }

describe("smoothHistogram vs R smooth_hist's model (truncated power basis, REML) in 60-digit arithmetic", () => {
  ref.cases.forEach((c, idx) => {
    it(`case ${idx + 1}: ${c.x.length} bins, ${c.knots.length} knots`, () => {
      const s = smoothHistogram(c.x, c.y, c.k ? { knots: c.k } : {})
      expect(Array.from(s.knots)).toEqual(c.knots.map((v) => expect.closeTo(v, 10)))
      expect(Math.log(s.lambda)).toBeCloseTo(c.logLambda, 3)
      const ymax = Math.max(...c.y)
      for (let i = 0; i < c.x.length; i++) {
        expect(Math.abs(s.fitted[i] - c.fitted[i])).toBeLessThan(1e-5 * ymax)
      }
      const dmax = Math.max(...c.derivative.map(Math.abs))
      for (let i = 0; i < c.x.length; i++) {
        expect(Math.abs(s.derivative[i] - c.derivative[i])).toBeLessThan(1e-5 * dmax)
      }
    })
  })

  it("REML's λ → ∞ on a comb-like histogram (integer data in 0.05-wide bins): the least-squares quartic, the limit", () => {
    // Counts only in every 20th bin, as R's hist(breaks = 2000) makes of 8-bit brain intensities.
    // The normal equations X'X + λP lost positive definiteness near log λ = 32 here; the QR does not.
    const x = Array.from({ length: 1000 }, (_, i) => 22.025 + 0.05 * i)
    const y = x.map((v, i) => (i % 20 === 0 ? Math.round(3000 * Math.exp(-(((v - 45) / 8) ** 2) / 2) + 5000 * Math.exp(-(((v - 60) / 6) ** 2) / 2)) : 0))
    const s = smoothHistogram(x, y)
    expect(Math.log(s.lambda)).toBeGreaterThan(40)
    // Least-squares quartic in a scaled variable (5 × 5 normal equations, well conditioned).
    const mid = (x[0] + x[x.length - 1]) / 2
    const half = (x[x.length - 1] - x[0]) / 2
    const a = Array.from({ length: 5 }, () => new Array<number>(6).fill(0))
    x.forEach((v, i) => {
      const u = (v - mid) / half
      const pw = [1, u, u * u, u ** 3, u ** 4]
      for (let r = 0; r < 5; r++) {
        for (let c = 0; c < 5; c++) a[r][c] += pw[r] * pw[c]
        a[r][5] += pw[r] * y[i]
      }
    })
    for (let c = 0; c < 5; c++) for (let r = c + 1; r < 5; r++) {
      const f = a[r][c] / a[c][c]
      for (let k = c; k < 6; k++) a[r][k] -= f * a[c][k]
    }
    const beta = new Array<number>(5).fill(0)
    for (let r = 4; r >= 0; r--) {
      let t = a[r][5]
      for (let k = r + 1; k < 5; k++) t -= a[r][k] * beta[k]
      beta[r] = t / a[r][r]
    }
    const quartic = x.map((v) => {
      const u = (v - mid) / half
      return beta[0] + beta[1] * u + beta[2] * u * u + beta[3] * u ** 3 + beta[4] * u ** 4
    })
    // At λ ≈ e^46 the penalty rows √λ E are ~1e10 times the data rows: rounding leaves ~1e-6.
    const scale = Math.max(...quartic.map(Math.abs))
    quartic.forEach((q, i) => expect(Math.abs(s.fitted[i] - q)).toBeLessThan(3e-6 * scale))
  })

  it('takes a given λ (in the units of x) instead of REML', () => {
    const c = ref.cases[0]
    const s = smoothHistogram(c.x, c.y, { lambda: Math.exp(c.logLambda) })
    expect(Math.log(s.lambda)).toBeCloseTo(c.logLambda, 12)
    c.fitted.forEach((f, i) => expect(Math.abs(s.fitted[i] - f)).toBeLessThan(1e-5 * Math.max(...c.y)))
    expect(() => smoothHistogram(c.x, c.y, { lambda: 0 })).toThrow(/lambda/)
  })

  it('R quantile type 7', () => {
    const v = [1, 2, 2, 2, 7, 10]
    expect(quantileType7(v, 0)).toBe(1)
    expect(quantileType7(v, 1)).toBe(10)
    expect(quantileType7(v, 0.5)).toBe(2)
    expect(quantileType7(v, 0.9)).toBeCloseTo(8.5, 12)
    // R 4.2.2: sprintf('%.17g', quantile(c(0, 0.1, 0.3), 0.3)) is 0.060000000000000012, because R
    // interpolates with h = (1 + 2 × 0.3) − 1, not 2 × 0.3 (which would give 0.06).
    expect(quantileType7([0, 0.1, 0.3], 0.3)).toBe(0.060000000000000012)
  })

  it('rejects too few bins and unsorted x', () => {
    expect(() => smoothHistogram([1, 2, 3], [1, 2, 3])).toThrow(/at least 10/)
    expect(() => smoothHistogram([1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10], new Array(11).fill(1))).toThrow(/increasing/)
    expect(() => smoothHistogram([1, 2], [1])).toThrow(/y has 1/)
  })
})

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

  it('R quantile type 7', () => {
    const v = [1, 2, 2, 2, 7, 10]
    expect(quantileType7(v, 0)).toBe(1)
    expect(quantileType7(v, 1)).toBe(10)
    expect(quantileType7(v, 0.5)).toBe(2)
    expect(quantileType7(v, 0.9)).toBeCloseTo(8.5, 12)
  })

  it('rejects too few bins and unsorted x', () => {
    expect(() => smoothHistogram([1, 2, 3], [1, 2, 3])).toThrow(/at least 10/)
    expect(() => smoothHistogram([1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10], new Array(11).fill(1))).toThrow(/increasing/)
    expect(() => smoothHistogram([1, 2], [1])).toThrow(/y has 1/)
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { clipStatistics } from '../../../src/intensity/index'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/intensity/clip-stats-reference.json'), 'utf8')) as any

describe('clipStatistics vs numpy', () => {
  for (const [name, Type] of [['int16', Int16Array], ['float32', Float32Array]] as const) {
    const img = makeImage(ref[name].shape, { data: Type.from(ref[name].input as number[]) })
    for (const c of ref[name].cases) {
      it(`${name} [${c.lower}, ${c.upper}]`, () => {
        const s = clipStatistics(img, { lower: c.lower, upper: c.upper })
        expect(s.belowCount).toBe(c.belowCount)
        expect(s.aboveCount).toBe(c.aboveCount)
        expect(s.total).toBe(c.total)
        expect(s.belowFraction).toBeCloseTo(c.belowFraction, 12)
        expect(s.aboveFraction).toBeCloseTo(c.aboveFraction, 12)
        expect(s.min).toBe(c.min)
        expect(s.max).toBe(c.max)
      })
    }
  }
  it('rejects lower >= upper and non-finite bounds', () => {
    const img = makeImage([2, 2], { data: Int16Array.from([0, 1, 2, 3]) })
    expect(() => clipStatistics(img, { lower: 5, upper: 5 })).toThrow(RangeError)
    expect(() => clipStatistics(img, { lower: 6, upper: 5 })).toThrow(/less than/)
    expect(() => clipStatistics(img, { lower: NaN, upper: 5 })).toThrow(/finite/)
    expect(() => clipStatistics(img, { lower: 0, upper: Infinity })).toThrow(/finite/)
  })
})

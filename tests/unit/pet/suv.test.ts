import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HALF_LIFE_SECONDS, SuvError, decayFactor, suvBodyWeight, type SuvInput } from '../../../src/pet'

const cases = JSON.parse(readFileSync(join(__dirname, '../../reference/pet/suv-cases.json'), 'utf8')) as (SuvInput & { suv: number })[]

describe('suvBodyWeight', () => {
  it('matches the independent Python implementation on 720 cases (START, ADMIN, NONE)', () => {
    for (const { suv, ...input } of cases) expect(suvBodyWeight(input).suv).toBeCloseTo(suv, 10)
  })
  it('is 1 when the activity is spread evenly through the body', () => {
    const weightKg = 70
    const dose = 300e6
    const t = 3600
    const c = (dose * decayFactor(t, HALF_LIFE_SECONDS.F18)) / (weightKg * 1000)
    expect(suvBodyWeight({ activityConcentration: c, injectedActivity: dose, bodyWeightKg: weightKg, halfLifeSeconds: HALF_LIFE_SECONDS.F18, elapsedSeconds: t }).suv).toBeCloseTo(1, 12)
  })
  it('halves the remaining activity every half-life', () => {
    expect(decayFactor(HALF_LIFE_SECONDS.F18, HALF_LIFE_SECONDS.F18)).toBeCloseTo(0.5, 14)
    expect(decayFactor(3 * HALF_LIFE_SECONDS.Ga68, HALF_LIFE_SECONDS.Ga68)).toBeCloseTo(0.125, 14)
    // ¹⁸F after 60 min: 2^(−60/109.77) = 0.6846
    expect(decayFactor(3600, HALF_LIFE_SECONDS.F18)).toBeCloseTo(0.6846, 4)
  })
  it('refuses impossible inputs with BAD_INPUT', () => {
    const ok: SuvInput = { activityConcentration: 5000, injectedActivity: 3e8, bodyWeightKg: 70, halfLifeSeconds: 6586.2, elapsedSeconds: 3600 }
    for (const bad of [{ bodyWeightKg: 0 }, { injectedActivity: -1 }, { activityConcentration: Number.NaN }, { residualActivity: 4e8 }, { elapsedSeconds: -60 }, { halfLifeSeconds: 0 }, { decayCorrection: 'LATER' as never }]) {
      let code = 'no error'
      try { suvBodyWeight({ ...ok, ...bad }) } catch (e) { code = e instanceof SuvError ? e.code : 'other' }
      expect(code, JSON.stringify(bad)).toBe('BAD_INPUT')
    }
  })
})

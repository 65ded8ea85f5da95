import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PetCorrectionError, blurredSphereProfile, erf, fwhmToSigma, recoveryCoefficient } from '../../../src/pet'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/pet-us/reference.json'), 'utf8'))

describe('recoveryCoefficient', () => {
  const rows = ref.recovery as { diameter: number; fwhm: number; sphereMax: number; cylinderMax: number; sphereMean: number }[]
  it('sphere centre, cylinder centre and sphere mean equal scipy quadrature within 1e-8 relative (36 cases each)', () => {
    let worst = 0
    for (const r of rows) {
      worst = Math.max(worst,
        Math.abs(recoveryCoefficient(r.diameter, r.fwhm) - r.sphereMax) / r.sphereMax,
        Math.abs(recoveryCoefficient(r.diameter, r.fwhm, { shape: 'cylinder' }) - r.cylinderMax) / r.cylinderMax,
        Math.abs(recoveryCoefficient(r.diameter, r.fwhm, { measure: 'mean' }) - r.sphereMean) / r.sphereMean)
    }
    expect(worst).toBeLessThan(1e-8)
  })
  it('agrees with a voxelised ball blurred by scipy.ndimage.gaussian_filter (discretisation < 0.3 %)', () => {
    const g = ref.gaussianFilterCheck
    expect(Math.abs(recoveryCoefficient(g.diameter, g.fwhm) - g.centre) / g.centre).toBeLessThan(3e-3)
  })
  it('rises with size towards 1, mean below max, cylinder above sphere', () => {
    let last = 0
    for (const d of [2, 4, 8, 16, 24]) {
      const rc = recoveryCoefficient(d, 6)
      expect(rc).toBeGreaterThan(last)
      expect(recoveryCoefficient(d, 6, { measure: 'mean' })).toBeLessThan(rc)
      expect(recoveryCoefficient(d, 6, { shape: 'cylinder' })).toBeGreaterThan(rc)
      last = rc
    }
    expect(recoveryCoefficient(60, 6)).toBeGreaterThan(0.9999)
    // Hand calculation, a = R/σ = 6/2.548 = 2.355: erf(1.665) − 0.798·2.355·e^(−2.773) = 0.9816 − 0.1175; at D = FWHM: 0.761 − 0.470.
    expect(recoveryCoefficient(12, 6)).toBeCloseTo(0.864, 3)
    expect(recoveryCoefficient(6, 6)).toBeCloseTo(0.291, 3)
  })
  it('erf and the profile: erf(1) = 0.8427007929497149, profile at the edge of a big sphere → 1/2', () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14)
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778130465, 14)
    expect(erf(7)).toBe(1)
    expect(blurredSphereProfile(500, 500, 1)).toBeCloseTo(0.5, 2)
    expect(fwhmToSigma(2.3548200450309493)).toBeCloseTo(1, 12)
  })
  it('rejects bad options with BAD_OPTION', () => {
    for (const f of [() => recoveryCoefficient(0, 6), () => recoveryCoefficient(5, -1), () => recoveryCoefficient(5, 6, { shape: 'cube' as never }), () => recoveryCoefficient(5, 6, { shape: 'cylinder', measure: 'mean' })]) {
      let c = 'none'
      try { f() } catch (e) { c = e instanceof PetCorrectionError ? e.code : 'other' }
      expect(c).toBe('BAD_OPTION')
    }
  })
})

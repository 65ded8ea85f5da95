import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import {
  CARNEY_BILINEAR, PetCorrectionError, applySinogramFactors, attenuationCorrectionFactors, decayCorrectionFactor, huToMu511, muAt511, randomsRate,
} from '../../../src/pet'
import { radon } from '../../../src/recon'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/pet-us/reference.json'), 'utf8'))

function code(f: () => unknown): string {
  try { f() } catch (e) { return e instanceof PetCorrectionError ? e.code : `other: ${(e as Error).message}` }
  return 'no error'
}

describe('huToMu511 (Carney et al. 2006 bilinear map)', () => {
  it('equals the numpy evaluation of the published table at every kVp, within 1e-12', () => {
    const hu: number[] = ref.hu
    const ct = makeImage([hu.length, 1], { data: Float64Array.from(hu) })
    for (const kvp of [80, 100, 110, 120, 130, 140]) {
      const mu = pixelData(huToMu511(ct, { kvp }))
      const expected: number[] = ref.mu[String(kvp)]
      for (let i = 0; i < hu.length; i++) {
        expect(Math.abs(mu[i] - expected[i])).toBeLessThan(1e-12)
        expect(muAt511(hu[i], { kvp })).toBeCloseTo(expected[i], 12)
      }
    }
  })
  it('gives water 0.096 cm⁻¹, air 0, and lines that meet at the breakpoint (rounding of the table)', () => {
    expect(muAt511(0)).toBeCloseTo(0.096, 12)
    expect(muAt511(-1000)).toBe(0)
    expect(muAt511(-1200)).toBe(0)
    for (const p of Object.values(CARNEY_BILINEAR)) {
      const below = 9.6e-5 * (p.breakpoint + 1000)
      const above = p.a * (p.breakpoint + 1000) + p.b
      expect(Math.abs(below - above) / below).toBeLessThan(0.003)
    }
    // Cortical bone (~1000 HU at 120 kVp): 5.10e-5 · 2000 + 0.0471 = 0.1491, well below the water line's 0.192.
    expect(muAt511(1000)).toBeCloseTo(0.1491, 10)
  })
  it('refuses an unknown kVp or a non-scalar image with codes', () => {
    expect(code(() => muAt511(0, { kvp: 90 }))).toBe('BAD_OPTION')
    expect(code(() => huToMu511(makeImage([2, 2], { components: 3 })))).toBe('BAD_IMAGE')
    expect(code(() => huToMu511(makeImage([2, 2]), { parameters: { a: Number.NaN, b: 0, breakpoint: 0 } }))).toBe('BAD_OPTION')
  })
})

describe('attenuationCorrectionFactors', () => {
  const { n, theta, pixelCm } = ref.acf
  const mu = makeImage([n, n], { data: Float64Array.from(ref.acf.mu as number[]) })
  it('equals exp(skimage radon · pixel size) on a water/bone/lung map, within 1e-9 relative', () => {
    const acf = attenuationCorrectionFactors(mu, { angles: theta, pixelSizeCm: pixelCm })
    expect(acf.size).toEqual([n, theta.length])
    const a = pixelData(acf)
    const expected: number[] = ref.acf.acf
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[i]) / expected[i])
    expect(worst).toBeLessThan(1e-9)
    // 24 px of water × 0.4 cm through the centre at 0°: about exp(0.096 · 9.6) ≈ 2.5
    expect(Math.max(...Array.from(a.subarray(0, n)))).toBeGreaterThan(2.2)
  })
  it('takes the pixel size from the spacing (mm) and undoes an attenuated sinogram exactly', () => {
    const mm = makeImage([n, n], { data: Float64Array.from(ref.acf.mu as number[]), spacing: [4, 4] })
    const acf = attenuationCorrectionFactors(mm, { angles: theta })
    expect(pixelData(acf)[n * 3 + 16]).toBeCloseTo(ref.acf.acf[n * 3 + 16], 9)
    const activity = makeImage([n, n], { data: Float64Array.from(ref.acf.mu as number[], (v) => (v > 0 ? 1 : 0)) })
    const ideal = radon(activity, { angles: theta })
    const measured = applySinogramFactors(ideal, acf, 'attenuate')
    const corrected = applySinogramFactors(measured, acf, 'correct')
    const a = pixelData(ideal)
    const b = pixelData(corrected)
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 10)
    expect(pixelData(measured)[16]).toBeLessThan(a[16])
  })
  it('validates before computing', () => {
    expect(code(() => attenuationCorrectionFactors(makeImage([4, 6])))).toBe('BAD_IMAGE')
    expect(code(() => attenuationCorrectionFactors(makeImage([4, 4], { data: new Float32Array(16).fill(-1) })))).toBe('BAD_IMAGE')
    expect(code(() => attenuationCorrectionFactors(mu, { pixelSizeCm: 0 }))).toBe('BAD_OPTION')
    const s = makeImage([4, 3])
    expect(code(() => applySinogramFactors(s, makeImage([4, 2])))).toBe('BAD_IMAGE')
    expect(code(() => applySinogramFactors(s, makeImage([4, 3])))).toBe('BAD_IMAGE') // zero factors
  })
})

describe('decayCorrectionFactor and randomsRate', () => {
  it('equals 2^(t/T) · Δ / ∫ 2^(−u/T) du (scipy quad) within 1e-10 relative', () => {
    for (const c of ref.decay as { t: number; frame: number; halfLife: number; dcf: number }[]) {
      expect(Math.abs(decayCorrectionFactor(c.t, c.halfLife, c.frame) - c.dcf) / c.dcf).toBeLessThan(1e-10)
    }
  })
  it('one half-life before the frame doubles; a frame one half-life long adds ln 2 / (1 − 1/2) = 1.386', () => {
    expect(decayCorrectionFactor(6586.2, 6586.2)).toBeCloseTo(2, 12)
    expect(decayCorrectionFactor(0, 6586.2, 6586.2)).toBeCloseTo(Math.LN2 / 0.5, 12)
  })
  it('randoms: 2τ S1 S2, e.g. 2 · 2 ns · (100 kcps)² = 40 cps', () => {
    expect(randomsRate(1e5, 1e5, 2e-9)).toBeCloseTo(40, 10)
    expect(randomsRate(2e5, 1e5, 2e-9)).toBeCloseTo(2 * randomsRate(1e5, 1e5, 2e-9), 10)
    expect(code(() => randomsRate(-1, 1, 1e-9))).toBe('BAD_OPTION')
    expect(code(() => randomsRate(1, 1, 0))).toBe('BAD_OPTION')
    expect(code(() => decayCorrectionFactor(0, 0))).toBe('BAD_OPTION')
  })
})

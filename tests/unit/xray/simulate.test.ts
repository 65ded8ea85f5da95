// simulateFlatPanel: the model's physics (noise-free frames correct exactly; Poisson statistics;
// defects found), option checks before allocation, and the structured pattern a gain map removes.
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { coefficientOfVariation } from '../../../src/metrics'
import { detectDefects, flatFieldCorrect, interpolateDefects, resizeAntialiased, simulateFlatPanel, XrayError, percentileWindow, invertMonochrome1, deviationIndex } from '../../../src/xray'

const NX = 96
const NY = 64
/** Line integrals: an open field on the left third, a smooth "body" on the rest. */
const L = makeImage([NX, NY], { data: Float32Array.from({ length: NX * NY }, (_, i) => ((i % NX) < 32 ? 0 : 1 + 0.5 * Math.sin((i % NX) / 9) * Math.cos(Math.floor(i / NX) / 7))) })
const openField = (img: { data: unknown }) => {
  const d = img.data as ArrayLike<number>
  const v: number[] = []
  for (let y = 4; y < NY - 4; y++) for (let x = 2; x < 30; x++) v.push(d[y * NX + x])
  return makeImage([v.length, 1], { data: Float64Array.from(v) })
}

describe('simulateFlatPanel', () => {
  it('noise-free: offset + gain correction returns I0·e^−L times nothing else on every good pixel', () => {
    const f = simulateFlatPanel(L, { noise: false, seed: 3 })
    const c = flatFieldCorrect(f.raw, { dark: f.dark, flood: f.flood }).data as Float32Array
    const g = f.gain.data as Float32Array
    const e = f.expected.data as Float32Array
    const defects = f.defects.data as Uint8Array
    let mean = 0
    let good = 0
    for (let i = 0; i < g.length; i++) if (!defects[i]) { mean += g[i]; good++ }
    // The gain map is normalised to the flood mean over all pixels (dead ones count as 0).
    const meanAll = Array.from(g).reduce((a, b) => a + b, 0) / g.length
    for (let i = 0; i < g.length; i++) if (!defects[i]) expect(Math.abs(c[i] - (e[i] * meanAll)) / (e[i] * meanAll)).toBeLessThan(1e-5)
    expect(good).toBeGreaterThan(0.95 * g.length)
    expect(mean / good).toBeCloseTo(1, 1)
  })
  it('the raw open field shows the fixed pattern; gain correction flattens it to Poisson noise', () => {
    const f = simulateFlatPanel(L, { seed: 5, I0: 5000, defects: { fraction: 0, columns: 0 } })
    const raw = coefficientOfVariation(openField(flatFieldCorrect(f.raw, { dark: f.dark })))
    const corrected = coefficientOfVariation(openField(flatFieldCorrect(f.raw, { dark: f.dark, flood: f.flood })))
    // gain spread 5 % and 3 % per column: about 5.8 % before; after: √(1/5000 + 1/(16·5000)) ≈ 1.5 %.
    expect(raw).toBeGreaterThan(0.045)
    expect(corrected).toBeLessThan(0.02)
    expect(corrected).toBeGreaterThan(0.012)
    // the extra open-field frame: the same pattern over the whole panel
    const whole = (corr: boolean) => coefficientOfVariation(flatFieldCorrect(f.openField, corr ? { dark: f.dark, flood: f.flood } : { dark: f.dark }))
    expect(whole(false)).toBeGreaterThan(0.045)
    expect(whole(true)).toBeLessThan(0.02)
  })
  it('a gain map from fewer flood frames leaves more residual noise (1 frame vs 64)', () => {
    const cv = (k: number) => {
      const f = simulateFlatPanel(L, { seed: 9, floodFrames: k, defects: { fraction: 0, columns: 0 } })
      return coefficientOfVariation(openField(flatFieldCorrect(f.raw, { dark: f.dark, flood: f.flood })))
    }
    expect(cv(1)).toBeGreaterThan(1.25 * cv(64))
  })
  it('detectDefects finds every simulated defect and few false ones; interpolation removes them', () => {
    const f = simulateFlatPanel(L, { seed: 2, defects: { fraction: 0.01, columns: 2 } })
    const found = detectDefects(f.dark, f.flood).data as Uint8Array
    const truth = f.defects.data as Uint8Array
    let missed = 0
    let extra = 0
    for (let i = 0; i < truth.length; i++) {
      if (truth[i] && !found[i]) missed++
      if (!truth[i] && found[i]) extra++
    }
    expect(missed).toBe(0)
    expect(extra).toBeLessThan(0.002 * truth.length)
    const fixed = interpolateDefects(flatFieldCorrect(f.raw, { dark: f.dark, flood: f.flood }), detectDefects(f.dark, f.flood))
    const d = fixed.data as Float32Array
    const e = f.expected.data as Float32Array
    // every dead pixel now within 15 % of its expected value (neighbours differ by noise and anatomy)
    for (let i = 0; i < truth.length; i++) if (truth[i]) expect(Math.abs(d[i] - e[i]) / e[i]).toBeLessThan(0.15)
  })
  it('is reproducible from the seed and differs between seeds', () => {
    const a = simulateFlatPanel(L, { seed: 4 }).raw.data as Float32Array
    const b = simulateFlatPanel(L, { seed: 4 }).raw.data as Float32Array
    const c = simulateFlatPanel(L, { seed: 8 }).raw.data as Float32Array
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(Array.from(a)).not.toEqual(Array.from(c))
  })
})

describe('errors (XrayError with codes)', () => {
  const code = (f: () => unknown) => {
    try {
      f()
    } catch (e) {
      expect(e).toBeInstanceOf(XrayError)
      return (e as XrayError).code
    }
    return 'none'
  }
  it('rejects bad options and images before allocating', () => {
    expect(code(() => simulateFlatPanel(L, { I0: -1 }))).toBe('BAD_OPTION')
    expect(code(() => simulateFlatPanel(L, { gainSpread: 2 }))).toBe('BAD_OPTION')
    expect(code(() => simulateFlatPanel(L, { defects: { columns: 1.5 } }))).toBe('BAD_OPTION')
    expect(code(() => simulateFlatPanel(makeImage([4, 4], { data: new Float32Array(16).fill(-1) })))).toBe('BAD_IMAGE')
    expect(code(() => simulateFlatPanel(makeImage([4, 4, 3])))).toBe('BAD_IMAGE')
    expect(code(() => flatFieldCorrect(L, { dark: makeImage([3, 3]) }))).toBe('SIZE_MISMATCH')
    expect(code(() => flatFieldCorrect(L, { flood: makeImage([NX, NY]) }))).toBe('BAD_IMAGE')
    expect(code(() => flatFieldCorrect(L, { minGain: -1 }))).toBe('BAD_OPTION')
    expect(code(() => detectDefects(L, L, { gainTolerance: 2 }))).toBe('BAD_OPTION')
    expect(code(() => interpolateDefects(L, makeImage([2, 2])))).toBe('SIZE_MISMATCH')
    expect(code(() => percentileWindow(L, { low: 60, high: 40 }))).toBe('BAD_OPTION')
    expect(code(() => percentileWindow(makeImage([4, 4])))).toBe('CONSTANT_IMAGE')
    expect(code(() => invertMonochrome1(L, { bitsStored: 0 }))).toBe('BAD_OPTION')
    expect(code(() => deviationIndex(0, 100))).toBe('BAD_OPTION')
    expect(code(() => resizeAntialiased(L, [0, 10]))).toBe('BAD_OPTION')
    expect(code(() => resizeAntialiased(L, [10, 10], { sigma: -1 }))).toBe('BAD_OPTION')
  })
  it('invertMonochrome1 with bitsStored mirrors the stored range', () => {
    const img = makeImage([3, 1], { data: Uint16Array.from([0, 1000, 4095]) })
    expect(Array.from(invertMonochrome1(img, { bitsStored: 12 }).data as Float32Array)).toEqual([4095, 3095, 0])
  })
})

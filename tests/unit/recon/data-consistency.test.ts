import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { fft2 } from '../../../src/mri'
import {
  cartesianUndersamplingMask, ctDataConsistency, ctDefaultStepSize, DataConsistencyError, kspaceDataConsistency, kspaceResidual,
} from '../../../src/recon/data-consistency'
import { dataConsistencyExperiment } from '../../../src/recon/dc-experiment'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/dl-recon/dc-reference.json'), 'utf8'))

const complexImage = (size: number[], data: number[]) => {
  const im = makeImage(size, { data: Float64Array.from(data), components: 2 })
  ;(im.imageType as { pixelType: string }).pixelType = 'Complex'
  return im
}
const relErr = (a: ArrayLike<number>, b: number[]) => {
  const scale = Math.max(...b.map(Math.abs))
  let m = 0
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m / scale
}

describe('kspaceDataConsistency vs numpy', () => {
  for (const c of ref.kspace) {
    const est = c.complex ? complexImage(c.size, c.estimate) : makeImage(c.size, { data: Float64Array.from(c.estimate) })
    const y = complexImage(c.size, c.measured)
    const mask = makeImage(c.size, { data: Uint8Array.from(c.mask) })
    for (const o of c.outputs) {
      const lambda = o.lambda === 'inf' ? Infinity : o.lambda
      it(`${c.size.join('×')}${c.complex ? ' complex' : ''}, λ = ${o.lambda}: k-space and image within 1e-10 relative`, () => {
        const r = kspaceDataConsistency(est, y, mask, { lambda })
        expect(relErr(r.kspace.data as Float64Array, o.kspace)).toBeLessThan(1e-10)
        expect(relErr(r.image.data as Float64Array, o.image)).toBeLessThan(1e-10)
        expect(r.image.imageType.pixelType).toBe('Complex')
        expect(kspaceResidual(est, y, mask) / o.residualIn).toBeCloseTo(1, 8)
        const after = kspaceResidual(r.image, y, mask)
        expect(Math.abs(after - o.residualOut)).toBeLessThan(1e-8 * o.residualIn)
      })
    }
  }
})

describe('kspaceDataConsistency invariants', () => {
  const c = ref.kspace[0]
  const est = makeImage(c.size, { data: Float64Array.from(c.estimate) })
  const y = complexImage(c.size, c.measured)
  const mask = makeImage(c.size, { data: Uint8Array.from(c.mask) })
  it('hard DC leaves the measured samples exactly equal and the others untouched', () => {
    const k = kspaceDataConsistency(est, y, mask).kspace.data as Float64Array
    const fx = fft2(est, { shift: true }).data as Float64Array
    let sampled = 0
    c.mask.forEach((m: number, i: number) => {
      for (const p of [2 * i, 2 * i + 1]) expect(k[p]).toBe(m ? c.measured[p] : fx[p])
      sampled += m
    })
    expect(sampled).toBeGreaterThan(0)
  })
  it('the residual shrinks by 1 / (1 + λ) and never grows', () => {
    const before = kspaceResidual(est, y, mask)
    let last = before
    for (const lambda of [0, 0.1, 1, 10, 100]) {
      const after = kspaceResidual(kspaceDataConsistency(est, y, mask, { lambda }).image, y, mask)
      expect(after).toBeCloseTo(before / (1 + lambda), 8)
      expect(after).toBeLessThanOrEqual(last + 1e-9)
      last = after
    }
  })
  it('rejects bad options, masks and sizes with codes, before any work', () => {
    const code = (f: () => unknown) => { try { f(); return 'none' } catch (e) { expect(e).toBeInstanceOf(DataConsistencyError); return (e as DataConsistencyError).code } }
    expect(code(() => kspaceDataConsistency(est, y, mask, { lambda: -1 }))).toBe('BAD_OPTION')
    expect(code(() => kspaceDataConsistency(est, y, mask, { lambda: NaN }))).toBe('BAD_OPTION')
    expect(code(() => kspaceDataConsistency(est, y, makeImage(c.size, { data: new Float64Array(c.mask.length).fill(0.5) })))).toBe('BAD_MASK')
    expect(code(() => kspaceDataConsistency(est, y, makeImage([3, 3], { data: new Uint8Array(9) })))).toBe('BAD_IMAGE')
    expect(code(() => kspaceDataConsistency(est, est, mask))).toBe('BAD_IMAGE')
    expect(code(() => cartesianUndersamplingMask(8, 8, { acceleration: 0 }))).toBe('BAD_OPTION')
    expect(code(() => cartesianUndersamplingMask(8, 8, { centerFraction: 2 }))).toBe('BAD_OPTION')
    expect(code(() => ctDataConsistency(est, est))).toBe('BAD_IMAGE')
  })
})

describe('cartesianUndersamplingMask', () => {
  for (const pattern of ['random', 'equispaced'] as const) {
    for (const R of [2, 4]) {
      it(`${pattern}, R = ${R}: whole rows, the centre sampled, about 1/R of the rows`, () => {
        const m = cartesianUndersamplingMask(64, 128, { acceleration: R, pattern, seed: 3 }).data as Uint8Array
        const rows = Array.from({ length: 128 }, (_, r) => m[r * 64])
        for (let r = 0; r < 128; r++) for (let x = 0; x < 64; x++) expect(m[r * 64 + x]).toBe(rows[r])
        for (let r = 64 - 5; r < 64 + 5; r++) expect(rows[r]).toBe(1)
        const frac = rows.reduce((s, v) => s + v, 0) / 128
        expect(frac).toBeGreaterThan(1 / R - 0.1)
        expect(frac).toBeLessThan(1 / R + 0.12)
      })
    }
  }
})

describe('ctDataConsistency vs a numpy system matrix of skimage radon', () => {
  const ct = ref.ct
  const sino = makeImage([ct.n, ct.angles.length], { data: Float64Array.from(ct.sinogram) })
  let x = makeImage([ct.n, ct.n], { data: Float64Array.from(ct.x0) })
  it('three steps with the given η agree within 1e-8 relative; the residual falls', () => {
    ct.steps.forEach((s: number[]) => {
      x = ctDataConsistency(x, sino, { angles: ct.angles, stepSize: ct.eta })
      expect(relErr(x.data as Float64Array, s)).toBeLessThan(1e-8)
    })
    for (let i = 1; i < ct.residuals.length; i++) expect(ct.residuals[i]).toBeLessThan(ct.residuals[i - 1])
  })
  it('the default step is Schur\'s bound, below 1 / ‖A‖²', () => {
    const eta = ctDefaultStepSize(ct.n, ct.angles)
    expect(eta / ct.schurStep).toBeCloseTo(1, 10)
    expect(eta).toBeLessThanOrEqual(1 / ct.normSquared)
    const x1 = ctDataConsistency(makeImage([ct.n, ct.n], { data: Float64Array.from(ct.x0) }), sino, { angles: ct.angles, iterations: 2 })
    expect(x1.size).toEqual([ct.n, ct.n])
  })
})

describe('dataConsistencyExperiment (the lab\'s one worker call)', () => {
  // An ellipse with a brighter disc, n × n (the lab's slices are 128 × 128).
  const phantom = (n: number) => makeImage([n, n], { data: Float64Array.from({ length: n * n }, (_, i) => {
    const x = ((i % n) - n / 2) * (64 / n), y = (Math.floor(i / n) - n / 2 + 2) * (64 / n)
    return x * x / 400 + y * y / 600 < 1 ? 0.5 + 0.4 * Number(x * x + (y - 5) ** 2 < 40) : 0
  }) })
  const img = phantom(64)
  it('with hard DC the final RMSE is below the Gaussian-only run, which worsens from the zero-filled start', () => {
    const r = dataConsistencyExperiment(img, { acceleration: 4, iterations: 5, sigma: 1 })
    expect(r.rmseDc.length).toBe(6)
    expect(r.rmseDc[0]).toBe(r.rmseDenoised[0])
    expect(r.rmseDc[5]).toBeLessThan(r.rmseDenoised[5])
    expect(r.rmseDenoised[5]).toBeGreaterThan(r.rmseDenoised[0])
    expect(Number.isNaN(r.hallucinationUnsampledEnergy)).toBe(true)
  })
  it('128 × 128, R = 4: the striped paste lives mostly on unsampled lines, the blob mostly on sampled ones', () => {
    const img = phantom(128)
    const stripes = dataConsistencyExperiment(img, { hallucination: 'stripes', iterations: 1 }).hallucinationUnsampledEnergy
    const blob = dataConsistencyExperiment(img, { hallucination: 'blob', iterations: 1 }).hallucinationUnsampledEnergy
    expect(stripes).toBeGreaterThan(0.5)
    expect(blob).toBeLessThan(0.2)
  })
  it('rejects out-of-range options with DataConsistencyError codes', () => {
    expect(() => dataConsistencyExperiment(img, { sigma: 9 })).toThrow(DataConsistencyError)
    expect(() => dataConsistencyExperiment(img, { iterations: 0 })).toThrow(/iterations/)
    expect(() => dataConsistencyExperiment(img, { hallucination: 'cat' as never })).toThrow(/hallucination/)
  })
})

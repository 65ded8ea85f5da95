/**
 * SART against skimage 0.19.3 iradon_sart (chained calls), and MLEM / OSEM against an
 * independent numpy/scipy.sparse implementation whose system matrix is skimage's radon of unit
 * impulses (tests/reference/recon/make-recon-reference.py), plus MLEM's invariants.
 */
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { iradonSart, mlem, orderAnglesGoldenRatio, poissonLogLikelihood, radon, radonTranspose, ReconError } from '../../../src/recon/index'
import { index, maxAbsDiff, ref } from './reference'

const uniform = (n: number) => Array.from({ length: n }, (_, i) => (i * 180) / n)

describe('orderAnglesGoldenRatio equals skimage order_angles_golden_ratio', () => {
  it('30 uniform views', () => expect(orderAnglesGoldenRatio(uniform(30))).toEqual(index.goldenOrders.uniform30))
  it('unsorted, negative and > 180° angles', () => {
    const odd = index.radon.find((c: { name: string }) => c.name === 'radon_sl64_odd_circle').angles
    expect(orderAnglesGoldenRatio(odd)).toEqual(index.goldenOrders.odd)
  })
})

describe('iradonSart equals skimage iradon_sart, one call at a time', () => {
  for (const c of index.sart) {
    it(`${c.name}: relaxation ${c.relaxation}${c.start ? `, from ${c.start}` : ''}${c.clip ? `, clip ${c.clip}` : ''}`, () => {
      const out = iradonSart(ref(c.sinogram), { angles: uniform(30), image: c.start ? ref(c.start) : undefined, relaxation: c.relaxation, clip: c.clip ?? undefined })
      expect(out.size).toEqual([64, 64])
      expect(maxAbsDiff(pixelData(out), pixelData(ref(c.name)))).toBeLessThanOrEqual(1e-4 * c.range)
    })
  }
  it('rejects a starting image of the wrong size and a reversed clip range', () => {
    expect(() => iradonSart(ref('radon_sl64_30_circle'), { image: ref('sl128') })).toThrow(ReconError)
    expect(() => iradonSart(ref('radon_sl64_30_circle'), { clip: [1, 0] })).toThrow(ReconError)
  })
})

const m = index.mlem
const counts = ref(m.counts)

describe('the projector of mlem', () => {
  it('radonTranspose is the transpose of the skimage system matrix (Aᵀy)', () => {
    const out = radonTranspose(ref(m.adjoint.y), { angles: m.angles })
    const expected = pixelData(ref(m.adjoint.ATy))
    let range = 0
    for (let i = 0; i < expected.length; i++) range = Math.max(range, Math.abs(expected[i]))
    expect(maxAbsDiff(pixelData(out), expected)).toBeLessThanOrEqual(1e-6 * range)
  })
  it('⟨A x, y⟩ = ⟨x, Aᵀ y⟩ with A = radon (circle)', () => {
    const x = ref('sl64')
    const y = ref(m.adjoint.y)
    const Ax = pixelData(radon(x, { angles: m.angles }))
    const ATy = pixelData(radonTranspose(y, { angles: m.angles }))
    const yd = pixelData(y)
    const xd = pixelData(x)
    let lhs = 0
    let rhs = 0
    for (let i = 0; i < Ax.length; i++) lhs += Ax[i] * yd[i]
    for (let i = 0; i < xd.length; i++) rhs += xd[i] * ATy[i]
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * Math.abs(lhs))
  })
})

describe('mlem equals the numpy MLEM / OSEM with the same projector', () => {
  for (const c of [m.mlem, m.osem]) {
    it(`${c.output}: ${c.iterations} iterations, ${c.subsets} subset(s)`, () => {
      const out = mlem(counts, { angles: m.angles, iterations: c.iterations, subsets: c.subsets })
      expect(maxAbsDiff(pixelData(out), pixelData(ref(c.output)))).toBeLessThanOrEqual(1e-4 * c.range)
      expect(poissonLogLikelihood(counts, out, { angles: m.angles })).toBeCloseTo(c.loglik[c.loglik.length - 1], 4)
    })
  }
})

describe('MLEM invariants', () => {
  const steps: number[] = []
  let f = mlem(counts, { angles: m.angles, iterations: 0 })
  steps.push(poissonLogLikelihood(counts, f, { angles: m.angles }))
  const estimates = [f]
  for (let i = 0; i < 15; i++) {
    f = mlem(counts, { angles: m.angles, iterations: 1, image: f })
    estimates.push(f)
    steps.push(poissonLogLikelihood(counts, f, { angles: m.angles }))
  }
  it('the log-likelihood never decreases (15 iterations) and matches numpy per iteration', () => {
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1] - 1e-9 * Math.abs(steps[i - 1]))
    for (let i = 0; i < m.mlem.loglik.length; i++) expect(steps[i]).toBeCloseTo(m.mlem.loglik[i], 4)
  })
  it('chaining one-iteration calls equals one call with many iterations', () => {
    expect(maxAbsDiff(pixelData(estimates[10]), pixelData(mlem(counts, { angles: m.angles, iterations: 10 })))).toBeLessThan(1e-9)
  })
  it('estimates stay non-negative and are 0 outside the reconstruction circle', () => {
    for (const e of estimates) {
      const d = pixelData(e)
      let min = Infinity
      for (let i = 0; i < d.length; i++) min = Math.min(min, d[i])
      expect(min).toBeGreaterThanOrEqual(0)
      expect(d[0]).toBe(0)
    }
  })
  it('after one MLEM iteration the projected counts equal the measured total (sensitivity-weighted count preservation)', () => {
    // Σ_i (A f¹)_i = Σ_j f¹_j s_j = Σ_j f⁰_j Σ_i a_ij p_i / (A f⁰)_i = Σ_i p_i.
    const proj = pixelData(radon(estimates[1], { angles: m.angles }))
    let total = 0
    for (let i = 0; i < proj.length; i++) total += proj[i]
    expect(total).toBeCloseTo(m.total_counts, 3)
  })
  it('rejects negative counts and a bad subset count', () => {
    const bad = makeImage([64, 30], { data: Float32Array.from(pixelData(counts), (v, i) => (i === 5 ? -1 : v)) })
    expect(() => mlem(bad, { angles: m.angles })).toThrow(expect.objectContaining({ code: 'BAD_DATA' }))
    expect(() => mlem(counts, { angles: m.angles, subsets: 31 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }))
  })
})

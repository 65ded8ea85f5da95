/**
 * correctProjection, detectDeadChannels, interpolateBadChannels: equal to numpy on fixed inputs
 * (tests/reference/projection/make-projection-reference.py), and end to end on simulated raw
 * counts: all corrections on recover the line integrals; each one off leaves its own error.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { correctProjection, detectDeadChannels, interpolateBadChannels, simulateRawCounts, ProjectionError } from '../../../src/projection/index'
import { radon, sheppLoganPhantom } from '../../../src/recon/index'

const ref = JSON.parse(readFileSync(new URL('../../reference/projection/projection-reference.json', import.meta.url), 'utf8'))
const K = ref.correction
const counts = makeImage([K.channels, K.views], { data: Float64Array.from(K.counts), name: 'fixed readings' })
const calibration = { dark: K.dark, air: K.air, reference: K.reference, referenceAir: K.referenceAir }

function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let lo = Infinity
  let hi = -Infinity
  let d = 0
  for (let i = 0; i < b.length; i++) {
    lo = Math.min(lo, b[i])
    hi = Math.max(hi, b[i])
    d = Math.max(d, Math.abs(a[i] - b[i]))
  }
  return d / (hi - lo)
}

describe('correctProjection against numpy', () => {
  for (const c of K.cases) {
    it(`${c.name}: equal to numpy within 1e-10 of the range; same clamped count and interpolated channels`, () => {
      const r = correctProjection(counts, calibration, { ...c.options, badChannels: K.badChannels, minSignal: K.minSignal })
      expect(maxRelative(pixelData(r.projection), c.projection)).toBeLessThan(1e-10)
      expect(r.clamped).toBe(c.clamped)
      expect(r.interpolated).toEqual(c.interpolated)
    })
  }
  it('the reference detects channels 0 and 5 as dead and the starved reading is clamped', () => {
    expect(detectDeadChannels(calibration)).toEqual([0, 5])
    expect(K.cases[0].clamped).toBeGreaterThan(0)
  })
})

describe('correctProjection on simulated raw counts', () => {
  const phantom = sheppLoganPhantom(64)
  const sino = radon(phantom, { angles: Array.from({ length: 30 }, (_, i) => i * 6) })
  const scale = 0.1 // line integrals up to ≈ 4
  const truth = pixelData(sino).map((v) => v * scale)
  const raw = simulateRawCounts(sino, { I0: 1e6, scale, seed: 7, gainSpread: 0.05, offset: 200, offsetSpread: 50, drift: 0.05, fluxRatio: 2 })
  const err = (p: ArrayLike<number>) => {
    let s = 0
    for (let i = 0; i < p.length; i++) s += (p[i] - truth[i]) ** 2
    return Math.sqrt(s / p.length)
  }
  /** Spread across channels of the mean error per channel (the ring signature). */
  const channelBias = (p: ArrayLike<number>) => {
    const [n, views] = sino.size
    const m = new Float64Array(n)
    for (let v = 0; v < views; v++) for (let c = 0; c < n; c++) m[c] += (p[v * n + c] - truth[v * n + c]) / views
    const mean = m.reduce((a, b) => a + b) / n
    return Math.sqrt(m.reduce((a, b) => a + (b - mean) ** 2, 0) / n)
  }
  const all = correctProjection(raw.counts, raw)
  it('all corrections on: RMS error of p near the photon noise (< 0.01), nothing clamped, angles kept', () => {
    expect(err(pixelData(all.projection))).toBeLessThan(0.01)
    expect(all.clamped).toBe(0)
    expect(all.projection.metadata.get('recon.angles')).toEqual(sino.metadata.get('recon.angles'))
  })
  it('gain off: a per-channel bias of about gainSpread (rings)', () => {
    const p = pixelData(correctProjection(raw.counts, raw, { gain: false }).projection)
    expect(channelBias(p)).toBeGreaterThan(0.03)
    expect(channelBias(pixelData(all.projection))).toBeLessThan(0.005)
  })
  it('reference off: every ray is short by ln(flux ratio), −ln 2 at the first view', () => {
    const p = pixelData(correctProjection(raw.counts, raw, { reference: false }).projection)
    const n = sino.size[0]
    let d = 0
    for (let c = 0; c < n; c++) d += (p[c] - pixelData(all.projection)[c]) / n
    expect(d).toBeCloseTo(-Math.log(raw.truth.flux[0]), 2)
  })
  it('offset off: attenuation underestimated where the signal is small', () => {
    const low = simulateRawCounts(sino, { I0: 1e3, scale, seed: 8, offset: 200 })
    const p = pixelData(correctProjection(low.counts, low, { offset: false }).projection)
    const q = pixelData(correctProjection(low.counts, low).projection)
    let off = 0
    let on = 0
    let count = 0
    const top = 0.75 * Math.max(...truth)
    for (let i = 0; i < p.length; i++) if (truth[i] > top) {
      off += (p[i] - truth[i])
      on += (q[i] - truth[i])
      count++
    }
    expect(count).toBeGreaterThan(10)
    expect(off / count).toBeLessThan(-0.1)
    expect(Math.abs(on / count)).toBeLessThan(0.03)
  })
  it('a dead channel: detected and interpolated; without detection it is a gross error', () => {
    const dead = simulateRawCounts(sino, { I0: 1e6, scale, seed: 7, deadChannels: [20] })
    const fixed = correctProjection(dead.counts, dead)
    expect(fixed.interpolated).toEqual([20])
    const n = sino.size[0]
    const col = (p: ArrayLike<number>) => Array.from({ length: sino.size[1] }, (_, v) => Math.abs(p[v * n + 20] - truth[v * n + 20]))
    expect(Math.max(...col(pixelData(fixed.projection)))).toBeLessThan(0.2)
    expect(Math.max(...col(pixelData(correctProjection(dead.counts, dead, { detectDead: false }).projection)))).toBeGreaterThan(1)
  })
  it('photon starvation: low I0 clamps readings and keeps every value finite', () => {
    const starved = simulateRawCounts(sino, { I0: 30, scale: 0.2, seed: 3 })
    const r = correctProjection(starved.counts, starved)
    expect(r.clamped).toBeGreaterThan(0)
    expect(pixelData(r.projection).every(Number.isFinite)).toBe(true)
  })
})

describe('interpolateBadChannels', () => {
  it('linear between neighbours, nearest at the edge', () => {
    const s = makeImage([5, 2], { data: Float64Array.from([9, 1, 9, 3, 9, 0, 10, 99, 30, 40]) })
    const out = pixelData(interpolateBadChannels(s, [0, 2, 4]))
    expect(Array.from(out)).toEqual([1, 1, 2, 3, 3, 10, 10, 20, 30, 30])
  })
})

describe('checks', () => {
  it('errors are ProjectionErrors with codes, before allocating', () => {
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(ProjectionError)
        return (e as ProjectionError).code
      }
      return 'none'
    }
    expect(code(() => correctProjection(counts, { ...calibration, dark: [1, 2] }))).toBe('BAD_OPTION')
    expect(code(() => correctProjection(counts, calibration, { minSignal: 0 }))).toBe('BAD_OPTION')
    expect(code(() => correctProjection(counts, { dark: K.dark, air: K.air }))).toBe('BAD_OPTION')
    expect(code(() => correctProjection(counts, calibration, { badChannels: [99] }))).toBe('BAD_OPTION')
    expect(code(() => correctProjection(makeImage([2, 2, 2]), calibration))).toBe('BAD_IMAGE')
    expect(code(() => simulateRawCounts(counts, { I0: 0 }))).toBe('BAD_OPTION')
    expect(code(() => simulateRawCounts(makeImage([2, 1], { data: Float64Array.of(1, -1) })))).toBe('BAD_DATA')
    expect(code(() => interpolateBadChannels(makeImage([2, 1]), [0, 1]))).toBe('BAD_OPTION')
  })
})

/**
 * whiteStripe against R itself: the WhiteStripe package's functions (whitestripe +
 * whitestripe_norm, with R's hist(), quantile(), sd() and mgcv::gam()) run by R 4.2.2 and mgcv
 * 1.8-41, see tests/reference/intensity/make-whitestripe-r-reference.R. Fixtures:
 * whitestripe-r-reference.json (15 runs on Colin27, rescaled and float32 copies of it, a T2-like
 * inversion and synthetic T1/T2 volumes; T1 and T2 rules, above-the-mean, stripped and masked
 * foregrounds) and r-pretty-hist-reference.json (pretty() and hist() on their own).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { smoothHistogram } from '../../../src/intensity/smooth-histogram'
import { histogramCounts, prettyBreaks, whiteStripe, type WhiteStripeOptions } from '../../../src/intensity/white-stripe'

const dir = join(__dirname, '../../reference/intensity')

interface RCase {
  name: string; input: string; mask: string | null; type: 'T1' | 'T2'; stripped: boolean
  widthLower: number; widthUpper: number; voiCount: number
  hist: { nBreaks: number; first: number; last: number; sampleIndex: number[]; sampleBreaks: number[]; counts: number[] | { n: number; bins: number[]; counts: number[] } }
  smooth: {
    nFitted: number; firstMid: number; lastMid: number; logSp: number; sp: number; nKnots: number; knotsHead: number[]; knotsTail: number[]
    dySigns: string; crossings: number[]; sampleIndex: number[]; fitted: number[]; dy: number[]; maxAbsFitted: number; maxAbsDy: number; converged: string
  }
  mode: number; modeQuantile: number; stripeRange: [number, number]; stripeVoxels: number; err: boolean; mean: number; sd: number
  normalizedSample: (number | null)[]
}
const ref = JSON.parse(readFileSync(join(dir, 'whitestripe-r-reference.json'), 'utf8')) as {
  inputs: {
    'ch2bet-mean': number
    'synthetic-t1': { sample: number[]; mean: number; sd: number }
    'synthetic-t1-stripped': { mean: number; positive: number }
    'synthetic-t2': { sample: number[]; mean: number; maskVoxels: number }
    'ch2bet-slab': { maskVoxels: number }
  }
  cases: RCase[]
}
const prettyRef = JSON.parse(readFileSync(join(dir, 'r-pretty-hist-reference.json'), 'utf8')) as {
  pretty: { lo: number; up: number; n: number; minN: number; nBreaks: number; sampleIndex: number[]; sampleBreaks: number[] }[]
  hist: { x: number[]; runs: { breaks: number; nBreaks: number; first: number; last: number; nonzero: number[]; counts: number[] }[] }[]
}

// ---- the inputs, rebuilt exactly as the R script builds them ---------------------------------

const dims = [91, 109, 91]
const ch2 = new Uint8Array(gunzipSync(readFileSync(join(dir, 'ch2bet-stride2.u8.gz'))))
type Klass = { from: number; to: number; mean: number; sd: number; abs: boolean }
/** Park–Miller generator: per voxel one uniform for the class, 12 for z = Σu − 6 (all exact or single IEEE operations, as in R). */
function synthetic(seed: number, n: number, classes: Klass[]): Float64Array {
  let s = seed
  const v = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647
    const c = Math.floor((s / 2147483647) * 100)
    s = (s * 16807) % 2147483647
    let z = s / 2147483647
    for (let j = 1; j < 12; j++) {
      s = (s * 16807) % 2147483647
      z += s / 2147483647
    }
    z -= 6
    for (const k of classes) if (c >= k.from && c < k.to) v[i] = k.abs ? k.sd * Math.abs(z) : k.mean + k.sd * z
  }
  return v
}
const sdims = [60, 60, 30]
const nsyn = 60 * 60 * 30
const t1 = synthetic(20240601, nsyn, [
  { from: 0, to: 35, mean: 0, sd: 8, abs: true },
  { from: 35, to: 47, mean: 300, sd: 40, abs: false },
  { from: 47, to: 75, mean: 620, sd: 45, abs: false },
  { from: 75, to: 100, mean: 850, sd: 38, abs: false },
])
const t1Stripped = t1.map((v) => v * (v > 50 ? 1 : 0))
const t2 = synthetic(777, nsyn, [
  { from: 0, to: 30, mean: 0, sd: 0, abs: true },
  { from: 30, to: 62, mean: 900, sd: 60, abs: false },
  { from: 62, to: 88, mean: 1300, sd: 80, abs: false },
  { from: 88, to: 100, mean: 2400, sd: 150, abs: false },
]).map((v) => Math.max(Math.floor(v + 0.5), 0))

const inputs: Record<string, { data: Uint8Array | Float32Array | Float64Array; size: number[] }> = {
  ch2bet: { data: ch2, size: dims },
  'ch2bet*2.7+100': { data: Float64Array.from(ch2, (v) => v * 2.7 + 100), size: dims },
  'f32(ch2bet*0.37-5)': { data: Float32Array.from(ch2, (v) => v * 0.37 - 5), size: dims },
  'ch2bet-inverted': { data: Float64Array.from(ch2, (v) => (v > 0 ? 280 - v : 0)), size: dims },
  'synthetic-t1': { data: t1, size: sdims },
  'synthetic-t1-stripped': { data: t1Stripped, size: sdims },
  'f32(synthetic-t1-stripped*0.001)': { data: Float32Array.from(t1Stripped, (v) => v * 0.001), size: sdims },
  'synthetic-t2': { data: t2, size: sdims },
}
const masks: Record<string, (d: ArrayLike<number>) => Uint8Array> = {
  // Brain voxels in slices 20–69 (z = index div 91·109).
  'ch2bet-slab': (d) => Uint8Array.from({ length: d.length }, (_, i) => {
    const z = Math.floor(i / (91 * 109))
    return d[i] > 0 && z >= 20 && z < 70 ? 1 : 0
  }),
  'synthetic-t2-70pct': (d) => Uint8Array.from({ length: d.length }, (_, i) => (d[i] > 0 && i % 10 < 7 ? 1 : 0)),
}

const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b))
const counts = (c: RCase['hist']['counts']) => {
  if (Array.isArray(c)) return c
  const out = new Array<number>(c.n).fill(0)
  c.bins.forEach((b, i) => (out[b] = c.counts[i]))
  return out
}
/** Indices i with d[i] > 0 and d[i+1] <= 0 (R's `which((dy[-n] > 0) > (dy[-1] > 0))`, 0-based). */
function crossings(d: ArrayLike<number>): number[] {
  const out: number[] = []
  for (let i = 0; i + 1 < d.length; i++) if (d[i] > 0 && !(d[i + 1] > 0)) out.push(i)
  return out
}

describe('the inputs are the ones R used', () => {
  it('Park–Miller volumes and the Colin27 fixture, bit for bit', () => {
    const at = [0, 1, 2, 999, 54320, nsyn - 1]
    expect(at.map((i) => t1[i])).toEqual(ref.inputs['synthetic-t1'].sample)
    expect(at.map((i) => t2[i])).toEqual(ref.inputs['synthetic-t2'].sample)
    const mean = (a: ArrayLike<number>) => {
      let s = 0
      for (let i = 0; i < a.length; i++) s += a[i]
      return s / a.length
    }
    expect(mean(t1)).toBeCloseTo(ref.inputs['synthetic-t1'].mean, 10)
    expect(mean(t2)).toBeCloseTo(ref.inputs['synthetic-t2'].mean, 10)
    expect(mean(ch2)).toBeCloseTo(ref.inputs['ch2bet-mean'], 12)
    expect(t1Stripped.filter((v) => v > 0).length).toBe(ref.inputs['synthetic-t1-stripped'].positive)
    expect(masks['synthetic-t2-70pct'](t2).reduce((s, v) => s + v, 0)).toBe(ref.inputs['synthetic-t2'].maskVoxels)
    expect(masks['ch2bet-slab'](ch2).reduce((s, v) => s + v, 0)).toBe(ref.inputs['ch2bet-slab'].maskVoxels)
  })
})

describe("prettyBreaks is R's pretty()", () => {
  it(`${prettyRef.pretty.length} ranges from 1e-9 to 5e7, n = 2000, 100 and 7, min.n 1 and n %/% 3: the same breaks, bit for bit`, () => {
    for (const c of prettyRef.pretty) {
      const b = prettyBreaks(c.lo, c.up, c.n, c.minN)
      const label = `pretty(c(${c.lo}, ${c.up}), n = ${c.n}, min.n = ${c.minN})`
      expect(b.length, label).toBe(c.nBreaks)
      c.sampleIndex.forEach((k, i) => expect(same(b[k], c.sampleBreaks[i]), `${label}[${k}]: ${b[k]} vs ${c.sampleBreaks[i]}`).toBe(true))
    }
  })
})

describe("histogramCounts is R's hist() binning", () => {
  it('values on breaks, ties, negative and float32 values, 2 to 2000 breaks: the same counts', () => {
    for (const h of prettyRef.hist) {
      const x = Float64Array.from(h.x)
      for (const run of h.runs) {
        const br = prettyBreaks(x[0], x[x.length - 1], run.breaks, 1)
        expect(br.length).toBe(run.nBreaks)
        expect(same(br[0], run.first) && same(br[br.length - 1], run.last)).toBe(true)
        const { counts: got } = histogramCounts(x, br)
        const nz: number[] = []
        const cs: number[] = []
        got.forEach((v, i) => {
          if (v > 0) {
            nz.push(i)
            cs.push(v)
          }
        })
        expect(nz, `hist(${h.x.length} values, breaks = ${run.breaks})`).toEqual(run.nonzero)
        expect(cs).toEqual(run.counts)
      }
    }
  })
})

// ---- the WhiteStripe runs --------------------------------------------------------------------

async function runCase(c: RCase) {
  const input = inputs[c.input]
  const image = makeImage(input.size, { data: input.data })
  const options: WhiteStripeOptions = { contrast: c.type, widthLower: c.widthLower, widthUpper: c.widthUpper }
  if (c.stripped) options.foreground = 'positive'
  if (c.mask) options.maskImage = makeImage(input.size, { data: masks[c.mask](input.data) })
  return whiteStripe(image, options)
}

describe('whiteStripe = R whitestripe() + whitestripe_norm()', () => {
  it.each(ref.cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const r = await runCase(c)
    const h = r.histogram!
    // hist(): R's breaks (sampled; the R script checked the rest follow seq.int's formula) and counts.
    expect(h.breaks.length).toBe(c.hist.nBreaks)
    expect(h.breaks[0]).toBe(c.hist.first)
    expect(h.breaks[h.breaks.length - 1]).toBe(c.hist.last)
    c.hist.sampleIndex.forEach((k, i) => expect(h.breaks[k]).toBe(c.hist.sampleBreaks[i]))
    expect(Array.from(h.counts)).toEqual(counts(c.hist.counts))
    expect(h.counts.reduce((s, v) => s + v, 0)).toBe(c.voiCount)
    // The bins smoothed (T1: the rare ones dropped), and the knots.
    expect(h.fittedBins.length).toBe(c.smooth.nFitted)
    expect(h.mids[h.fittedBins[0]]).toBe(c.smooth.firstMid)
    expect(h.mids[h.fittedBins[h.fittedBins.length - 1]]).toBe(c.smooth.lastMid)
    // Mode, its quantile, the stripe and its voxels: exactly R's.
    expect(r.mode).toBe(c.mode)
    expect(r.modeQuantile).toBe(c.modeQuantile)
    expect(r.stripeRange).toEqual(c.stripeRange)
    expect(r.stripeVoxels).toBe(c.stripeVoxels)
    expect(c.err).toBe(false)
    // whitestripe_norm's mean and sd (R sums in long double; measured: equal to ≤ 2e-16).
    expect(Math.abs(r.mean - c.mean) / Math.abs(c.mean)).toBeLessThan(1e-12)
    expect(Math.abs(r.std - c.sd) / c.sd).toBeLessThan(1e-12)
    // The normalised image (float32 here, double in R).
    if (!c.mask) {
      const z = r.normalized.data as Float32Array
      ;[0, 999, 49999, 99999].forEach((i, k) => {
        const e = c.normalizedSample[k]
        if (e !== null) expect(Math.abs(z[i] - e)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)))
      })
    }
  })
})

/**
 * The smooth against mgcv's, on R's own histograms. Measured (max over the stored bins, relative
 * to the largest |fitted| and |derivative|):
 *
 * - at mgcv's λ: 3e-11 to 1.3e-7 where x (the bin mid-points) stays below ~300, i.e. where mgcv's
 *   truncated power basis x^0..x^4, (x − κ)_+^4 is still usable in double precision. Above it
 *   mgcv's own solution is off: 1.8e-6 / 6.2e-5 for Colin27 × 2.7 + 100 (x up to 421; mgcv reports
 *   rank 30 of 31 there), 2e-3 to 1.8e-2 (fit) and 3e-2 to 0.22 (derivative) for the synthetic
 *   volumes (x up to 900–2900). Solved again in 50-digit arithmetic (mpmath, "synthetic T1
 *   above the mean", 564 bins, 250 knots, λ = mgcv's), the fit agrees with ours to 3.4e-10 and
 *   the derivative to 4.0e-9, with mgcv's to 7.5e-3 and 8.7e-2: the difference is mgcv's rounding.
 *   The same volume × 0.001 (float32, x ≤ 0.92) gives mgcv and us the same fit to 4e-11.
 * - at each one's REML λ: where REML has an interior optimum and mgcv computes accurately, log λ
 *   agrees to 1e-4 and the fits to 5e-7 / 5e-6. Where REML decreases all the way to λ = ∞
 *   (Colin27's spiky 8-bit histograms with all 2420 bins of width 0.05 kept, the T2 rule), mgcv's
 *   Newton iteration stops at log λ ≈ 43 once the gradient is below its tolerance while we take
 *   the limit: fits differ by ≤ 4.5e-5 / 9.4e-5. Where mgcv is inaccurate its REML optimum moves
 *   too (log λ 0.02–0.2 off).
 *
 * None of this moves a peak: the zero crossings of the derivative are R's in every run but one,
 * where a spurious peak of the smooth in an empty stretch between grey matter and CSF (fitted
 * count 0.0065, derivative within 1.4e-6 of the largest of zero) is one bin over; it is not
 * the mode.
 */
describe("smoothHistogram vs mgcv's fitted values on R's histograms", () => {
  const accurate = (c: RCase) => Math.abs(c.smooth.lastMid) < 300 && c.input !== 'ch2bet*2.7+100'
  it.each(ref.cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const r = await runCase(c)
    const h = r.histogram!
    const x = Array.from(h.fittedBins, (b) => h.mids[b])
    const y = Array.from(h.fittedBins, (b) => h.counts[b])
    const sm = c.smooth
    const err = (fitted: ArrayLike<number>, dy: ArrayLike<number>) => {
      let f = 0
      let d = 0
      sm.sampleIndex.forEach((k, i) => {
        f = Math.max(f, Math.abs(fitted[k] - sm.fitted[i]) / sm.maxAbsFitted)
        d = Math.max(d, Math.abs(dy[k] - sm.dy[i]) / sm.maxAbsDy)
      })
      return { f, d }
    }
    // Same knots.
    const fixed = smoothHistogram(x, y, { lambda: sm.sp })
    expect(fixed.knots.length).toBe(sm.nKnots)
    sm.knotsHead.forEach((k, i) => expect(fixed.knots[i]).toBe(k))
    sm.knotsTail.forEach((k, i) => expect(fixed.knots[fixed.knots.length - 3 + i]).toBe(k))
    // At mgcv's λ.
    const atR = err(fixed.fitted, fixed.derivative)
    expect(atR.f).toBeLessThan(accurate(c) ? 3e-7 : 3e-2)
    expect(atR.d).toBeLessThan(accurate(c) ? 3e-7 : 0.3)
    // At our REML λ (the one whiteStripe uses).
    const reml = smoothHistogram(x, y)
    expect(Array.from(reml.fitted)).toEqual(Array.from(h.smoothed))
    const ours = err(reml.fitted, reml.derivative)
    const toInfinity = Math.log(reml.lambda) > sm.logSp + 5
    if (accurate(c) && !toInfinity) {
      expect(Math.abs(Math.log(reml.lambda) - sm.logSp)).toBeLessThan(1e-3)
      expect(ours.f).toBeLessThan(1e-6)
      expect(ours.d).toBeLessThan(1e-5)
    } else if (accurate(c)) {
      expect(ours.f).toBeLessThan(1e-4)
      expect(ours.d).toBeLessThan(2e-4)
    } else {
      expect(ours.f).toBeLessThan(3e-2)
      expect(ours.d).toBeLessThan(0.3)
    }
    // The peaks.
    const zc = crossings(reml.derivative)
    if (c.name === 'synthetic T2 integer stripped (largest)') {
      expect(zc).toEqual([252, 647, 1029, 1191, 1771])
      expect(sm.crossings).toEqual([252, 647, 1029, 1190, 1771])
    } else {
      expect(zc).toEqual(sm.crossings)
    }
  })
})

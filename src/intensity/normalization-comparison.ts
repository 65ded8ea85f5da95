/**
 * Four intensity normalisations side by side on two scans of the same anatomy from two
 * "scanners" (the figure of chapter 5.1): min–max, z-score, White Stripe and Nyúl–Udupa, with
 * the foreground histograms of both scans and how far apart the two normalised scans remain.
 */
import { assertScalar, imageLike, pixelData, type Image } from '../image'
import { normalizeMinMax } from './normalize-min-max'
import { zScore } from './z-score'
import { whiteStripe } from './white-stripe'
import { nyulLandmarks, nyulTrain, nyulTransform, type NyulModel, type NyulParameters } from './nyul'

export type NormalizationMethod = 'raw' | 'minMax' | 'zScore' | 'whiteStripe' | 'nyul'

export interface MethodComparison {
  method: NormalizationMethod
  /** Histogram bin edges (bins + 1), common to both scans. */
  edges: number[]
  /** Foreground voxel counts per bin, scan A and scan B. */
  countsA: number[]
  countsB: number[]
  /**
   * Mean |A − B| over the foreground voxels of the two normalised scans, divided by the standard
   * deviation of normalised A there: 0 when the method removes the scanner difference entirely.
   */
  mismatch: number
}

export interface NormalizationComparison {
  /** One entry per requested method, in the order of `options.methods`. */
  methods: MethodComparison[]
  /** The Nyúl–Udupa standard scale, trained on both scans (when 'nyul' was requested). */
  nyulModel?: NyulModel
  /** Each scan's own landmarks (the x of its piecewise-linear map; when 'nyul' was requested). */
  landmarksA?: number[]
  landmarksB?: number[]
  foregroundVoxels: number
}

export interface CompareNormalizationsOptions {
  /** Histogram bins. Default 80. */
  bins?: number
  /** Nyúl–Udupa parameters (defaults: pc1 1, pc2 99, deciles, s1 1, s2 100). */
  nyul?: NyulParameters
  /**
   * The methods to compare, in this order. Default all five: raw, minMax, zScore, whiteStripe,
   * nyul. A figure can ask for the fast ones first and White Stripe (its spline fit is the slow
   * part) in a second call.
   */
  methods?: NormalizationMethod[]
}

export const NORMALIZATION_METHODS: readonly NormalizationMethod[] = ['raw', 'minMax', 'zScore', 'whiteStripe', 'nyul']

/** Foreground values of `values` at the indices `fg`, float64. */
function gather(values: ArrayLike<number>, fg: Uint32Array): Float64Array {
  const out = new Float64Array(fg.length)
  for (let i = 0; i < fg.length; i++) out[i] = values[fg[i]]
  return out
}

/** Approximate q-quantiles (0 < q < 1) of a and b together, from a 4096-bin histogram over their range. */
function pooledQuantiles(a: Float64Array, b: Float64Array, qs: number[]): number[] {
  let lo = Infinity
  let hi = -Infinity
  for (const v of [a, b]) for (let i = 0; i < v.length; i++) {
    if (v[i] < lo) lo = v[i]
    if (v[i] > hi) hi = v[i]
  }
  if (!(hi > lo)) return qs.map(() => lo)
  const fine = 4096
  const counts = new Float64Array(fine)
  const scale = fine / (hi - lo)
  for (const v of [a, b]) for (let i = 0; i < v.length; i++) counts[Math.min(fine - 1, Math.floor((v[i] - lo) * scale))]++
  const total = a.length + b.length
  return qs.map((q) => {
    let acc = 0
    for (let k = 0; k < fine; k++) {
      acc += counts[k]
      if (acc >= q * total) return lo + (q < 0.5 ? k : k + 1) / scale
    }
    return hi
  })
}

function compare(method: NormalizationMethod, a: Float64Array, b: Float64Array, bins: number): MethodComparison {
  // Common range: about the 0.1 and 99.9 percentiles of both scans together, so that a few
  // extrapolated or noisy voxels do not squeeze the histograms into a few bins.
  let [lo, hi] = pooledQuantiles(a, b, [0.001, 0.999])
  if (!(hi > lo)) hi = lo + 1
  const width = (hi - lo) / bins
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width)
  const count = (v: Float64Array) => {
    const c = new Array<number>(bins).fill(0)
    for (let i = 0; i < v.length; i++) {
      const k = Math.floor((v[i] - lo) / width)
      if (k >= 0 && k < bins) c[k]++
      else if (v[i] === hi) c[bins - 1]++
    }
    return c
  }
  let sum = 0
  let mean = 0
  for (let i = 0; i < a.length; i++) mean += a[i]
  mean /= a.length
  let ss = 0
  for (let i = 0; i < a.length; i++) {
    sum += Math.abs(a[i] - b[i])
    ss += (a[i] - mean) ** 2
  }
  const sd = Math.sqrt(ss / a.length)
  return { method, edges, countsA: count(a), countsB: count(b), mismatch: sd > 0 ? sum / a.length / sd : NaN }
}

/**
 * Normalises scans A and B (same voxel grid, foreground = voxels > 0 of both) by each method —
 * min–max over the foreground range, z-score over the foreground, White Stripe (T1, foreground
 * > 0), Nyúl–Udupa trained on {A, B} — and compares the foreground histograms.
 */
export async function compareNormalizations(a: Image, b: Image, options: CompareNormalizationsOptions = {}): Promise<NormalizationComparison> {
  assertScalar(a, 'compareNormalizations')
  assertScalar(b, 'compareNormalizations')
  if (a.size.length !== b.size.length || a.size.some((s, i) => s !== b.size[i])) {
    throw new Error(`compareNormalizations: scans of different size ${a.size.join('×')} and ${b.size.join('×')}; the comparison is voxel by voxel`)
  }
  const bins = options.bins ?? 80
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`compareNormalizations: bins must be an integer ≥ 2, got ${bins}`)
  const wanted = options.methods ?? NORMALIZATION_METHODS
  const unknown = wanted.filter((m) => !NORMALIZATION_METHODS.includes(m))
  if (unknown.length || wanted.length === 0) {
    throw new Error(`compareNormalizations: methods must be a non-empty list of ${NORMALIZATION_METHODS.join(', ')}; got ${unknown.length ? unknown.join(', ') : 'none'}`)
  }
  const da = pixelData(a)
  const db = pixelData(b)
  let n = 0
  for (let i = 0; i < da.length; i++) if (da[i] > 0 && db[i] > 0) n++
  if (n < 100) throw new Error(`compareNormalizations: only ${n} voxel(s) are > 0 in both scans; there is no foreground to normalise`)
  const fg = new Uint32Array(n)
  const mask = new Uint8Array(da.length)
  for (let i = 0, k = 0; i < da.length; i++) if (da[i] > 0 && db[i] > 0) {
    fg[k++] = i
    mask[i] = 1
  }
  const maskImage = imageLike(a, mask, 'uint8')
  const range = (v: Float64Array) => {
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < v.length; i++) {
      if (v[i] < lo) lo = v[i]
      if (v[i] > hi) hi = v[i]
    }
    return { min: lo, max: hi }
  }
  const rawA = gather(da, fg)
  const rawB = gather(db, fg)
  const mm = (img: Image, raw: Float64Array) => gather(pixelData(normalizeMinMax(img, range(raw))), fg)
  const z = (img: Image) => gather(pixelData(zScore(img, { maskImage })), fg)
  const ws = async (img: Image) => gather(pixelData((await whiteStripe(img, { contrast: 'T1', maskImage, returnHistogram: false })).normalized), fg)
  const nyulModel = wanted.includes('nyul') ? nyulTrain([a, b], { ...options.nyul, maskImages: [maskImage, maskImage] }) : undefined
  const ny = (img: Image) => gather(pixelData(nyulTransform(img, nyulModel!, { maskImage })), fg)
  const methods: MethodComparison[] = []
  for (const m of wanted) {
    if (m === 'raw') methods.push(compare('raw', rawA, rawB, bins))
    else if (m === 'minMax') methods.push(compare('minMax', mm(a, rawA), mm(b, rawB), bins))
    else if (m === 'zScore') methods.push(compare('zScore', z(a), z(b), bins))
    else if (m === 'whiteStripe') methods.push(compare('whiteStripe', await ws(a), await ws(b), bins))
    else methods.push(compare('nyul', ny(a), ny(b), bins))
  }
  return {
    methods,
    ...(nyulModel && {
      nyulModel,
      landmarksA: nyulLandmarks(a, options.nyul, { maskImage }),
      landmarksB: nyulLandmarks(b, options.nyul, { maskImage }),
    }),
    foregroundVoxels: n,
  }
}

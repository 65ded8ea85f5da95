/**
 * WhiteStripe MR intensity normalisation (Shinohara et al. 2014).
 */
import { assertScalar, imageLike, pixelData, type Image, type NumericArray } from '../image'
import { quantileType7, smoothHistogram } from './smooth-histogram'

/**
 * 'T1' (and 'last') use the last peak of the histogram (white matter is the brightest tissue);
 * 'T2', 'FLAIR' (and 'largest') use the largest peak, as the R package's `get.largest.mode`.
 */
export type WhiteStripeContrast = 'T1' | 'T2' | 'FLAIR' | 'last' | 'largest'

export interface WhiteStripeOptions {
  /** Which histogram peak is normal-appearing white matter. Default 'T1'. */
  contrast?: WhiteStripeContrast
  /** Half-width of the stripe in quantiles (R `whitestripe.width`). Default 0.05. */
  width?: number
  /** Lower half-width (R `whitestripe.width.l`). Default `width`. */
  widthLower?: number
  /** Upper half-width (R `whitestripe.width.u`). Default `width`. */
  widthUpper?: number
  /**
   * Brain mask (voxels > 0): the histogram uses mask voxels only and the stripe is restricted to
   * it. Default: no mask, and the histogram uses the voxels above the image mean (R
   * `make_img_voi`, the package default when `stripped = FALSE`).
   */
  maskImage?: Image
  /**
   * Without a mask: 'aboveMean' (default, R `make_img_voi`) or 'positive' (R `stripped = TRUE`:
   * voxels > 0 of a skull-stripped image).
   */
  foreground?: 'aboveMean' | 'positive'
  /**
   * Number of histogram bins asked for (R `whitestripe(breaks = 2000)`, passed to `hist`). Default
   * 2000. With breaks 'pretty' R's `pretty()` turns it into a nearby number of round-valued bins
   * (2140 of width 0.05 for 8-bit data above 22, say); with 'equal' it is the exact number.
   */
  bins?: number
  /**
   * How the histogram's bins are laid out. Default 'pretty': exactly R's `hist(x, breaks = bins)`
   * as the package calls it — breaks from `pretty(range(x), n = bins, min.n = 1)` (R's R_pretty:
   * a step of 1, 2 or 5 × 10^k, bins aligned to its multiples) and `hist.default`'s binning
   * (right-closed bins, the lowest value in the first bin, every break moved up by 1e-7 × the
   * median bin width so that values on a break count in the bin below it).
   * 'equal': `bins` equal bins over [min, max] of the foreground (right-closed, values within
   * 1e-3 bin widths of a break go to the bin below, so that float32 rounding of rescaled integer
   * data does not move them). Equal bins scale with the data, which makes the whole result exactly
   * invariant to a gain and an offset on the intensities (the point of the method); R's pretty
   * breaks do not scale with it (a rescaled scan gets differently aligned bins, and often a
   * different step), so the mode can land one bin over and the stripe move by a grey level.
   */
  breaks?: 'pretty' | 'equal'

  /** T1 only: drop bins with counts below this fraction of the highest (R `rare.prop`). Default 1/5. */
  rareProportion?: number
  /** Return the histogram and its smooth (for plots). Default true. */
  returnHistogram?: boolean
  onProgress?: (fraction: number, message?: string) => void
  signal?: AbortSignal
}

export interface WhiteStripeHistogram {
  /** Bin edges (one more than bins; R `hist()$breaks`). */
  breaks: Float64Array
  /** Bin mid-points. */
  mids: Float64Array
  /** Counts of all bins. */
  counts: Float64Array
  /** Bins the spline was fitted to (T1 drops the rare ones): their indices into mids. */
  fittedBins: Int32Array
  /** Smoothed counts at those bins. */
  smoothed: Float64Array
}

export interface WhiteStripeResult {
  /** (image − mean) / std, float32. */
  normalized: Image
  /** Mean of the stripe voxels (R `whitestripe_norm`). */
  mean: number
  /** Sample standard deviation (n − 1, R `sd`) of the stripe voxels. */
  std: number
  /** uint8 mask, 1 on the stripe voxels. */
  stripeMask: Image
  /** Intensity of the white-matter peak (R `img.mode`). */
  mode: number
  /** Fraction of foreground voxels below the mode (R `img.mode.q`). */
  modeQuantile: number
  /** Stripe intensity bounds (exclusive), the quantiles modeQuantile ∓ width (R `whitestripe`). */
  stripeRange: [number, number]
  /** Number of stripe voxels. */
  stripeVoxels: number
  /** Number of foreground voxels the histogram was made of (R `length(img.voi)`). */
  foregroundVoxels: number
  histogram?: WhiteStripeHistogram
}

/**
 * Foreground values (mask > 0, or value > threshold), sorted ascending. Integer images of at most
 * 16 bits are counting-sorted (a 7 M-voxel brain in a few ms instead of a comparison sort).
 */
function sortedForeground(data: NumericArray, mask: ArrayLike<number> | null, threshold: number): Float64Array {
  const n = data.length
  const offset = data instanceof Int8Array ? 128 : data instanceof Int16Array ? 32768 : 0
  const small = data instanceof Uint8Array || data instanceof Uint8ClampedArray || data instanceof Int8Array || data instanceof Uint16Array || data instanceof Int16Array
  if (small) {
    const hist = new Float64Array(data instanceof Uint8Array || data instanceof Uint8ClampedArray || data instanceof Int8Array ? 256 : 65536)
    let count = 0
    if (mask) {
      for (let i = 0; i < n; i++) if (mask[i] > 0) hist[data[i] + offset]++
    } else {
      for (let i = 0; i < n; i++) if (data[i] > threshold) hist[data[i] + offset]++
    }
    for (let v = 0; v < hist.length; v++) count += hist[v]
    const out = new Float64Array(count)
    for (let v = 0, j = 0; v < hist.length; v++) {
      const c = hist[v]
      if (c > 0) {
        out.fill(v - offset, j, j + c)
        j += c
      }
    }
    return out
  }
  const inVoi = (i: number) => (mask ? mask[i] > 0 && data[i] === data[i] : data[i] > threshold)
  let count = 0
  for (let i = 0; i < n; i++) if (inVoi(i)) count++
  const out = new Float64Array(count)
  for (let i = 0, j = 0; i < n; i++) if (inVoi(i)) out[j++] = data[i]
  return out.sort()
}

/** 10^e as the C library's pow(10, e) gives it for integer e: the correctly rounded value. */
function powerOfTen(e: number): number {
  return Number(`1e${e}`)
}

/**
 * R's `pretty(c(lo, up), n, min.n)` with its other defaults (shrink.sml 0.75, high.u.bias 1.5,
 * u5.bias 2.75, eps.correct 0, f.min 2^-20), step for step as R 4.2's C function R_pretty (with
 * bounds) and `pretty.default`'s `seq.int(l, u, length.out = n + 1)` compute it, so that the
 * breaks are R's to the last bit: the step is 1, 2 or 5 × 10^k, close to (up − lo) / n; the breaks
 * are its multiples covering [lo, up] (lo and up themselves when a multiple is within 1e-10 steps
 * inside them).
 */
export function prettyBreaks(lo: number, up: number, n: number, minN: number = Math.floor(n / 3)): Float64Array {
  if (!(Number.isFinite(lo) && Number.isFinite(up) && up >= lo)) throw new Error(`prettyBreaks: need finite lo <= up, got ${lo}, ${up}`)
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(minN) && minN >= 0 && minN <= n)) {
    throw new Error(`prettyBreaks: need integers 0 <= minN <= n, got n = ${n}, minN = ${minN}`)
  }
  const h = 1.5
  const h5 = 0.5 + 1.5 * h
  const roundingEps = 1e-10
  const DBL_MIN = 2.2250738585072014e-308
  const dx = up - lo
  let cell: number
  let iSmall: boolean
  if (dx === 0 && up === 0) {
    cell = 1
    iSmall = true
  } else {
    cell = Math.max(Math.abs(lo), Math.abs(up))
    let U = 1 + (h5 >= 1.5 * h + 0.5 ? 1 / (1 + h) : 1.5 / (1 + h5))
    U *= Math.max(1, n) * Number.EPSILON
    iSmall = dx < cell * U * 3
  }
  if (iSmall) {
    if (cell > 10) cell = 9 + cell / 10
    cell *= 0.75
    if (minN > 1) cell /= minN
  } else {
    cell = dx
    if (Number.isFinite(dx)) {
      if (n > 1) cell /= n
    } else if (n >= 2) {
      cell = up / n - lo / n
    }
  }
  const subsmall = 2 ** -20 * DBL_MIN
  if (cell < subsmall) cell = subsmall
  else if (cell > Number.MAX_VALUE / 1.25) cell = Number.MAX_VALUE / 1.25
  const base = powerOfTen(Math.floor(Math.log10(cell)))
  let unit = base
  let U = 2 * base
  if (U - cell < h * (cell - unit)) {
    unit = U
    U = 5 * base
    if (U - cell < h5 * (cell - unit)) {
      unit = U
      U = 10 * base
      if (U - cell < h * (cell - unit)) unit = U
    }
  }
  let ns = Math.floor(lo / unit + roundingEps)
  let nu = Math.ceil(up / unit - roundingEps)
  while (ns * unit > lo + roundingEps * unit) ns--
  while (!Number.isFinite(ns * unit)) ns++
  while (nu * unit < up - roundingEps * unit) nu++
  while (!Number.isFinite(nu * unit)) nu--
  let k = Math.trunc(0.5 + nu - ns)
  let ndiv: number
  if (k < minN) {
    k = minN - k
    const half = Math.trunc(k / 2)
    if (lo === 0 && ns === 0 && up !== 0) {
      nu += k
    } else if (up === 0 && nu === 0 && lo !== 0) {
      ns -= k
    } else if (ns >= 0) {
      nu += half
      ns -= half + (k % 2)
    } else {
      ns -= half
      nu += half + (k % 2)
    }
    ndiv = minN
  } else {
    ndiv = k
  }
  // Bounds: the multiples, unless the range's own ends are already outside them.
  let l = lo
  let u = up
  if (ns * unit < l) l = ns * unit
  if (nu * unit > u) u = nu * unit
  // seq.int(l, u, length.out = ndiv + 1): l + i · ((u − l) / ndiv), the last one u itself.
  const out = new Float64Array(ndiv + 1)
  out[0] = l
  if (ndiv >= 1) out[ndiv] = u
  if (ndiv >= 2) {
    let by = u - l
    const finite = Number.isFinite(by)
    by = finite ? by / ndiv : u / ndiv - l / ndiv
    for (let i = 1; i < ndiv; i++) out[i] = finite ? l + i * by : (l / 4 + i * (by / 4)) * 4
  }
  if (ndiv > 0) {
    // pretty.default zaps breaks that are rounding noise around 0.
    const delta = u / ndiv - l / ndiv
    for (let i = 0; i <= ndiv; i++) if (Math.abs(out[i]) < 1e-14 * delta) out[i] = 0
  }
  return out
}

/**
 * R's `hist.default` binning of sorted values on the given breaks (right = TRUE, include.lowest =
 * TRUE, fuzz = 1e-7): every break but the first is moved up by 1e-7 × the median bin width (the
 * first down by as much), then value v counts in bin j when fuzzy[j] < v <= fuzzy[j + 1] (the
 * first bin also takes v = fuzzy[0]). Returns the counts and the mid-points 0.5 (b_j + b_{j+1}).
 */
export function histogramCounts(sorted: ArrayLike<number>, breaks: ArrayLike<number>): { counts: Float64Array; mids: Float64Array } {
  const nB = breaks.length
  if (nB < 2) throw new Error('histogramCounts: need at least 2 breaks')
  const widths = new Float64Array(nB - 1)
  for (let i = 0; i < nB - 1; i++) widths[i] = breaks[i + 1] - breaks[i]
  let diddle: number
  if (nB > 5) {
    const w = Float64Array.from(widths).sort()
    const m = w.length
    const half = (m + 1) >> 1
    diddle = 1e-7 * (m % 2 === 1 ? w[half - 1] : (w[half - 1] + w[half]) / 2)
  } else if (nB <= 3) {
    diddle = 1e-7 * (sorted[sorted.length - 1] - sorted[0])
  } else {
    let min = Infinity
    for (const v of widths) if (v > 0 && v < min) min = v
    diddle = 1e-7 * min
  }
  const fuzzy = new Float64Array(nB)
  fuzzy[0] = breaks[0] - diddle
  for (let i = 1; i < nB; i++) fuzzy[i] = breaks[i] + diddle
  const counts = new Float64Array(nB - 1)
  const mids = new Float64Array(nB - 1)
  for (let i = 0; i < nB - 1; i++) mids[i] = 0.5 * (breaks[i + 1] + breaks[i])
  let j = 1
  let outside = 0
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]
    if (!(v >= fuzzy[0] && v <= fuzzy[nB - 1])) {
      outside++
      continue
    }
    while (v > fuzzy[j]) j++
    counts[j - 1]++
  }
  if (outside > 0) throw new Error(`histogramCounts: ${outside} value(s) outside the breaks`)
  return { counts, mids }
}

/**
 * Mean as R computes it (`mean.default`: a sum, then a correction pass with the residuals), with
 * compensated sums in place of R's long double: equal to R's to the last bit or within one.
 */
function accurateMean(values: (visit: (v: number) => void) => void, count: number): number {
  let s = 0
  let c = 0
  values((v) => {
    const t = s + v
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s
    s = t
  })
  let mean = (s + c) / count
  let r = 0
  let rc = 0
  values((v) => {
    const d = v - mean
    const t = r + d
    rc += Math.abs(r) >= Math.abs(d) ? r - t + d : d - t + r
    r = t
  })
  mean += (r + rc) / count
  return mean
}

/**
 * The foreground threshold without a mask: R's `make_img_voi` keeps the voxels above
 * `mean(img, na.rm = TRUE)` ('aboveMean'); `stripped = TRUE` keeps those above 0 ('positive').
 */
function foregroundThreshold(data: NumericArray, foreground: 'aboveMean' | 'positive'): number {
  if (foreground === 'positive') return 0
  if (foreground !== 'aboveMean') throw new Error(`whiteStripe: foreground must be 'aboveMean' or 'positive', got '${String(foreground)}'`)
  const n = data.length
  let count = 0
  for (let i = 0; i < n; i++) if (data[i] === data[i]) count++
  return accurateMean((visit) => {
    for (let i = 0; i < n; i++) if (data[i] === data[i]) visit(data[i])
  }, count)
}

/**
 * The voxels {@link whiteStripe} takes as foreground when no mask is given, as a uint8 mask
 * (1 = foreground): above the image mean (R `make_img_voi`, default) or above 0 ('positive',
 * R `stripped = TRUE`).
 */
export function whiteStripeForeground(image: Image, options: { foreground?: 'aboveMean' | 'positive' } = {}): Image {
  assertScalar(image, 'whiteStripeForeground')
  const data = pixelData(image)
  const threshold = foregroundThreshold(data, options.foreground ?? 'aboveMean')
  const out = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = data[i] > threshold ? 1 : 0
  return imageLike(image, out)
}

/**
 * WhiteStripe: Shinohara RT et al., "Statistical normalization techniques for magnetic resonance
 * imaging", NeuroImage: Clinical 6:9–19 (2014), as implemented by the WhiteStripe R package 2.4
 * (`whitestripe(img, type, breaks = 2000, whitestripe.width = 0.05)` + `whitestripe_norm`):
 * 1. foreground voxels: the mask (R: the masked values passed as an `img_voi`), the voxels > 0
 *    (R `stripped = TRUE`) or, by default, the voxels above the image mean (`make_img_voi`);
 * 2. their histogram, by default exactly R's `hist(voi, breaks = 2000)` (pretty breaks, see
 *    {@link WhiteStripeOptions.breaks}); for T1 the bins with counts < max/5 are dropped
 *    (`get.last.mode`);
 * 3. the counts are smoothed with the package's penalised quartic spline, REML smoothing
 *    (`smooth_hist`, see {@link smoothHistogram}); peaks are where the derivative goes from > 0 to
 *    <= 0; the mode is the last peak (T1) or the peak with the largest count (T2/FLAIR);
 * 4. q = fraction of foreground voxels below the mode; the stripe is the voxels strictly between
 *    the foreground quantiles (type 7) max(q − width, 0) and min(q + width, 1);
 * 5. normalized = (image − mean(stripe)) / sd(stripe), with R's sample sd.
 *
 * Checked against R 4.2.2 with mgcv 1.8-41 running the package's functions
 * (tests/reference/intensity/make-whitestripe-r-reference.R, tests/unit/intensity/
 * white-stripe-r.test.ts, 15 runs): the histogram is R's bit for bit, and the mode, its quantile,
 * the stripe bounds and the stripe's voxel count are R's exactly, the mean and sd to 2e-16. The
 * smooth is the same model; at mgcv's smoothing parameter the fits agree to 1e-7 of the highest
 * count or better where mgcv's truncated power basis is usable in double precision (bin
 * positions below ~300), while above it mgcv's own rounding shows (up to 2e-2; 50-digit
 * arithmetic agrees with ours to 3e-10). The smoothing parameter is the exact REML optimum; mgcv's
 * stops short when REML decreases to λ = ∞, and moves where its arithmetic is off. So a peak
 * whose derivative is within ~1e-6 of zero at a bin can come out one bin over (once in the 15
 * runs, on a secondary peak, not the mode).
 * Other differences: an empty stripe is an error (R falls back to whole-brain normalisation with a
 * warning), and with no peak at all the smooth's maximum is the mode (R: −Inf for T1, an error for
 * T2). Defaults: contrast 'T1', width 0.05, 2000 bins, breaks 'pretty'.
 */
export async function whiteStripe(image: Image, options: WhiteStripeOptions = {}): Promise<WhiteStripeResult> {
  assertScalar(image, 'whiteStripe')
  const data = pixelData(image)
  const n = data.length
  const contrast = options.contrast ?? 'T1'
  const useLast = contrast === 'T1' || contrast === 'last'
  if (!useLast && contrast !== 'T2' && contrast !== 'FLAIR' && contrast !== 'largest') {
    throw new Error(`whiteStripe: unknown contrast '${String(contrast)}' (expected T1, T2, FLAIR, last or largest)`)
  }
  const width = options.width ?? 0.05
  const widthL = options.widthLower ?? width
  const widthU = options.widthUpper ?? width
  if (!(widthL >= 0 && widthL < 1 && widthU >= 0 && widthU < 1)) throw new Error(`whiteStripe: width must be in [0, 1), got ${widthL} / ${widthU}`)
  const bins = options.bins ?? 2000
  if (!Number.isInteger(bins) || bins < 10 || bins > 1e6) throw new Error(`whiteStripe: bins must be an integer from 10 to 1e6, got ${bins}`)
  const breakRule = options.breaks ?? 'pretty'
  if (breakRule !== 'pretty' && breakRule !== 'equal') throw new Error(`whiteStripe: breaks must be 'pretty' or 'equal', got '${String(breakRule)}'`)
  const rareProp = options.rareProportion ?? 1 / 5
  const { onProgress, signal } = options
  signal?.throwIfAborted()

  let mask: ArrayLike<number> | null = null
  if (options.maskImage) {
    const m = options.maskImage
    if (m.size.length !== image.size.length || m.size.some((s, i) => s !== image.size[i])) {
      throw new Error(`whiteStripe: mask size ${m.size.join('×')} does not match image size ${image.size.join('×')}`)
    }
    assertScalar(m, 'whiteStripe mask')
    mask = pixelData(m)
  }

  // 1. Foreground (VOI) values.
  const threshold = mask ? 0 : foregroundThreshold(data, options.foreground ?? 'aboveMean')
  const voi = sortedForeground(data, mask, threshold)
  const voiCount = voi.length
  if (voiCount === 0) throw new Error(mask ? 'whiteStripe: the mask is empty (no voxel > 0)' : `whiteStripe: no foreground voxel (none above ${threshold})`)
  const vmin = voi[0]
  const vmax = voi[voiCount - 1]
  if (!(vmax > vmin)) throw new Error(`whiteStripe: the foreground is constant (${vmin}); there is no histogram to find a peak in`)
  onProgress?.(0.2, 'histogram')
  signal?.throwIfAborted()

  // 2. Histogram.
  let breaks: Float64Array
  let counts: Float64Array
  let mids: Float64Array
  if (breakRule === 'pretty') {
    // R: hist(voi, breaks = bins) → pretty(range(voi), n = bins, min.n = 1), hist.default's bins.
    breaks = prettyBreaks(vmin, vmax, bins, 1)
    ;({ counts, mids } = histogramCounts(voi, breaks))
  } else {
    // Equal bins over [vmin, vmax], right-closed like R's hist (lowest value in bin 0).
    const h = (vmax - vmin) / bins
    breaks = new Float64Array(bins + 1)
    for (let b = 0; b < bins; b++) breaks[b] = vmin + b * h
    breaks[bins] = vmax
    counts = new Float64Array(bins)
    mids = new Float64Array(bins)
    for (let b = 0; b < bins; b++) mids[b] = vmin + (b + 0.5) * h
    for (let j = 0; j < voiCount; j++) {
      let b = Math.ceil((voi[j] - vmin) / h - 1e-3) - 1
      if (b < 0) b = 0
      else if (b >= bins) b = bins - 1
      counts[b]++
    }
  }
  const nBins = counts.length
  let keep: number[] = []
  if (useLast) {
    // get.last.mode: remove the rare-intensity tail (bins below rare.prop × the highest count).
    let maxCount = 0
    for (let b = 0; b < nBins; b++) if (counts[b] > maxCount) maxCount = counts[b]
    for (let b = 0; b < nBins; b++) if (!(counts[b] < rareProp * maxCount)) keep.push(b)
  } else {
    keep = Array.from({ length: nBins }, (_, b) => b)
  }
  const x = Float64Array.from(keep, (b) => mids[b])
  const y = Float64Array.from(keep, (b) => counts[b])
  onProgress?.(0.35, 'smoothing histogram')
  signal?.throwIfAborted()

  // 3. Smooth and find the peaks: indices i with dy[i] > 0 and dy[i+1] <= 0 (R's zero crossings).
  if (x.length < 10) {
    throw new Error(`whiteStripe: only ${x.length} histogram bins remain for the spline fit (need 10); the image has too few distinct intensities`)
  }
  const smooth = smoothHistogram(x, y)
  const dy = smooth.derivative
  let modeIndex = -1
  for (let i = 0; i + 1 < x.length; i++) {
    if (dy[i] > 0 && !(dy[i + 1] > 0)) {
      if (useLast) modeIndex = i
      else if (modeIndex < 0 || y[i] > y[modeIndex]) modeIndex = i
    }
  }
  if (modeIndex < 0) {
    // No interior peak (monotone smooth): R would return -Inf; the smooth's maximum is the sensible mode.
    let best = 0
    for (let i = 1; i < x.length; i++) if (smooth.fitted[i] > smooth.fitted[best]) best = i
    modeIndex = best
  }
  const mode = x[modeIndex]
  onProgress?.(0.6, 'stripe')
  signal?.throwIfAborted()

  // 4. Stripe: quantiles of the foreground around the mode's quantile.
  let below = 0
  while (below < voiCount && voi[below] < mode) below++
  const modeQuantile = below / voiCount
  const lo = quantileType7(voi, Math.max(modeQuantile - widthL, 0))
  const hi = quantileType7(voi, Math.min(modeQuantile + widthU, 1))
  const stripe = new Uint8Array(n)
  let count = 0
  for (let i = 0; i < n; i++) {
    const v = data[i]
    if (v > lo && v < hi && (!mask || mask[i] > 0)) {
      stripe[i] = 1
      count++
    }
  }
  if (count < 2) {
    throw new Error(`whiteStripe: the stripe between ${lo} and ${hi} holds ${count} voxel(s); widen it (width) or check the image and mask`)
  }
  // R: mean(img[ind]) and sd(img[ind]) (sample sd), with compensated sums for R's long double.
  const stripeValues = (visit: (v: number) => void) => {
    for (let i = 0; i < n; i++) if (stripe[i]) visit(data[i])
  }
  const mean = accurateMean(stripeValues, count)
  let ss = 0
  let ssc = 0
  stripeValues((v) => {
    const d = (v - mean) * (v - mean)
    const t = ss + d
    ssc += ss >= d ? ss - t + d : d - t + ss
    ss = t
  })
  const std = Math.sqrt((ss + ssc) / (count - 1))
  if (!(std > 0)) throw new Error(`whiteStripe: the stripe voxels all equal ${mean}; their standard deviation is 0`)
  signal?.throwIfAborted()

  // 5. Normalise.
  const out = new Float32Array(n)
  const inv = 1 / std
  for (let i = 0; i < n; i++) out[i] = (data[i] - mean) * inv
  onProgress?.(1, 'done')

  const result: WhiteStripeResult = {
    normalized: imageLike(image, out),
    mean,
    std,
    stripeMask: imageLike(image, stripe),
    mode,
    modeQuantile,
    stripeRange: [lo, hi],
    stripeVoxels: count,
    foregroundVoxels: voiCount,
  }
  if (options.returnHistogram ?? true) {
    result.histogram = { breaks, mids, counts, fittedBins: Int32Array.from(keep), smoothed: smooth.fitted }
  }
  return result
}

import type { Image } from '../image'
import { maskOf, scalarData } from './common'

export interface HistogramOptions {
  /** Number of equal-width bins. Default: 256. */
  bins?: number
  /** Lower edge of the first bin. Default: minimum of the (masked) values. */
  min?: number
  /** Upper edge of the last bin. Default: maximum of the (masked) values. */
  max?: number
  /** Only voxels where this same-size image is non-zero are counted. Default: all voxels. */
  maskImage?: Image
}

export interface HistogramResult {
  /** counts[k] = number of values in bin k. */
  counts: Float64Array
  /** bins + 1 edges; bin k is [edges[k], edges[k + 1]), the last bin also includes its right edge. */
  edges: Float64Array
  /** (max − min) / bins. */
  binWidth: number
}

/**
 * Histogram with equal-width bins, exactly numpy.histogram(values, bins, range=(min, max))
 * (numpy 1.24): values outside [min, max] are ignored, the last bin is closed, equal min and
 * max become [min − 0.5, max + 0.5], and each value is placed by numpy's index computation
 * with its edge corrections — in float32 arithmetic for float32 images, as numpy does.
 * Defaults: 256 bins over the data range.
 */
export function histogram(image: Image, options: HistogramOptions = {}): HistogramResult {
  const op = 'histogram'
  const data = scalarData(image, op)
  const mask = maskOf(image, options.maskImage, op)
  const bins = options.bins ?? 256
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`${op}: bins must be a positive integer, got ${bins}`)
  const f32 = data instanceof Float32Array
  const r = f32 ? Math.fround : (x: number) => x
  const userRange = options.min !== undefined || options.max !== undefined

  let lo = Infinity
  let hi = -Infinity
  if (options.min === undefined || options.max === undefined) {
    for (let i = 0; i < data.length; i++) {
      if (mask && !mask[i]) continue
      const v = data[i]
      // NaN poisons numpy's min/max: report it rather than silently skip it.
      if (v !== v) throw new Error(`${op}: the values contain NaN; give min and max to ignore it`)
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  let first = options.min ?? lo
  let last = options.max ?? hi
  if (!Number.isFinite(first) || !Number.isFinite(last)) throw new Error(`${op}: range [${first}, ${last}] is not finite`)
  if (first > last) throw new Error(`${op}: min (${first}) is greater than max (${last})`)
  const edges = new Float64Array(bins + 1)
  // numpy: a float32 range from the data is subtracted in float32; a constant range widened
  // by ±0.5, or a range given by the caller, in float64.
  const constant = first === last
  if (constant) {
    first -= 0.5
    last += 0.5
  }
  const delta = f32 && !userRange && !constant ? r(last - first) : last - first
  // numpy.linspace in float64, then cast to the bin dtype (float32 for float32 data).
  const step = (last - first) / bins
  for (let k = 0; k < bins; k++) edges[k] = r(step === 0 ? (k / bins) * (last - first) + first : k * step + first)
  edges[bins] = r(last)
  const norm = r(bins / delta)
  first = r(first)
  last = r(last)

  const counts = new Float64Array(bins)
  const top = bins - 1
  for (let i = 0; i < data.length; i++) {
    if (mask && !mask[i]) continue
    const v = data[i]
    if (!(v >= first && v <= last)) continue
    let k = Math.trunc(r(r(v - first) * norm))
    if (k === bins) k = top
    if (v < edges[k]) k--
    if (k !== top && v >= edges[k + 1]) k++
    counts[k]++
  }
  return { counts, edges, binWidth: (last - first) / bins }
}

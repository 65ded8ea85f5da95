/**
 * Linear min–max rescaling.
 */
import { assertScalar, imageLike, intensityRange, pixelData, type Image } from '../image'

export interface NormalizeMinMaxOptions {
  /** Input value mapped to outMin; lower values are clipped. Default: the image minimum. */
  min?: number
  /** Input value mapped to outMax; higher values are clipped. Default: the image maximum. */
  max?: number
  /** Default 0. */
  outMin?: number
  /** Default 1. */
  outMax?: number
}

/**
 * y = outMin + (clip(x, min, max) − min) / (max − min) · (outMax − outMin), float32 output
 * (scikit-image `exposure.rescale_intensity(x, in_range=(min, max), out_range=(outMin, outMax))`
 * for float data). Defaults: min/max = the image's range, outMin 0, outMax 1.
 */
export function normalizeMinMax(image: Image, options: NormalizeMinMaxOptions = {}): Image {
  assertScalar(image, 'normalizeMinMax')
  const data = pixelData(image)
  let { min, max } = options
  if (min === undefined || max === undefined) {
    const r = intensityRange(image)
    min ??= r.min
    max ??= r.max
  }
  const outMin = options.outMin ?? 0
  const outMax = options.outMax ?? 1
  if (![min, max, outMin, outMax].every(Number.isFinite)) {
    throw new Error(`normalizeMinMax: min, max, outMin and outMax must be finite, got ${min}, ${max}, ${outMin}, ${outMax}${data.length === 0 ? ' (the image is empty)' : ''}`)
  }
  if (!(max > min)) throw new Error(`normalizeMinMax: max (${max}) must be greater than min (${min}); a constant image has no range to normalise`)
  const scale = (outMax - outMin) / (max - min)
  const n = data.length
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    let v = data[i]
    if (v < min) v = min
    else if (v > max) v = max
    out[i] = outMin + (v - min) * scale
  }
  return imageLike(image, out)
}

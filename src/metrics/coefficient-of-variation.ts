import type { Image } from '../image'
import { maskOf, scalarData } from './common'

export interface CoefficientOfVariationOptions {
  /** Only voxels where this same-size image is non-zero are used. Default: all voxels. */
  maskImage?: Image
}

/**
 * Coefficient of variation σ / μ of the (masked) voxel values, with the population standard
 * deviation (ddof = 0, numpy.std's default), i.e. numpy.std(v) / numpy.mean(v) computed in
 * float64 (two passes: mean, then squared deviations). The usual tissue-uniformity measure
 * when evaluating bias-field correction (CV of white matter, say). Returns ±Infinity or NaN
 * for a zero mean.
 */
export function coefficientOfVariation(image: Image, options: CoefficientOfVariationOptions = {}): number {
  const op = 'coefficientOfVariation'
  const data = scalarData(image, op)
  const mask = maskOf(image, options.maskImage, op)
  let sum = 0
  let n = 0
  for (let i = 0; i < data.length; i++) {
    if (mask && !mask[i]) continue
    sum += data[i]
    n++
  }
  const mean = sum / n
  let ss = 0
  for (let i = 0; i < data.length; i++) {
    if (mask && !mask[i]) continue
    const d = data[i] - mean
    ss += d * d
  }
  return Math.sqrt(ss / n) / mean
}

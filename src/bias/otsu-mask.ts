import { valueRange } from '../image'

/**
 * Otsu threshold exactly as ITK 5.2's OtsuThresholdImageFilter computes it (the mask N4's
 * command-line tools build when no mask is given: `OtsuThreshold(image, 0, 1, 200)` in the
 * SimpleITK / ITK N4 examples). Histogram: ImageToHistogramFilter with automatic min/max, the
 * maximum widened by (max − min) / bins / 100 (ITK's marginal scale), bin edges in float32
 * steps; threshold: OtsuMultipleThresholdsCalculator with one threshold (Otsu 1979) returning
 * the upper edge of the best bin. Differs from skimage.filters.threshold_otsu (bin centres,
 * no margin) by at most about one bin width.
 *
 * Returns the threshold; voxels strictly above it are foreground.
 */
export function itkOtsuThreshold(values: ArrayLike<number>, numberOfHistogramBins = 200): number {
  const bins = numberOfHistogramBins
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`Otsu threshold needs at least 2 histogram bins, got ${bins}`)
  const { min, max } = valueRange(values)
  if (!(max > min)) throw new Error('Otsu threshold: the image is constant, there is nothing to separate')
  const upper = max + (max - min) / bins / 100
  const f = Math.fround
  const interval = f(f(f(upper) - f(min)) / f(bins))
  const binMin = new Float64Array(bins)
  const binMax = new Float64Array(bins)
  for (let j = 0; j < bins; j++) {
    binMin[j] = min + f(j * interval)
    binMax[j] = j === bins - 1 ? upper : min + f((j + 1) * interval)
  }
  const freq = new Float64Array(bins)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    let j = Math.floor((v - min) / interval)
    if (j < 0) j = 0
    if (j > bins - 1) j = bins - 1
    while (j > 0 && v < binMin[j]) j--
    while (j < bins - 1 && v >= binMax[j]) j++
    freq[j] += 1
  }
  const total = values.length
  const centre = (j: number): number => (binMin[j] + binMax[j]) / 2
  let globalMean = 0
  for (let j = 0; j < bins; j++) globalMean += centre(j) * freq[j]
  globalMean /= total

  let cf0 = freq[0]
  let m0 = cf0 > 0 ? centre(0) : 0
  let cf1 = total - cf0
  let m1 = cf1 > 0 ? (globalMean * total - m0 * cf0) / cf1 : 0
  let maxVar = (cf0 * m0 * m0 + cf1 * m1 * m1) / total
  let best = 0
  for (let t = 1; t <= bins - 2; t++) {
    const oldFreq = cf0
    cf0 += freq[t]
    m0 = cf0 > 0 ? (m0 * oldFreq + centre(t) * freq[t]) / cf0 : 0
    cf1 = total - cf0
    m1 = cf1 > 0 ? (globalMean * total - m0 * cf0) / cf1 : 0
    const varBetween = (cf0 * m0 * m0 + cf1 * m1 * m1) / total
    // ITK ignores increases within one ulp (Math::FloatAlmostEqual with maxUlps = 1).
    if (varBetween > maxVar && varBetween - maxVar > Math.abs(maxVar) * 2.3e-16) {
      maxVar = varBetween
      best = t
    }
  }
  return binMax[best]
}

/**
 * Foreground mask of ITK's Otsu threshold (1 where value > threshold, compared in float32 as
 * ITK's BinaryThresholdImageFilter does on a float image).
 */
export function itkOtsuMask(values: ArrayLike<number>, numberOfHistogramBins = 200): Uint8Array {
  const threshold = Math.fround(itkOtsuThreshold(values, numberOfHistogramBins))
  const mask = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) mask[i] = values[i] > threshold ? 1 : 0
  return mask
}

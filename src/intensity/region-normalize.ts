/**
 * Normalisation with statistics taken inside a region only (e.g. the lung field of a chest
 * radiograph), applied to the whole image: the region's intensities become comparable between
 * images whatever lies outside it (collimation, markers, the size of the mediastinum).
 */
import { assertScalar, pixelData, type Image } from '../image'
import { normalizeMinMax } from './normalize-min-max'
import { zScore } from './z-score'

export type RegionNormalization = 'zscore' | 'minmax'

export interface RegionStatistics {
  /** Pixels in the region. */
  count: number
  mean: number
  /** Population standard deviation (ddof 0). */
  std: number
  min: number
  max: number
}

/** Mean, population SD, min and max of the pixels where mask > 0 (two-pass, float64). */
export function regionStatistics(image: Image, mask: Image): RegionStatistics {
  assertScalar(image, 'regionStatistics')
  const data = pixelData(image)
  const m = pixelData(mask)
  if (m.length !== data.length) throw new Error(`regionStatistics: the mask has ${m.length} pixels, the image ${data.length}`)
  let count = 0
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < data.length; i++) {
    if (!(m[i] > 0)) continue
    const v = data[i]
    count++
    sum += v
    if (v < min) min = v
    if (v > max) max = v
  }
  if (count === 0) throw new Error('regionStatistics: the mask is empty (no pixel > 0)')
  const mean = sum / count
  let ss = 0
  for (let i = 0; i < data.length; i++) if (m[i] > 0) ss += (data[i] - mean) ** 2
  return { count, mean, std: Math.sqrt(ss / count), min, max }
}

/**
 * 'zscore': (x − mean_R) / std_R; 'minmax': (x − min_R) / (max_R − min_R), clipped to [0, 1]
 * (values outside the region's range saturate). R = pixels with mask > 0; float32 output.
 */
export function normalizeInRegion(image: Image, mask: Image, method: RegionNormalization = 'zscore'): Image {
  if (method === 'zscore') return zScore(image, { maskImage: mask })
  if (method === 'minmax') {
    const { min, max } = regionStatistics(image, mask)
    return normalizeMinMax(image, { min, max })
  }
  throw new Error(`normalizeInRegion: unknown method '${String(method)}'; use 'zscore' or 'minmax'`)
}

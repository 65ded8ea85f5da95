/**
 * Intensity clipping.
 */
import { assertScalar, imageLike, pixelData, type Image } from '../image'

export interface ClipOptions {
  /** Values below become `min`. Default: no lower bound. */
  min?: number
  /** Values above become `max`. Default: no upper bound. */
  max?: number
}

/**
 * Clamps every value to [min, max] (numpy `np.clip`), keeping the component type. For integer
 * images a fractional bound acts as the value the type would store (the same as casting
 * np.clip's result back to the input dtype). NaN stays NaN, as in numpy.
 */
export function clipIntensity(image: Image, options: ClipOptions): Image {
  assertScalar(image, 'clipIntensity')
  const data = pixelData(image)
  const min = options.min ?? -Infinity
  const max = options.max ?? Infinity
  if (Number.isNaN(min) || Number.isNaN(max)) throw new Error('clipIntensity: min and max must be numbers, got NaN')
  if (min > max) throw new Error(`clipIntensity: min (${min}) is greater than max (${max})`)
  const out = data.slice()
  const n = out.length
  for (let i = 0; i < n; i++) {
    const v = out[i]
    if (v < min) out[i] = min
    else if (v > max) out[i] = max
  }
  return imageLike(image, out)
}

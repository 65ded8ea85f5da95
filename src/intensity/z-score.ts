/**
 * Z-score standardisation.
 */
import { assertScalar, imageLike, pixelData, type Image } from '../image'

export interface ZScoreOptions {
  /** Voxels with mask > 0 define the mean and std. Default: every voxel. Same size as the image. */
  maskImage?: Image
}

/**
 * (x − mean) / std with the mean and population std (ddof 0, numpy's `x[mask].std()`) of the
 * mask voxels, applied to every voxel; float32 output. Statistics are accumulated in float64
 * with two passes (mean, then squared deviations) for accuracy. Throws for an empty mask, a
 * mask of another size, or std 0.
 */
export function zScore(image: Image, options: ZScoreOptions = {}): Image {
  assertScalar(image, 'zScore')
  const data = pixelData(image)
  const n = data.length
  let mask: ArrayLike<number> | null = null
  if (options.maskImage) {
    const m = options.maskImage
    if (m.size.length !== image.size.length || m.size.some((s, i) => s !== image.size[i])) {
      throw new Error(`zScore: mask size ${m.size.join('×')} does not match image size ${image.size.join('×')}`)
    }
    assertScalar(m, 'zScore mask')
    mask = pixelData(m)
  }
  let count = 0
  let sum = 0
  for (let i = 0; i < n; i++) {
    if (mask && !(mask[i] > 0)) continue
    sum += data[i]
    count++
  }
  if (count === 0) throw new Error(mask ? 'zScore: the mask is empty (no voxel > 0)' : 'zScore: the image has no voxels')
  const mean = sum / count
  let ss = 0
  for (let i = 0; i < n; i++) {
    if (mask && !(mask[i] > 0)) continue
    const d = data[i] - mean
    ss += d * d
  }
  const std = Math.sqrt(ss / count)
  if (!(std > 0)) throw new Error(`zScore: the standard deviation of the ${mask ? 'mask' : 'image'} voxels is ${std}; a constant region cannot be standardised`)
  const out = new Float32Array(n)
  const inv = 1 / std
  for (let i = 0; i < n; i++) out[i] = (data[i] - mean) * inv
  return imageLike(image, out)
}

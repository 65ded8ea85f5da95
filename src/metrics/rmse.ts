/**
 * Root-mean-square error √(Σ (test − reference)² / N) between two images of the same size,
 * optionally only where a mask is non-zero (as `skimage.metrics.mean_squared_error`, square-rooted).
 */
import { assertScalar, pixelData, type Image } from '../image'

export interface RmseOptions {
  /** Only voxels where the mask is non-zero count. Default: every voxel. */
  maskImage?: Image
}

export function rmse(reference: Image, test: Image, options: RmseOptions = {}): number {
  assertScalar(reference, 'rmse')
  assertScalar(test, 'rmse')
  const x = pixelData(reference)
  const y = pixelData(test)
  if (x.length !== y.length) throw new Error(`rmse: the images have ${x.length} and ${y.length} voxels`)
  const m = options.maskImage ? pixelData(options.maskImage) : null
  if (m && m.length !== x.length) throw new Error(`rmse: the mask has ${m.length} voxels, the images ${x.length}`)
  let sum = 0
  let n = 0
  for (let i = 0; i < x.length; i++) {
    if (m && !m[i]) continue
    const d = y[i] - x[i]
    sum += d * d
    n++
  }
  return n > 0 ? Math.sqrt(sum / n) : NaN
}

/**
 * Largest absolute voxel difference between two images of the same size (the L∞ distance),
 * optionally only where a mask is non-zero. A NaN difference makes the result NaN, so a NaN in
 * either image is never hidden.
 */
import { assertScalar, pixelData, type Image } from '../image'

export interface MaxAbsoluteDifferenceOptions {
  /** Only voxels where the mask is non-zero count. Default: every voxel. */
  maskImage?: Image
}

export function maxAbsoluteDifference(a: Image, b: Image, options: MaxAbsoluteDifferenceOptions = {}): number {
  assertScalar(a, 'maxAbsoluteDifference')
  assertScalar(b, 'maxAbsoluteDifference')
  const x = pixelData(a)
  const y = pixelData(b)
  if (x.length !== y.length) throw new Error(`maxAbsoluteDifference: the images have ${x.length} and ${y.length} voxels`)
  const m = options.maskImage ? pixelData(options.maskImage) : null
  if (m && m.length !== x.length) throw new Error(`maxAbsoluteDifference: the mask has ${m.length} voxels, the images ${x.length}`)
  let worst = 0
  for (let i = 0; i < x.length; i++) {
    if (m && !m[i]) continue
    const d = Math.abs(x[i] - y[i])
    // `!(d <= worst)` is true for NaN too, which then stays the result.
    if (!(d <= worst)) worst = d
    if (worst !== worst) return NaN
  }
  return worst
}

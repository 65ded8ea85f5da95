/**
 * Where a clip range would change an image: masks of the voxels below and above it, for showing
 * clipped voxels on a slice.
 */
import { assertScalar, imageLike, pixelData, type Image } from '../image'
import type { ClipRange } from './clip-stats'

export interface ClipMasks {
  /** uint8, 1 where value < lower (numpy `a < lower`). */
  below: Image
  /** uint8, 1 where value > upper (numpy `a > upper`). */
  above: Image
}

/** The voxels clipStatistics counts, as two uint8 masks with the image's geometry. Same checks. */
export function clipMasks(image: Image, range: ClipRange): ClipMasks {
  assertScalar(image, 'clipMasks')
  const { lower, upper } = range
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) throw new RangeError(`clipMasks: lower and upper must be finite numbers, got ${lower} and ${upper}`)
  if (!(lower < upper)) throw new RangeError(`clipMasks: lower (${lower}) must be less than upper (${upper})`)
  const data = pixelData(image)
  const below = new Uint8Array(data.length)
  const above = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) {
    const v = data[i]
    if (v < lower) below[i] = 1
    else if (v > upper) above[i] = 1
  }
  return { below: imageLike(image, below), above: imageLike(image, above) }
}

/**
 * How much of an image a clip range would cut off: the counts behind an HU clipping choice.
 */
import { assertScalar, pixelData, type Image } from '../image'

export interface ClipRange {
  /** Values strictly below this are clipped up to it (as `np.clip`). */
  lower: number
  /** Values strictly above this are clipped down to it. */
  upper: number
}

export interface ClipStatistics {
  /** Voxels with value < lower. */
  belowCount: number
  /** Voxels with value > upper. */
  aboveCount: number
  /** All voxels (NaN voxels count here but neither below nor above, as np.clip keeps them NaN). */
  total: number
  belowFraction: number
  aboveFraction: number
  /** The image's value range before clipping (NaN ignored; NaN for an empty or all-NaN image). */
  min: number
  max: number
}

/**
 * Counts the voxels `clipIntensity(image, { min: lower, max: upper })` would change:
 * numpy's `(a < lower).sum()`, `(a > upper).sum()` and their fractions of `a.size`.
 * Throws a RangeError unless lower and upper are finite and lower < upper.
 */
export function clipStatistics(image: Image, range: ClipRange): ClipStatistics {
  assertScalar(image, 'clipStatistics')
  const { lower, upper } = range
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) {
    throw new RangeError(`clipStatistics: lower and upper must be finite numbers, got ${lower} and ${upper}`)
  }
  if (!(lower < upper)) throw new RangeError(`clipStatistics: lower (${lower}) must be less than upper (${upper})`)
  const data = pixelData(image)
  const n = data.length
  let below = 0
  let above = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const v = data[i]
    if (v < lower) below++
    else if (v > upper) above++
    if (v < min) min = v
    if (v > max) max = v
  }
  const found = min <= max
  return {
    belowCount: below,
    aboveCount: above,
    total: n,
    belowFraction: n ? below / n : 0,
    aboveFraction: n ? above / n : 0,
    min: found ? min : NaN,
    max: found ? max : NaN,
  }
}

import type { Image } from '../image'
import { assertSameSize, maskOf, scalarData } from './common'

export interface PearsonCorrelationOptions {
  /** Only voxels where this same-size image is non-zero are used. Default: all voxels. */
  maskImage?: Image
  /**
   * Correlate log(a) and log(b) (values must be > 0): how multiplicative fields known only up to
   * a factor, such as a true and an estimated bias field, are compared. Default: false.
   */
  log?: boolean
}

/**
 * Pearson correlation coefficient of the voxel values of two same-size scalar images (inside
 * the mask when given): Σ(a − ā)(b − b̄) / √(Σ(a − ā)² Σ(b − b̄)²), computed in float64 with
 * two passes (means, then centred sums), i.e. numpy.corrcoef(a, b)[0, 1]. NaN when either
 * image is constant over the voxels used (numpy also gives nan). Invariant to a positive
 * scale and an offset of either image, so e.g. a bias field known only up to a constant factor
 * can be compared through its logarithm.
 */
export function pearsonCorrelation(a: Image, b: Image, options: PearsonCorrelationOptions = {}): number {
  const op = 'pearsonCorrelation'
  const x = scalarData(a, op)
  const y = scalarData(b, op)
  assertSameSize(a, b, op, 'second image')
  const mask = maskOf(a, options.maskImage, op)
  if (options.log) {
    // Logs once, into float64 copies (the two passes below read every value twice).
    const lx = new Float64Array(x.length)
    const ly = new Float64Array(y.length)
    for (let i = 0; i < x.length; i++) {
      if (mask && !mask[i]) continue
      lx[i] = Math.log(x[i])
      ly[i] = Math.log(y[i])
    }
    return centredCorrelation(lx, ly, mask)
  }
  return centredCorrelation(x, y, mask)
}

/** numpy.corrcoef(x, y)[0, 1] over the voxels of the mask (all when null), in two passes. */
function centredCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, mask: Uint8Array | null): number {
  let sx = 0
  let sy = 0
  let n = 0
  for (let i = 0; i < x.length; i++) {
    if (mask && !mask[i]) continue
    sx += x[i]
    sy += y[i]
    n++
  }
  const mx = sx / n
  const my = sy / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < x.length; i++) {
    if (mask && !mask[i]) continue
    const dx = x[i] - mx
    const dy = y[i] - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  return sxy / Math.sqrt(sxx * syy)
}

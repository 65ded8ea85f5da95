import { pixelData, assertScalar, type Image } from '../image'

/** The cubic B-spline pole, sqrt(3) - 2 (Unser 1999; ITK BSplineDecompositionImageFilter::SetPoles). */
const POLE = Math.sqrt(3.0) - 2.0
/** ITK's default m_Tolerance: the causal initialisation truncates its sum after `horizon` terms. */
const TOLERANCE = 1e-10

/**
 * Cubic B-spline coefficients of a line, in place (ITK `DataToCoefficients1D` with mirror
 * boundaries: gain c0, causal/anti-causal recursive filters and their initial values,
 * Unser, "Splines: a perfect fit for signal and image processing", IEEE SPM 1999).
 * The arithmetic follows ITK 5.2 step by step so results agree bit for bit.
 */
function dataToCoefficients1D(s: Float64Array, n: number): void {
  if (n === 1) return // ITK leaves a length-1 line untouched (mirror boundaries need 2 samples)
  const z = POLE
  const c0 = 1.0 * (1.0 - z) * (1.0 - 1.0 / z)
  for (let k = 0; k < n; k++) s[k] *= c0
  // Initial causal coefficient.
  let zn = z
  const horizon = Math.ceil(Math.log(TOLERANCE) / Math.log(Math.abs(z)))
  if (horizon < n) {
    let sum = s[0]
    for (let k = 1; k < horizon; k++) {
      sum += zn * s[k]
      zn *= z
    }
    s[0] = sum
  } else {
    const iz = 1.0 / z
    let z2n = Math.pow(z, n - 1)
    let sum = s[0] + z2n * s[n - 1]
    z2n *= z2n * iz
    for (let k = 1; k <= n - 2; k++) {
      sum += (zn + z2n) * s[k]
      zn *= z
      z2n *= iz
    }
    s[0] = sum / (1.0 - zn * zn)
  }
  for (let k = 1; k < n; k++) s[k] += z * s[k - 1]
  // Initial anti-causal coefficient, then the anti-causal pass.
  s[n - 1] = (z / (z * z - 1.0)) * (z * s[n - 2] + s[n - 1])
  for (let k = n - 2; k >= 0; k--) s[k] = z * (s[k + 1] - s[k])
}

export interface BSplineCoefficientsOptions {
  onProgress?: (fraction: number, message?: string) => void
  signal?: AbortSignal
}

/**
 * Cubic B-spline interpolation coefficients of a 2D or 3D scalar image (float64, same size):
 * ITK's `BSplineDecompositionImageFilter` with spline order 3 and mirror boundary conditions,
 * applied along x, then y, then z. `resample(..., { interpolator: 'bspline' })` evaluates the
 * spline on these coefficients.
 */
export function bsplineCoefficients(image: Image, options: BSplineCoefficientsOptions = {}): Float64Array {
  assertScalar(image, 'bsplineCoefficients')
  const src = pixelData(image)
  const size = image.size
  const coef = Float64Array.from(src as ArrayLike<number>)
  const dim = size.length
  let stride = 1
  const total = size.reduce((a, b) => a + b, 0)
  let done = 0
  for (let axis = 0; axis < dim; axis++) {
    options.signal?.throwIfAborted()
    const n = size[axis]
    const scratch = new Float64Array(n)
    const lines = coef.length / n
    // A line along `axis` starts at every index whose axis coordinate is 0.
    for (let line = 0; line < lines; line++) {
      const lo = line % stride
      const hi = Math.floor(line / stride)
      const start = lo + hi * stride * n
      if (stride === 1) {
        const view = coef.subarray(start, start + n)
        dataToCoefficients1D(view, n)
      } else {
        for (let k = 0, p = start; k < n; k++, p += stride) scratch[k] = coef[p]
        dataToCoefficients1D(scratch, n)
        for (let k = 0, p = start; k < n; k++, p += stride) coef[p] = scratch[k]
      }
    }
    stride *= n
    done += n
    options.onProgress?.(done / total, `B-spline coefficients, axis ${axis}`)
  }
  return coef
}

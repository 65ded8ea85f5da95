/**
 * Partial-volume effect of a PET scanner modelled as a shift-invariant Gaussian blur of a given
 * FWHM (σ = FWHM / (2√(2 ln 2))): the recovery coefficient RC of a uniform object, the ratio of
 * the blurred image to the true uptake (Hoffman, Huang & Phelps, J Comput Assist Tomogr
 * 3(3):299–308, 1979; Soret, Bacharach & Buvat, J Nucl Med 48(6):932–945, 2007), with a cold
 * background.
 *
 * With a = R / σ for an object of radius R:
 * - sphere, centre (the maximum, "SUVmax"): RC = erf(a / √2) − √(2/π) · a · e^(−a²/2);
 * - infinite cylinder blurred in its cross-section, centre: RC = 1 − e^(−a²/2);
 * - sphere, mean over its true volume ("SUVmean" of a perfect VOI): (3 / R³) ∫₀^R f(r) r² dr
 *   with the blurred sphere's radial profile
 *   f(r) = ½[erf((R − r)/(√2σ)) + erf((R + r)/(√2σ))] − σ/(r√(2π)) · [e^(−(r−R)²/2σ²) − e^(−(r+R)²/2σ²)],
 *   integrated by composite Gauss–Legendre quadrature.
 */
import { PetCorrectionError } from './attenuation-correction'

/** σ of a Gaussian with the given FWHM: FWHM / (2√(2 ln 2)) ≈ FWHM / 2.3548. */
export function fwhmToSigma(fwhm: number): number {
  return fwhm / (2 * Math.sqrt(2 * Math.LN2))
}

/**
 * erf(x) by the series erf(x) = (2/√π) e^(−x²) Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (positive terms, no
 * cancellation; Abramowitz & Stegun 7.1.6), and 1 − erfc for |x| > 6 (erfc(6) < 2.2·10⁻¹⁷).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN
  const ax = Math.abs(x)
  if (ax > 6) return Math.sign(x)
  let term = ax
  let sum = ax
  for (let n = 1; n < 200; n++) {
    term *= (2 * ax * ax) / (2 * n + 1)
    sum += term
    if (term < 1e-17 * sum) break
  }
  return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum)
}

/** Value of a uniform sphere of radius R (value 1) blurred by an isotropic 3D Gaussian σ, at distance r from its centre. */
export function blurredSphereProfile(r: number, radius: number, sigma: number): number {
  const R = radius
  const s2 = Math.SQRT2 * sigma
  if (r < 1e-7 * (R + sigma)) {
    const a = R / sigma
    return erf(a / Math.SQRT2) - Math.sqrt(2 / Math.PI) * a * Math.exp(-(a * a) / 2)
  }
  const first = 0.5 * (erf((R - r) / s2) + erf((R + r) / s2))
  const second = (sigma / (r * Math.sqrt(2 * Math.PI))) * (Math.exp(-((r - R) ** 2) / (2 * sigma * sigma)) - Math.exp(-((r + R) ** 2) / (2 * sigma * sigma)))
  return first - second
}

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on Pₙ), cached. */
const glCache = new Map<number, [Float64Array, Float64Array]>()
function gaussLegendre(n: number): [Float64Array, Float64Array] {
  const hit = glCache.get(n)
  if (hit) return hit
  const x = new Float64Array(n)
  const w = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5))
    let dp = 0
    for (let it = 0; it < 100; it++) {
      let p0 = 1
      let p1 = z
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k
        p0 = p1
        p1 = p2
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1)
      const dz = p1 / dp
      z -= dz
      if (Math.abs(dz) < 1e-15) break
    }
    x[i] = z
    w[i] = 2 / ((1 - z * z) * dp * dp)
  }
  glCache.set(n, [x, w])
  return [x, w]
}

export interface RecoveryOptions {
  /** 'sphere' (default) or 'cylinder' (infinitely long, blurred in its cross-section). */
  shape?: 'sphere' | 'cylinder'
  /** 'max' (default): the value at the centre; 'mean': the mean over the true object (spheres only). */
  measure?: 'max' | 'mean'
}

/**
 * Recovery coefficient of a uniform sphere or cylinder of the given diameter in a cold background,
 * imaged with a Gaussian resolution of the given FWHM (same unit, e.g. mm); see the module comment.
 */
export function recoveryCoefficient(diameter: number, fwhm: number, options: RecoveryOptions = {}): number {
  const op = 'recoveryCoefficient'
  const shape = options.shape ?? 'sphere'
  const measure = options.measure ?? 'max'
  if (!(Number.isFinite(diameter) && diameter > 0)) throw new PetCorrectionError('BAD_OPTION', `${op}: diameter must be a positive number, got ${diameter}`)
  if (!(Number.isFinite(fwhm) && fwhm > 0)) throw new PetCorrectionError('BAD_OPTION', `${op}: fwhm must be a positive number, got ${fwhm}`)
  if (shape !== 'sphere' && shape !== 'cylinder') throw new PetCorrectionError('BAD_OPTION', `${op}: shape must be 'sphere' or 'cylinder', got ${String(shape)}`)
  if (measure !== 'max' && measure !== 'mean') throw new PetCorrectionError('BAD_OPTION', `${op}: measure must be 'max' or 'mean', got ${String(measure)}`)
  if (shape === 'cylinder' && measure === 'mean') throw new PetCorrectionError('BAD_OPTION', `${op}: measure 'mean' is implemented for spheres only`)
  const R = diameter / 2
  const sigma = fwhmToSigma(fwhm)
  const a = R / sigma
  if (shape === 'cylinder') return -Math.expm1(-(a * a) / 2)
  if (measure === 'max') return blurredSphereProfile(0, R, sigma)
  // Composite Gauss–Legendre over [0, R], panels no wider than σ (the profile's edge width).
  const panels = Math.min(400, Math.max(4, Math.ceil(R / sigma)))
  const [x, w] = gaussLegendre(16)
  const h = R / panels
  let sum = 0
  for (let p = 0; p < panels; p++) {
    const mid = (p + 0.5) * h
    for (let i = 0; i < x.length; i++) {
      const r = mid + 0.5 * h * x[i]
      sum += 0.5 * h * w[i] * blurredSphereProfile(r, R, sigma) * r * r
    }
  }
  return (3 / (R * R * R)) * sum
}

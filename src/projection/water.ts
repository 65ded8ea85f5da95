/**
 * Water beam-hardening correction ("water linearisation") of CT projections.
 *
 * A polychromatic beam hardens as it crosses tissue: the soft photons are absorbed first, so the
 * measured p = −ln(I/I0) grows more slowly than linearly with the path length, and the
 * reconstruction of a uniform water cylinder is darker in the middle than at the edge ("cupping",
 * Brooks & Di Chiro 1976, Phys Med Biol 21(3):390–398). Because the body is mostly water-like,
 * scanners map each measured p onto the value a monochromatic beam would give for the same
 * length of water, with a polynomial p' = Σₖ aₖ pᵏ fitted to a calibration (Herman 1979, Phys Med
 * Biol 24(1):81–106). This corrects water exactly (to the fit's accuracy) and leaves the
 * extra hardening by bone and iodine, which needs a second pass (Joseph & Spital 1978).
 *
 * Physics from src/physics (NIST μ(E) of water, Kramers' spectrum, energy-integrating detector).
 */
import type { Image } from '../image'
import { kramersSpectrum, linearAttenuation, traceRay, type DetectorKind, type MaterialId, type XraySpectrum } from '../physics/attenuation'
import { checkOption, ProjectionError } from './errors'
import { finiteValues, likeSinogram, sinogramSize } from './common'

export interface PolychromaticProjectionOptions {
  /** The tube spectrum. Default kramersSpectrum() (120 kVp, 2.5 mm Al). */
  spectrum?: XraySpectrum
  /** The material the path lengths are of. Default 'water'. */
  material?: MaterialId
  /** Path length in cm per unit of the sinogram's values (e.g. the pixel size in cm). Default 1, in (0, 1e3]. */
  cmPerUnit?: number
  /** Detector weighting. Default 'energy-integrating'. */
  detector?: DetectorKind
}

/** Detector weights w(E)·N(E) normalised to sum 1, and μ(E) of the material, per spectrum bin. */
function spectrumWeights(spectrum: XraySpectrum, material: MaterialId, detector: DetectorKind): { w: Float64Array; mu: Float64Array } {
  const { energiesKeV: e, photons } = spectrum
  const w = new Float64Array(e.length)
  const mu = new Float64Array(e.length)
  let sum = 0
  for (let k = 0; k < e.length; k++) {
    w[k] = photons[k] * (detector === 'energy-integrating' ? e[k] : 1)
    sum += w[k]
    mu[k] = linearAttenuation(material, e[k])
  }
  for (let k = 0; k < e.length; k++) w[k] /= sum
  return { w, mu }
}

function checkDetector(detector: unknown, op: string): DetectorKind {
  if (detector !== 'energy-integrating' && detector !== 'photon-counting') throw new ProjectionError('BAD_OPTION', `${op}: detector must be 'energy-integrating' or 'photon-counting', got ${String(detector)}`)
  return detector
}

/**
 * The projection p = −ln(Σ w(E)·exp(−μ(E)·L) / Σ w(E)) a polychromatic beam gives for each path
 * length L (sinogram value × cmPerUnit, ≥ 0) of one material: the same Beer–Lambert sum as
 * `traceRay`, evaluated for a whole sinogram.
 */
export function polychromaticProjection(lengths: Image, options: PolychromaticProjectionOptions = {}): Image {
  const op = 'polychromaticProjection'
  sinogramSize(lengths, 'path-length sinogram', op)
  const cm = checkOption(options.cmPerUnit ?? 1, 'cmPerUnit', op, 1e-12, 1e3)
  const detector = checkDetector(options.detector ?? 'energy-integrating', op)
  const material = options.material ?? 'water'
  const spectrum = options.spectrum ?? kramersSpectrum()
  const L = finiteValues(lengths, 'path-length sinogram', op)
  for (let i = 0; i < L.length; i++) if (L[i] < 0) throw new ProjectionError('BAD_DATA', `${op}: path length ${i} is ${L[i]}; lengths must be ≥ 0`)
  const { w, mu } = spectrumWeights(spectrum, material, detector)
  const out = new Float64Array(L.length)
  for (let i = 0; i < L.length; i++) {
    const t = L[i] * cm
    let s = 0
    for (let k = 0; k < w.length; k++) s += w[k] * Math.exp(-mu[k] * t)
    out[i] = -Math.log(s)
  }
  return likeSinogram(lengths, out, `${lengths.name} (polychromatic ${material} projection, ${spectrum.kVp} kVp)`)
}

/**
 * Least-squares solution of A x = b (A: rows × cols, row-major, rows ≥ cols, full column rank)
 * by Householder QR, which avoids the squared condition number of the normal equations.
 */
export function leastSquares(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const op = 'leastSquares'
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || cols < 1 || rows < cols) throw new ProjectionError('BAD_OPTION', `${op}: need rows ≥ cols ≥ 1, got ${rows} × ${cols}`)
  if (a.length !== rows * cols || b.length !== rows) throw new ProjectionError('BAD_OPTION', `${op}: A must have rows × cols values and b rows values`)
  const A = Float64Array.from(a)
  const y = Float64Array.from(b)
  for (let j = 0; j < cols; j++) {
    let norm = 0
    for (let i = j; i < rows; i++) norm += A[i * cols + j] ** 2
    norm = Math.sqrt(norm)
    if (norm === 0) throw new ProjectionError('BAD_DATA', `${op}: column ${j} is linearly dependent on the others`)
    const alpha = A[j * cols + j] > 0 ? -norm : norm
    // v = x − alpha·e1, stored in place of the column; H = I − 2vvᵀ/(vᵀv).
    A[j * cols + j] -= alpha
    let vv = 0
    for (let i = j; i < rows; i++) vv += A[i * cols + j] ** 2
    for (let k = j + 1; k < cols; k++) {
      let d = 0
      for (let i = j; i < rows; i++) d += A[i * cols + j] * A[i * cols + k]
      const f = (2 * d) / vv
      for (let i = j; i < rows; i++) A[i * cols + k] -= f * A[i * cols + j]
    }
    let d = 0
    for (let i = j; i < rows; i++) d += A[i * cols + j] * y[i]
    const f = (2 * d) / vv
    for (let i = j; i < rows; i++) y[i] -= f * A[i * cols + j]
    A[j * cols + j] = alpha // R's diagonal
  }
  const x = new Float64Array(cols)
  for (let j = cols - 1; j >= 0; j--) {
    let s = y[j]
    for (let k = j + 1; k < cols; k++) s -= A[j * cols + k] * x[k]
    x[j] = s / A[j * cols + j]
  }
  return x
}

export interface WaterLinearizationOptions {
  /** The tube spectrum. Default kramersSpectrum() (120 kVp, 2.5 mm Al). */
  spectrum?: XraySpectrum
  /** Polynomial degree K (p' = a₁p + … + a_K p^K, no constant term). Default 3, integer in [1, 8]. */
  degree?: number
  /** Thickest water in the calibration, cm. Default 40, in (0, 100]. */
  maxCm?: number
  /** Calibration thicknesses, evenly spaced from 0 to maxCm. Default 81, integer in [degree + 1, 10000]. */
  samples?: number
  /**
   * μ of water (1/cm) of the monochromatic beam the projections are mapped to. Default: the
   * detector-weighted mean μ of water over the unattenuated spectrum, the slope of p at zero
   * thickness, so that thin layers are left unchanged.
   */
  targetMuPerCm?: number
  /** Detector weighting. Default 'energy-integrating'. */
  detector?: DetectorKind
}

export interface WaterLinearization {
  /** a₁ … a_K of p' = Σ aₖ pᵏ. */
  coefficients: Float64Array
  /** μ of water (1/cm) the corrected projections correspond to. */
  targetMuPerCm: number
  /** The calibration: water thickness (cm), polychromatic p and the target μ·thickness. */
  thicknessCm: Float64Array
  polychromatic: Float64Array
  target: Float64Array
  /** Largest |Σ aₖ pᵏ − target| over the calibration points. */
  maxResidual: number
}

/**
 * Fits the water linearisation: polychromatic p of water layers 0 … maxCm thick (traceRay with
 * the spectrum) against the target μ·thickness, least squares on the powers p¹ … p^K (Herman 1979).
 */
export function fitWaterLinearization(options: WaterLinearizationOptions = {}): WaterLinearization {
  const op = 'fitWaterLinearization'
  const degree = checkOption(options.degree ?? 3, 'degree', op, 1, 8, true)
  const maxCm = checkOption(options.maxCm ?? 40, 'maxCm', op, 1e-6, 100)
  const samples = checkOption(options.samples ?? 81, 'samples', op, degree + 1, 10000, true)
  const detector = checkDetector(options.detector ?? 'energy-integrating', op)
  if (options.targetMuPerCm !== undefined) checkOption(options.targetMuPerCm, 'targetMuPerCm', op, 1e-6, 100)
  const spectrum = options.spectrum ?? kramersSpectrum()
  const { w, mu } = spectrumWeights(spectrum, 'water', detector)
  let slope = 0
  for (let k = 0; k < w.length; k++) slope += w[k] * mu[k]
  const targetMuPerCm = options.targetMuPerCm ?? slope
  const thicknessCm = new Float64Array(samples)
  const polychromatic = new Float64Array(samples)
  const target = new Float64Array(samples)
  for (let i = 0; i < samples; i++) {
    thicknessCm[i] = (maxCm * i) / (samples - 1)
    polychromatic[i] = traceRay([{ material: 'water', thicknessCm: thicknessCm[i] }], { kind: 'poly', spectrum }, { detector }).projection
    target[i] = targetMuPerCm * thicknessCm[i]
  }
  const A = new Float64Array(samples * degree)
  for (let i = 0; i < samples; i++) for (let k = 0; k < degree; k++) A[i * degree + k] = polychromatic[i] ** (k + 1)
  const coefficients = leastSquares(A, target, samples, degree)
  let maxResidual = 0
  for (let i = 0; i < samples; i++) maxResidual = Math.max(maxResidual, Math.abs(evalPolynomial(coefficients, polychromatic[i]) - target[i]))
  return { coefficients, targetMuPerCm, thicknessCm, polychromatic, target, maxResidual }
}

/** Σ aₖ pᵏ (k from 1) by Horner's rule. */
function evalPolynomial(a: Float64Array, p: number): number {
  let s = 0
  for (let k = a.length - 1; k >= 0; k--) s = (s + a[k]) * p
  return s
}

/** Applies p' = Σ aₖ pᵏ (k = 1 … K, coefficients a₁ … a_K) to every value of a projection sinogram. */
export function applyWaterLinearization(projection: Image, coefficients: ArrayLike<number>): Image {
  const op = 'applyWaterLinearization'
  sinogramSize(projection, 'projection', op)
  if (!coefficients || coefficients.length < 1 || coefficients.length > 8) throw new ProjectionError('BAD_OPTION', `${op}: give 1 to 8 coefficients a₁ … a_K`)
  const a = Float64Array.from(coefficients)
  if (!a.every(Number.isFinite)) throw new ProjectionError('BAD_OPTION', `${op}: the coefficients must be finite numbers`)
  const p = finiteValues(projection, 'projection', op)
  const out = new Float64Array(p.length)
  for (let i = 0; i < p.length; i++) out[i] = evalPolynomial(a, p[i])
  return likeSinogram(projection, out, `${projection.name} (water-linearised)`)
}

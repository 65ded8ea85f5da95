/**
 * PET data corrections before (or inside) reconstruction: the CT-based attenuation map at
 * 511 keV, attenuation correction factors from its line integrals, decay correction of a frame,
 * and the randoms rate of a detector pair.
 *
 * CT → μ(511 keV): the bilinear scaling of Carney, Townsend, Rappoport & Bendriem, "Method for
 * transforming CT images for attenuation correction in PET/CT imaging", Med Phys 33(4):976–983,
 * 2006 (doi:10.1118/1.2174132), which refines the hybrid scaling of Kinahan, Townsend, Beyer &
 * Sashin, Med Phys, 1998 (doi:10.1118/1.598392). With μ in cm⁻¹ and CT numbers in HU:
 *
 *     μ = 9.6·10⁻⁵ · (HU + 1000)          for HU ≤ BP      (air–water mixture: water is 0.096 cm⁻¹)
 *     μ = a · (HU + 1000) + b             for HU > BP      (water–bone mixture)
 *
 * with a, b and the breakpoint BP depending on the tube voltage ({@link CARNEY_BILINEAR}; the two
 * lines meet at BP to within the rounding of the published parameters). Negative results
 * (HU < −1000) are set to 0.
 *
 * Attenuation correction factors: a coincidence along a line L is detected only if both
 * 511 keV photons escape, with probability exp(−∫_L μ dl) whatever the point of emission; the
 * correction factor of the line is ACF = exp(∫_L μ dl), computed with the library's `radon`
 * (skimage's projector) and the pixel size in cm.
 */
import { LibraryError } from '../errors'
import { pixelData, type Image } from '../image'
import { radon, type RadonOptions } from '../recon/radon'
import { image2d, size2d, SINOGRAM_ANGLES_KEY } from '../recon/common'

/** Error codes of {@link PetCorrectionError}. */
export type PetCorrectionErrorCode =
  /** Not a 2D scalar image with pixel data, or images whose sizes do not match. */
  | 'BAD_IMAGE'
  /** An option is out of range or not one of the allowed values. */
  | 'BAD_OPTION'

/** A problem with the input of a PET correction (attenuation, decay, randoms, partial volume). */
export class PetCorrectionError extends LibraryError<PetCorrectionErrorCode> {
  constructor(code: PetCorrectionErrorCode, message: string) {
    super('PetCorrectionError', code, message)
  }
}

/** One row of the bilinear table: μ = a·(HU + 1000) + b above the breakpoint (HU), cm⁻¹. */
export interface BilinearParameters {
  /** Slope above the breakpoint, cm⁻¹ per HU. */
  a: number
  /** Intercept above the breakpoint, cm⁻¹. */
  b: number
  /** Breakpoint in HU (the CT number where the two lines meet). */
  breakpoint: number
}

/** Slope below the breakpoint: μ(water, 511 keV) / 1000 HU = 9.6·10⁻⁵ cm⁻¹ per HU (Carney et al. 2006). */
export const MU_WATER_511_PER_HU = 9.6e-5

/**
 * Carney et al. (2006), table of the bilinear parameters by tube voltage (kVp), measured on a
 * Siemens/CTI PET/CT with a bone-equivalent phantom.
 */
export const CARNEY_BILINEAR: Readonly<Record<80 | 100 | 110 | 120 | 130 | 140, Readonly<BilinearParameters>>> = {
  80: { a: 3.64e-5, b: 6.26e-2, breakpoint: 50 },
  100: { a: 4.43e-5, b: 5.44e-2, breakpoint: 52 },
  110: { a: 4.92e-5, b: 4.88e-2, breakpoint: 43 },
  120: { a: 5.1e-5, b: 4.71e-2, breakpoint: 47 },
  130: { a: 5.51e-5, b: 4.24e-2, breakpoint: 37 },
  140: { a: 5.64e-5, b: 4.08e-2, breakpoint: 30 },
}

export interface HuToMuOptions {
  /** Tube voltage of the CT, one of 80, 100, 110, 120, 130, 140 kVp. Default 120. */
  kvp?: number
  /** Own parameters instead of Carney's row for `kvp` (e.g. a scanner's calibration). */
  parameters?: BilinearParameters
}

function bilinear(options: HuToMuOptions, op: string): BilinearParameters {
  if (options.parameters) {
    const { a, b, breakpoint } = options.parameters
    if (![a, b, breakpoint].every((v) => typeof v === 'number' && Number.isFinite(v)) || a < 0) {
      throw new PetCorrectionError('BAD_OPTION', `${op}: parameters must be finite numbers { a ≥ 0, b, breakpoint }`)
    }
    return { a, b, breakpoint }
  }
  const kvp = options.kvp ?? 120
  const row = CARNEY_BILINEAR[kvp as keyof typeof CARNEY_BILINEAR]
  if (!row) throw new PetCorrectionError('BAD_OPTION', `${op}: kvp must be one of 80, 100, 110, 120, 130, 140 (Carney et al. 2006), got ${String(kvp)}`)
  return row
}

/** μ at 511 keV (cm⁻¹) of one CT number (HU), by the bilinear map (see the module comment). */
export function muAt511(hu: number, options: HuToMuOptions = {}): number {
  const { a, b, breakpoint } = bilinear(options, 'muAt511')
  const mu = hu <= breakpoint ? MU_WATER_511_PER_HU * (hu + 1000) : a * (hu + 1000) + b
  return mu > 0 ? mu : 0
}

/**
 * The attenuation map at 511 keV (float64, cm⁻¹) of a CT image in HU, voxel by voxel with the
 * bilinear map (Carney et al. 2006). Any dimension; geometry copied.
 */
export function huToMu511(ct: Image, options: HuToMuOptions = {}): Image {
  const op = 'huToMu511'
  const { a, b, breakpoint } = bilinear(options, op)
  if (!ct || !ct.data || !ct.imageType || ct.imageType.components !== 1) throw new PetCorrectionError('BAD_IMAGE', `${op}: the CT must be a scalar image with pixel data`)
  const src = pixelData(ct)
  const out = new Float64Array(src.length)
  for (let i = 0; i < src.length; i++) {
    const hu = Number(src[i])
    const mu = hu <= breakpoint ? MU_WATER_511_PER_HU * (hu + 1000) : a * (hu + 1000) + b
    out[i] = mu > 0 ? mu : 0
  }
  return {
    ...ct,
    name: `${ct.name} (μ 511 keV, cm⁻¹)`,
    imageType: { ...ct.imageType, componentType: 'float64', pixelType: 'Scalar' },
    size: [...ct.size],
    spacing: [...ct.spacing],
    origin: [...ct.origin],
    direction: Float64Array.from(ct.direction as ArrayLike<number>),
    metadata: new Map(ct.metadata),
    data: out,
  }
}

export interface AttenuationFactorOptions extends Pick<RadonOptions, 'angles' | 'signal' | 'onProgress'> {
  /** Pixel size in cm (the line integrals are sums over pixels times this). Default: the map's x spacing (mm) / 10. */
  pixelSizeCm?: number
}

/**
 * Attenuation correction factors ACF = exp(∫ μ dl) of every line of a parallel-beam sinogram:
 * `radon(muMap, { angles, circle: true })` times the pixel size in cm, exponentiated. The map
 * must be square (n × n, cm⁻¹); the result has n bins × views, with the angles recorded like a
 * `radon` sinogram, so an emission sinogram from `radon` on the same grid lines up bin for bin.
 */
export function attenuationCorrectionFactors(muMap: Image, options: AttenuationFactorOptions = {}): Image {
  const op = 'attenuationCorrectionFactors'
  const [nx, ny] = size2d(muMap, 'μ map', op)
  if (nx !== ny) throw new PetCorrectionError('BAD_IMAGE', `${op}: the μ map must be square (it is ${nx}×${ny})`)
  const pixel = options.pixelSizeCm ?? (muMap.spacing[0] ?? 10) / 10
  if (typeof pixel !== 'number' || !(pixel > 0 && pixel <= 100)) throw new PetCorrectionError('BAD_OPTION', `${op}: pixelSizeCm must be a number in (0, 100], got ${String(pixel)}`)
  const src = pixelData(muMap)
  for (let i = 0; i < src.length; i++) {
    const v = Number(src[i])
    if (!(v >= 0 && v < 100)) throw new PetCorrectionError('BAD_IMAGE', `${op}: μ must be in [0, 100) cm⁻¹; pixel ${i} is ${v}`)
  }
  const sino = radon(muMap, { angles: options.angles, circle: true, signal: options.signal, onProgress: options.onProgress })
  const s = pixelData(sino) as Float64Array
  const out = new Float64Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = Math.exp(s[i] * pixel)
  const [bins, views] = sino.size
  const acf = image2d(bins, views, out, `${muMap.name} (ACF)`, [...sino.spacing], [...sino.origin])
  acf.metadata.set(SINOGRAM_ANGLES_KEY, sino.metadata.get(SINOGRAM_ANGLES_KEY) as number[])
  return acf
}

/**
 * A sinogram multiplied (`'correct'`: measured × ACF) or divided (`'attenuate'`: ideal / ACF,
 * to simulate what the scanner measures) bin by bin by correction factors of the same size.
 */
export function applySinogramFactors(sinogram: Image, factors: Image, mode: 'correct' | 'attenuate' = 'correct'): Image {
  const op = 'applySinogramFactors'
  const [bins, views] = size2d(sinogram, 'sinogram', op)
  const [fb, fv] = size2d(factors, 'factors', op)
  if (fb !== bins || fv !== views) throw new PetCorrectionError('BAD_IMAGE', `${op}: the factors are ${fb}×${fv}, the sinogram ${bins}×${views}`)
  if (mode !== 'correct' && mode !== 'attenuate') throw new PetCorrectionError('BAD_OPTION', `${op}: mode must be 'correct' or 'attenuate', got ${String(mode)}`)
  const s = pixelData(sinogram)
  const f = pixelData(factors)
  const out = new Float64Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const k = Number(f[i])
    if (!(k > 0) || !Number.isFinite(k)) throw new PetCorrectionError('BAD_IMAGE', `${op}: factor ${i} is ${k}; factors must be positive`)
    out[i] = mode === 'correct' ? Number(s[i]) * k : Number(s[i]) / k
  }
  const result = image2d(bins, views, out, `${sinogram.name} (${mode === 'correct' ? 'AC' : 'attenuated'})`, [...sinogram.spacing], [...sinogram.origin])
  const angles = sinogram.metadata.get(SINOGRAM_ANGLES_KEY) ?? factors.metadata.get(SINOGRAM_ANGLES_KEY)
  if (angles) result.metadata.set(SINOGRAM_ANGLES_KEY, angles)
  return result
}

/**
 * Decay correction factor of a frame: the factor that turns the mean count rate measured in a
 * frame starting `elapsedSeconds` after the reference time and lasting `frameSeconds` into the
 * activity at the reference time,
 *
 *     DCF = 2^(t / T½) · λΔ / (1 − e^(−λΔ)),   λ = ln 2 / T½,
 *
 * the first factor for the decay before the frame, the second for the decay during it (1 when
 * Δ = 0). This is the Decay Factor of a DICOM PET image (PS3.3 C.8.9.4) when t is counted from
 * the image's DecayCorrection reference.
 */
export function decayCorrectionFactor(elapsedSeconds: number, halfLifeSeconds: number, frameSeconds = 0): number {
  const op = 'decayCorrectionFactor'
  if (!(Number.isFinite(halfLifeSeconds) && halfLifeSeconds > 0)) throw new PetCorrectionError('BAD_OPTION', `${op}: the half-life must be a positive number of seconds, got ${halfLifeSeconds}`)
  if (!Number.isFinite(elapsedSeconds)) throw new PetCorrectionError('BAD_OPTION', `${op}: the elapsed time must be a finite number of seconds, got ${elapsedSeconds}`)
  if (!(Number.isFinite(frameSeconds) && frameSeconds >= 0)) throw new PetCorrectionError('BAD_OPTION', `${op}: the frame duration must be ≥ 0 seconds, got ${frameSeconds}`)
  const lambda = Math.LN2 / halfLifeSeconds
  const x = lambda * frameSeconds
  const during = x < 1e-8 ? 1 + x / 2 : x / -Math.expm1(-x)
  return Math.pow(2, elapsedSeconds / halfLifeSeconds) * during
}

/**
 * Rate of random coincidences between two detectors with singles rates S₁ and S₂ (counts/s) and
 * a coincidence window of half-width τ (s): R = 2τ·S₁·S₂ (Cherry, Sorenson & Phelps, Physics in
 * Nuclear Medicine, 4th ed., 2012, ch. 18). Scanners estimate it per line from a delayed window.
 */
export function randomsRate(singles1: number, singles2: number, tauSeconds: number): number {
  const op = 'randomsRate'
  for (const [name, v] of [['singles1', singles1], ['singles2', singles2]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new PetCorrectionError('BAD_OPTION', `${op}: ${name} must be a rate ≥ 0 counts/s, got ${v}`)
  }
  if (!(Number.isFinite(tauSeconds) && tauSeconds > 0 && tauSeconds < 1e-3)) throw new PetCorrectionError('BAD_OPTION', `${op}: tau must be in (0, 1 ms) (a few ns), got ${tauSeconds} s`)
  return 2 * tauSeconds * singles1 * singles2
}

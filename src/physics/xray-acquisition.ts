/**
 * What a flat-panel detector records behind a patient, from a radiograph's line integrals
 * L = ∫ μ dl (projectRadiograph, output 'attenuation'), in the simplest physical model that shows
 * the four effects a radiographer trades off:
 *
 * 1. Primary: the expected photons per detector pixel P0 = N0 · e^{−L} (Beer–Lambert).
 * 2. Focal-spot blur: a focal spot of size f with magnification M = SID/SOD (source–image over
 *    source–object distance) blurs an edge over the geometric unsharpness U = f · (M − 1) at the
 *    detector, i.e. U / M in the object plane, where the
 *    radiograph's grid lives. The spot is taken as Gaussian with that FWHM.
 * 3. Scatter: a broad, low-frequency field, modelled as the primary convolved with a wide Gaussian
 *    kernel (a convolution scatter model), scaled so that the scatter-to-primary ratio
 *    SPR = mean(S) / mean(P) is the one asked for.
 * 4. Anti-scatter grid: transmits a fraction Tp of the primary and Ts of the scatter.
 * 5. Quantum noise: detected counts are Poisson(P + S).
 *
 * The Gaussians are scipy.ndimage.gaussian_filter's (mode 'reflect', truncate 4), so the expected
 * images can be checked against scipy exactly; the noise uses the seeded Poisson sampler of
 * src/recon/noise.ts.
 */
import { LibraryError } from '../errors'
import { makeImage, type Image } from '../image'
import { gaussianFilterInPlace } from '../spatial/gaussian-filter'
import { poissonSample } from '../recon/noise'
import { mulberry32 } from '../random'
import { rectangleStatistics, type PixelRectangle } from '../metrics/rectangle-statistics'

export type XrayAcquisitionErrorCode = 'BAD_IMAGE' | 'BAD_OPTION'

/** A problem with the input of {@link simulateXrayAcquisition}, with a machine-readable `code`. */
export class XrayAcquisitionError extends LibraryError<XrayAcquisitionErrorCode> {
  constructor(code: XrayAcquisitionErrorCode, message: string) {
    super('XrayAcquisitionError', code, message)
  }
}

export interface AntiScatterGrid {
  /** Fraction of the primary the grid lets through, 0–1. */
  primaryTransmission: number
  /** Fraction of the scatter the grid lets through, 0–1. */
  scatterTransmission: number
}

export interface XrayAcquisitionOptions {
  /** Unattenuated photons per detector pixel N0 (the dose, ∝ mAs). Default 10 000. */
  photonsPerPixel?: number
  /** Scatter-to-primary ratio without a grid. Default 0. */
  scatterToPrimary?: number
  /** Standard deviation of the scatter kernel, mm. Default 40. */
  scatterKernelMm?: number
  /** Anti-scatter grid, or null for none. Default null. */
  grid?: AntiScatterGrid | null
  /** Magnification M = SID / SOD ≥ 1 of the object plane. Default 1 (object on the detector). */
  magnification?: number
  /** Nominal focal-spot size f, mm. Default 0 (a point source). */
  focalSpotMm?: number
  /** Draw Poisson noise. Default true. */
  noise?: boolean
  /** Seed of the noise. Default 1. */
  seed?: number
}

export interface XrayAcquisitionResult {
  /** Expected primary counts per pixel after focal-spot blur and grid (float32). */
  primary: Image
  /** Expected scatter counts per pixel after the grid (float32). */
  scatter: Image
  /** Detected counts (Poisson of primary + scatter; the expectation when noise is off), float32. */
  detected: Image
  /** The log image a "for processing" radiograph stores: −ln(detected / (N0 · Tp)), float32. */
  logImage: Image
  /** Measured mean(scatter) / mean(primary) at the detector (after the grid). */
  scatterToPrimary: number
  /** Geometric unsharpness at the detector, f · (M − 1), mm. */
  unsharpnessMm: number
  /** The log image's reference counts N0 · Tp (the open field behind the grid). */
  referenceCounts: number
}

function option(ok: boolean, message: string): void {
  if (!ok) throw new XrayAcquisitionError('BAD_OPTION', message)
}

const FWHM_TO_SIGMA = 1 / (2 * Math.sqrt(2 * Math.log(2)))

/** Simulated detector image of a radiograph's line integrals (see the module comment). */
export function simulateXrayAcquisition(lineIntegrals: Image, options: XrayAcquisitionOptions = {}): XrayAcquisitionResult {
  const {
    photonsPerPixel = 10_000, scatterToPrimary = 0, scatterKernelMm = 40, grid = null, magnification = 1, focalSpotMm = 0, noise = true, seed = 1,
  } = options
  if (lineIntegrals.imageType.dimension !== 2 || !lineIntegrals.data || lineIntegrals.imageType.components !== 1) {
    throw new XrayAcquisitionError('BAD_IMAGE', 'simulateXrayAcquisition needs a 2D scalar image of line integrals (projectRadiograph with output "attenuation").')
  }
  option(Number.isFinite(photonsPerPixel) && photonsPerPixel > 0 && photonsPerPixel <= 1e9, `photonsPerPixel must be in (0, 1e9] (got ${photonsPerPixel}).`)
  option(Number.isFinite(scatterToPrimary) && scatterToPrimary >= 0 && scatterToPrimary <= 20, `scatterToPrimary must be 0–20 (got ${scatterToPrimary}).`)
  option(Number.isFinite(scatterKernelMm) && scatterKernelMm > 0 && scatterKernelMm <= 500, `scatterKernelMm must be in (0, 500] (got ${scatterKernelMm}).`)
  option(Number.isFinite(magnification) && magnification >= 1 && magnification <= 5, `magnification must be 1–5 (got ${magnification}).`)
  option(Number.isFinite(focalSpotMm) && focalSpotMm >= 0 && focalSpotMm <= 5, `focalSpotMm must be 0–5 (got ${focalSpotMm}).`)
  const tp = grid ? grid.primaryTransmission : 1
  const ts = grid ? grid.scatterTransmission : 1
  option(tp > 0 && tp <= 1 && ts >= 0 && ts <= 1, 'Grid transmissions must be in (0, 1] for the primary and [0, 1] for the scatter.')
  const [nx, ny] = lineIntegrals.size
  const [sx, sy] = lineIntegrals.spacing
  const n = nx * ny
  const L = lineIntegrals.data as ArrayLike<number>
  const p0 = new Float64Array(n)
  for (let i = 0; i < n; i++) p0[i] = photonsPerPixel * Math.exp(-Number(L[i]))
  const unsharpnessMm = focalSpotMm * (magnification - 1)
  if (unsharpnessMm > 0) {
    const sigma = (unsharpnessMm / magnification) * FWHM_TO_SIGMA
    gaussianFilterInPlace(p0, [nx, ny], [sigma / sx, sigma / sy])
  }
  let meanP0 = 0
  for (let i = 0; i < n; i++) meanP0 += p0[i]
  meanP0 /= n
  const s0 = new Float64Array(n)
  if (scatterToPrimary > 0) {
    s0.set(p0)
    gaussianFilterInPlace(s0, [nx, ny], [scatterKernelMm / sx, scatterKernelMm / sy])
    let meanS = 0
    for (let i = 0; i < n; i++) meanS += s0[i]
    meanS /= n
    const k = meanS > 0 ? (scatterToPrimary * meanP0) / meanS : 0
    for (let i = 0; i < n; i++) s0[i] *= k
  }
  const geometry = { spacing: [sx, sy], origin: [...lineIntegrals.origin], direction: Array.from(lineIntegrals.direction as ArrayLike<number>), metadata: lineIntegrals.metadata }
  const primary = makeImage([nx, ny], { ...geometry, componentType: 'float32' })
  const scatter = makeImage([nx, ny], { ...geometry, componentType: 'float32' })
  const detected = makeImage([nx, ny], { ...geometry, componentType: 'float32' })
  const logImage = makeImage([nx, ny], { ...geometry, componentType: 'float32' })
  const P = primary.data as Float32Array
  const S = scatter.data as Float32Array
  const D = detected.data as Float32Array
  const G = logImage.data as Float32Array
  const random = mulberry32(seed)
  let sumP = 0
  let sumS = 0
  const reference = photonsPerPixel * tp
  for (let i = 0; i < n; i++) {
    const p = tp * p0[i]
    const s = ts * s0[i]
    sumP += p
    sumS += s
    P[i] = p
    S[i] = s
    const d = noise ? poissonSample(p + s, random) : p + s
    D[i] = d
    // A pixel that caught no photon: the log of half a count, as detectors' offset handling does in effect.
    G[i] = -Math.log(Math.max(d, 0.5) / reference)
  }
  return { primary, scatter, detected, logImage, scatterToPrimary: sumP > 0 ? sumS / sumP : 0, unsharpnessMm, referenceCounts: reference }
}

/**
 * Contrast-to-noise ratio of a region against a background region of the same image:
 * |mean(A) − mean(B)| / SD(B). Regions are [x0, y0, x1, y1) rectangles in pixels.
 */
export function contrastToNoise(image: Image, region: PixelRectangle, background: PixelRectangle): number {
  const a = rectangleStatistics(image, region)
  const b = rectangleStatistics(image, background)
  return b.sd > 0 ? Math.abs(a.mean - b.mean) / b.sd : Infinity
}

/** −ln(expected counts / reference): the log image without noise. */
function expectedLogImage(result: XrayAcquisitionResult): Float64Array {
  const P = result.primary.data as Float32Array
  const S = result.scatter.data as Float32Array
  const out = new Float64Array(P.length)
  for (let i = 0; i < P.length; i++) out[i] = -Math.log(Math.max(P[i] + S[i], 0.5) / result.referenceCounts)
  return out
}

/**
 * The CNR of a lesion against quantum noise: its contrast is the difference, inside `region`,
 * between the expected log images of the same acquisition with and without the lesion (so that
 * ribs and vessels around it, which are anatomy and not noise, do not count), and its noise is
 * the SD inside `region` of this acquisition's noise (log image minus its expectation).
 */
export function lesionContrastToNoise(withLesion: XrayAcquisitionResult, withoutLesion: XrayAcquisitionResult, region: PixelRectangle): number {
  const e1 = expectedLogImage(withLesion)
  const e0 = expectedLogImage(withoutLesion)
  if (e1.length !== e0.length) throw new XrayAcquisitionError('BAD_IMAGE', 'The two acquisitions must have the same size.')
  const size = withLesion.primary.size
  const diff = makeImage(size, { componentType: 'float32', data: Float32Array.from(e1, (v, i) => v - e0[i]) })
  const G = withLesion.logImage.data as Float32Array
  const noise = makeImage(size, { componentType: 'float32', data: Float32Array.from(G, (v, i) => v - e1[i]) })
  const sd = rectangleStatistics(noise, region).sd
  const contrast = Math.abs(rectangleStatistics(diff, region).mean)
  return sd > 0 ? contrast / sd : Infinity
}

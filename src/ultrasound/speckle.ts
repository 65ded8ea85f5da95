/**
 * A B-mode ultrasound image simulated the way a scanner forms one, in its simplest linear model:
 * point scatterers at random positions with random amplitudes, each echoing a copy of the system's
 * point-spread function (PSF), summed into the radio-frequency (RF) signal; attenuation on the way
 * down and back; time-gain compensation (TGC); envelope detection by the Hilbert transform; log
 * compression to a chosen dynamic range. With many scatterers per resolution cell the envelope is
 * Rayleigh-distributed ("fully developed speckle", Burckhardt, IEEE Trans Sonics Ultrason 25(1),
 * 1978), whose mean-to-standard-deviation ratio is √(π / (4 − π)) ≈ 1.91.
 *
 * Geometry: a 2D image, x lateral (across the transducer), y depth. The PSF is separable: along
 * depth a Gaussian-windowed cosine at the round-trip spatial frequency 2 f0 / c (an echo from depth
 * z arrives at t = 2z / c), with a −6 dB pulse length of `pulseCycles` wavelengths / 2; laterally
 * a Gaussian beam with the given −6 dB width. Attenuation: amplitude × 10^(−α f0 · 2z / 20) with α in
 * dB/(cm·MHz); ideal TGC multiplies it back. Speed of sound c = 1540 m/s.
 */
import { LibraryError } from '../errors'
import { makeImage, type Image } from '../image'
import { mulberry32 } from '../random'
import { fftInPlace } from '../bias/fft'
import { rectangleStatistics, type PixelRectangle } from '../metrics/rectangle-statistics'

export type UltrasoundErrorCode = 'BAD_OPTION' | 'BAD_MAP'

/** A problem with the input of {@link simulateUltrasound} or {@link hilbertEnvelope}, with a `code`. */
export class UltrasoundError extends LibraryError<UltrasoundErrorCode> {
  constructor(code: UltrasoundErrorCode, message: string) {
    super('UltrasoundError', code, message)
  }
}

/** Speed of sound in soft tissue assumed by scanners, m/s. */
export const SPEED_OF_SOUND = 1540

export interface UltrasoundOptions {
  /** Lateral samples (image width). Default 128. */
  width?: number
  /** Depth samples (image height). Default 512. */
  depth?: number
  /** Sample spacing [lateral, depth] in mm. Default [0.2, 0.02]. */
  spacing?: [number, number]
  /** Centre frequency f0 in MHz. Default 5. */
  frequencyMHz?: number
  /** −6 dB pulse length in wavelengths (cycles). Default 2. */
  pulseCycles?: number
  /** −6 dB lateral beam width in mm. Default 1. */
  beamWidthMm?: number
  /** Mean number of scatterers per resolution cell (−6 dB pulse length × beam width). Default 10. */
  scatterersPerCell?: number
  /** Echogenicity: a 2D map on the same grid multiplying scatterer amplitudes (0 = anechoic cyst). Default: 1 everywhere. */
  echogenicity?: Image | null
  /** Attenuation α in dB/(cm·MHz). Default 0.5. */
  attenuationDbPerCmMHz?: number
  /** Ideal time-gain compensation (undo the attenuation). Default true. */
  tgc?: boolean
  /** Dynamic range of the log compression in dB. Default 50. */
  dynamicRangeDb?: number
  /** Seed of the scatterer positions and amplitudes. Default 1. */
  seed?: number
}

export interface UltrasoundResult {
  /** RF signal (float32). */
  rf: Image
  /** Envelope |analytic signal| of the RF along depth (float32). */
  envelope: Image
  /** Log-compressed B-mode image, uint8: 255 · clip((20 log10(env / max env) + DR) / DR, 0, 1). */
  bmode: Image
  /** Resolution cell used for the density: [beam width, pulse length] in mm. */
  cellMm: [number, number]
  /** Number of scatterers drawn. */
  scatterers: number
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new UltrasoundError('BAD_OPTION', message)
}

/**
 * Envelope of real signals along one axis: |x + i H{x}|, the analytic signal computed by FFT
 * exactly as `scipy.signal.hilbert(x, N)` does (spectrum × 2 for positive frequencies, × 1 at 0
 * and N/2, × 0 for negative ones), with N the next power of two ≥ the length; the result is cut
 * back to the input length. `signals` holds `count` signals of `length` samples, sample i of signal
 * s at `s * sStride + i * iStride`.
 */
export function hilbertEnvelope(signals: ArrayLike<number>, length: number, count: number, iStride: number, sStride: number): Float64Array {
  check(Number.isInteger(length) && length > 0 && Number.isInteger(count) && count >= 0, 'hilbertEnvelope needs a positive length and a count.')
  let n = 1
  while (n < length) n <<= 1
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  const out = new Float64Array(length * count)
  for (let s = 0; s < count; s++) {
    re.fill(0)
    im.fill(0)
    for (let i = 0; i < length; i++) re[i] = signals[s * sStride + i * iStride]
    fftInPlace(re, im)
    // h: 1 at DC and Nyquist, 2 for positive frequencies, 0 for negative ones (scipy's rule).
    for (let k = 1; k < n / 2; k++) {
      re[k] *= 2
      im[k] *= 2
    }
    for (let k = n / 2 + 1; k < n; k++) {
      re[k] = 0
      im[k] = 0
    }
    fftInPlace(re, im, true)
    for (let i = 0; i < length; i++) out[s * length + i] = Math.hypot(re[i], im[i]) / n
  }
  return out
}

/** Simulated B-mode image (see the module comment for the model). */
export function simulateUltrasound(options: UltrasoundOptions = {}): UltrasoundResult {
  const {
    width = 128, depth = 512, spacing = [0.2, 0.02], frequencyMHz = 5, pulseCycles = 2, beamWidthMm = 1,
    scatterersPerCell = 10, echogenicity = null, attenuationDbPerCmMHz = 0.5, tgc = true, dynamicRangeDb = 50, seed = 1,
  } = options
  check(Number.isInteger(width) && width >= 8 && width <= 1024, `Width must be an integer from 8 to 1024 samples (got ${width}).`)
  check(Number.isInteger(depth) && depth >= 16 && depth <= 4096, `Depth must be an integer from 16 to 4096 samples (got ${depth}).`)
  check(spacing.length === 2 && spacing.every((v) => Number.isFinite(v) && v > 0), 'Spacing must be two positive numbers (mm).')
  check(frequencyMHz >= 0.5 && frequencyMHz <= 50, `The frequency must be 0.5–50 MHz (got ${frequencyMHz}).`)
  const wavelength = SPEED_OF_SOUND / (frequencyMHz * 1e3) // mm
  // Nyquist along depth: the RF oscillates at 2 f0 / c cycles per mm.
  check(spacing[1] < wavelength / 4, `Depth sampling ${spacing[1]} mm is too coarse for ${frequencyMHz} MHz (needs < ${(wavelength / 4).toFixed(4)} mm).`)
  check(pulseCycles >= 0.5 && pulseCycles <= 20 && beamWidthMm > 0 && beamWidthMm <= 50, 'Pulse length (0.5–20 cycles) and beam width (0–50 mm) are out of range.')
  check(scatterersPerCell > 0 && scatterersPerCell <= 200, `Scatterers per cell must be in (0, 200] (got ${scatterersPerCell}).`)
  check(Number.isFinite(attenuationDbPerCmMHz) && attenuationDbPerCmMHz >= 0 && attenuationDbPerCmMHz <= 5, 'Attenuation must be 0–5 dB/(cm·MHz).')
  check(dynamicRangeDb >= 10 && dynamicRangeDb <= 120, `The dynamic range must be 10–120 dB (got ${dynamicRangeDb}).`)
  if (echogenicity) {
    if (echogenicity.size[0] !== width || echogenicity.size[1] !== depth || !echogenicity.data) {
      throw new UltrasoundError('BAD_MAP', `The echogenicity map must be ${width} × ${depth} with pixel data.`)
    }
  }
  const [dx, dz] = spacing
  const pulseLength = (pulseCycles * wavelength) / 2 // −6 dB length in depth (round trip halves it)
  const fwhmToSigma = 1 / (2 * Math.sqrt(2 * Math.log(2)))
  const sigmaZ = pulseLength * fwhmToSigma
  const sigmaX = beamWidthMm * fwhmToSigma
  const cellArea = pulseLength * beamWidthMm
  const area = width * dx * depth * dz
  const count = Math.round((scatterersPerCell * area) / cellArea)
  check(count <= 2e6, `That is ${count} scatterers; lower the density or the image size.`)

  // Scatterers splatted onto the grid with linear weights (sub-sample positions), amplitude ~ N(0, 1).
  const field = new Float64Array(width * depth)
  const rand = mulberry32(seed)
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
  const echo = echogenicity?.data as ArrayLike<number> | undefined
  for (let s = 0; s < count; s++) {
    const x = rand() * (width - 1)
    const z = rand() * (depth - 1)
    const x0 = Math.floor(x)
    const z0 = Math.floor(z)
    const fx = x - x0
    const fz = z - z0
    const a = gauss() * (echo ? Number(echo[Math.round(z) * width + Math.round(x)]) : 1)
    const i = z0 * width + x0
    field[i] += a * (1 - fx) * (1 - fz)
    if (x0 + 1 < width) field[i + 1] += a * fx * (1 - fz)
    if (z0 + 1 < depth) field[i + width] += a * (1 - fx) * fz
    if (x0 + 1 < width && z0 + 1 < depth) field[i + width + 1] += a * fx * fz
  }

  // Separable PSF: lateral Gaussian, then the axial Gabor pulse.
  const kx = kernel(Math.ceil((3 * sigmaX) / dx), (k) => Math.exp(-((k * dx) ** 2) / (2 * sigmaX ** 2)))
  const kz = kernel(Math.ceil((3 * sigmaZ) / dz), (k) => Math.exp(-((k * dz) ** 2) / (2 * sigmaZ ** 2)) * Math.cos((2 * Math.PI * 2 * k * dz) / wavelength))
  const lateral = convolveAxis(field, width, depth, kx, 1, width)
  const rf = convolveAxis(lateral, depth, width, kz, width, 1)
  // Attenuation (round trip) and TGC.
  for (let z = 0; z < depth; z++) {
    const db = attenuationDbPerCmMHz * frequencyMHz * (2 * z * dz) / 10
    const gain = tgc ? 1 : Math.pow(10, -db / 20)
    for (let x = 0; x < width; x++) rf[z * width + x] *= gain
  }
  const env = hilbertEnvelope(rf, depth, width, width, 1) // column-major result: [x][z]
  let max = 0
  for (let i = 0; i < env.length; i++) if (env[i] > max) max = env[i]
  const geometry = { spacing: [dx, dz] }
  const rfImage = makeImage([width, depth], { ...geometry, componentType: 'float32' })
  const envImage = makeImage([width, depth], { ...geometry, componentType: 'float32' })
  const bmode = makeImage([width, depth], { ...geometry, componentType: 'uint8' })
  const rfData = rfImage.data as Float32Array
  const envData = envImage.data as Float32Array
  const bData = bmode.data as Uint8Array
  for (let z = 0; z < depth; z++) {
    for (let x = 0; x < width; x++) {
      const e = env[x * depth + z]
      const i = z * width + x
      rfData[i] = rf[i]
      envData[i] = e
      const level = max > 0 && e > 0 ? (20 * Math.log10(e / max) + dynamicRangeDb) / dynamicRangeDb : 0
      bData[i] = Math.round(255 * Math.min(1, Math.max(0, level)))
    }
  }
  return { rf: rfImage, envelope: envImage, bmode, cellMm: [beamWidthMm, pulseLength], scatterers: count }
}

function kernel(half: number, f: (k: number) => number): Float64Array {
  const k = new Float64Array(2 * half + 1)
  for (let i = -half; i <= half; i++) k[i + half] = f(i)
  return k
}

/** 1D convolution (zero outside) of `lines` lines of `length` samples: sample i of line l at l·lStride + i·iStride. */
function convolveAxis(src: Float64Array, length: number, lines: number, k: Float64Array, iStride: number, lStride: number): Float64Array {
  const out = new Float64Array(src.length)
  const half = (k.length - 1) / 2
  for (let l = 0; l < lines; l++) {
    const base = l * lStride
    for (let i = 0; i < length; i++) {
      const v = src[base + i * iStride]
      if (v === 0) continue
      const j0 = Math.max(0, i - half)
      const j1 = Math.min(length - 1, i + half)
      for (let j = j0; j <= j1; j++) out[base + j * iStride] += v * k[j - i + half]
    }
  }
  return out
}

/** Mean / standard deviation of the values of `image` inside a rectangle [x0, y0, x1, y1): the speckle SNR. */
export function speckleSnr(image: Image, rect: PixelRectangle): number {
  const { mean, sd } = rectangleStatistics(image, rect)
  return sd > 0 ? mean / sd : Infinity
}

/**
 * Flat-panel detector frames and their calibration (chapter 2.3).
 *
 * A flat panel's raw frame is, pixel by pixel, R = O + G · N + e: a dark offset O (the
 * electronics' level without X-rays, fixed per pixel), a gain G (how many digital units one
 * detected photon gives, which differs from pixel to pixel and from one readout line to the
 * next), the detected photons N and read noise e. The standard two-point ("offset and gain")
 * correction measures O as the mean of dark frames D and G up to a constant from flood frames F
 * (uniform open-field exposures): G ∝ F − D. The corrected frame is
 *
 *     C = (R − D) / g,   g = (F − D) / mean(F − D),
 *
 * i.e. the gain map g is normalised to the flood's mean, so C is in the units of an average
 * pixel (the linear flat-field correction; Seibert, Boone & Lindfors, "Flat-field correction
 * technique for digital detectors", Proc. SPIE Medical Imaging, also discuss its noise and a
 * multi-point variant). Pixels whose gain is (near) zero cannot be corrected; they are dead and
 * belong in the defect map (see defects.ts).
 */
import { makeImage, type Image } from '../image'
import { mulberry32 } from '../random'
import { poissonSample } from '../recon/noise'
import { framePixels, requireOption, requireSameSize, XrayError } from './errors'

export interface FlatFieldOptions {
  /** Mean dark (offset) frame. Omit to skip the offset correction (D = 0). */
  dark?: Image
  /** Mean flood (open-field) frame. Omit to skip the gain correction (g = 1). */
  flood?: Image
  /**
   * Pixels whose normalised gain g is below this are set to 0 (they are dead: correct them with
   * the defect map). Default 0.05.
   */
  minGain?: number
}

/**
 * Offset and gain (flat-field) correction C = (R − D) / g with g = (F − D) / mean(F − D) (the
 * mean over all pixels, numpy `mean`), computed in float64, float32 output on the raw frame's
 * grid. Pixels with g < `minGain` become 0. Without `flood` only the offset is removed; without
 * `dark` the gain map is F / mean(F), which leaves the offset's fixed pattern divided by the gain.
 */
export function flatFieldCorrect(raw: Image, options: FlatFieldOptions = {}): Image {
  const op = 'flatFieldCorrect'
  const r = framePixels(raw, op, 'raw frame')
  const minGain = options.minGain ?? 0.05
  requireOption(Number.isFinite(minGain) && minGain >= 0, `${op}: minGain must be a finite number ≥ 0, got ${minGain}`)
  const d = options.dark ? framePixels(options.dark, op, 'dark frame') : null
  const f = options.flood ? framePixels(options.flood, op, 'flood frame') : null
  if (options.dark) requireSameSize(raw, options.dark, op, 'dark frame')
  if (options.flood) requireSameSize(raw, options.flood, op, 'flood frame')
  const n = r.length
  const out = new Float32Array(n)
  if (!f) {
    for (let i = 0; i < n; i++) out[i] = r[i] - (d ? d[i] : 0)
  } else {
    let sum = 0
    for (let i = 0; i < n; i++) sum += f[i] - (d ? d[i] : 0)
    const mean = sum / n
    if (!(mean > 0)) throw new XrayError('BAD_IMAGE', `${op}: the flood frame is not brighter than the dark frame on average (mean of flood − dark = ${mean}); was the flood exposed?`)
    for (let i = 0; i < n; i++) {
      const off = d ? d[i] : 0
      const g = (f[i] - off) / mean
      out[i] = g >= minGain ? (r[i] - off) / g : 0
    }
  }
  const image = makeImage(raw.size.slice(), { data: out, spacing: raw.spacing.slice(), origin: raw.origin.slice(), direction: raw.direction as ArrayLike<number>, name: `${raw.name} (flat-field corrected)`, metadata: raw.metadata })
  return image
}

export interface FlatPanelDefects {
  /** Fraction of pixels that are defective (half dead, half hot), 0–0.1. Default 0.002. */
  fraction?: number
  /** Number of dead detector columns (a failed readout line), 0–8. Default 1. */
  columns?: number
}

export interface SimulateFlatPanelOptions {
  /** Unattenuated photons per pixel I0 of the exposure (and of the flood frames). Default 5000. */
  I0?: number
  /** Relative standard deviation of the per-pixel gain. Default 0.05. */
  gainSpread?: number
  /** Relative standard deviation of the gain of each column (readout line), the stripes. Default 0.03. */
  columnGainSpread?: number
  /** Mean dark offset in digital units (ADU). Default 200. */
  offset?: number
  /** Standard deviation of the offset from pixel to pixel (fixed pattern), ADU. Default 20. */
  offsetSpread?: number
  /** Read noise per frame, ADU (standard deviation). Default 3. */
  readNoise?: number
  /** Mean gain in ADU per detected photon. Default 1. */
  adcPerPhoton?: number
  /** Defective pixels and lines. Default { fraction: 0.002, columns: 1 }. */
  defects?: FlatPanelDefects
  /** Dark frames averaged into the offset map. Default 16. */
  darkFrames?: number
  /** Flood frames averaged into the flood map. Default 16. */
  floodFrames?: number
  /** Draw quantum and read noise. Default true (false: every frame is its expectation). */
  noise?: boolean
  /** Seed of the generator (mulberry32). Default 1. */
  seed?: number
}

export interface FlatPanelFrames {
  /** The raw exposure behind the patient, ADU (float32). */
  raw: Image
  /** Mean of `darkFrames` dark frames, ADU. */
  dark: Image
  /** Mean of `floodFrames` open-field frames at I0, ADU. */
  flood: Image
  /** The true offset map O, ADU. */
  offset: Image
  /** The true gain map G, ADU per photon (0 for dead pixels and columns). */
  gain: Image
  /** The true defects, uint8: 1 dead pixel or column, 2 hot pixel, 0 good. */
  defects: Image
  /** Expected photons I0 · exp(−L) per pixel: what a perfect correction returns (times mean gain). */
  expected: Image
  /**
   * One more exposure at I0 without the patient, independent of the flood frames: corrected with
   * the same maps it shows the residual fixed pattern alone (its CV measures flatness).
   */
  openField: Image
}

/** Hot pixels sit this many ADU above their offset in every frame. */
const HOT_EXCESS = 3000

/**
 * Simulated flat-panel frames of a radiograph given as line integrals L (projectRadiograph's
 * 'attenuation' output): R = O + G · Poisson(I0 · e^−L) + e, with G = adcPerPhoton · (1 +
 * gainSpread · z_pixel) · (1 + columnGainSpread · z_column), O = offset + offsetSpread · z and
 * e ~ N(0, readNoise²) (z standard normal, Box–Muller from mulberry32(seed)). Dead pixels and
 * columns have G = 0; hot pixels an offset raised by 3000 ADU. The dark and flood maps are means
 * of k frames, drawn as one Poisson of k · λ divided by k and read noise readNoise / √k.
 * Everything is reproducible from `seed`; options are checked before anything is allocated.
 */
export function simulateFlatPanel(radiograph: Image, options: SimulateFlatPanelOptions = {}): FlatPanelFrames {
  const op = 'simulateFlatPanel'
  const L = framePixels(radiograph, op, 'radiograph')
  const I0 = options.I0 ?? 5000
  const gainSpread = options.gainSpread ?? 0.05
  const columnGainSpread = options.columnGainSpread ?? 0.03
  const offset = options.offset ?? 200
  const offsetSpread = options.offsetSpread ?? 20
  const readNoise = options.readNoise ?? 3
  const adc = options.adcPerPhoton ?? 1
  const fraction = options.defects?.fraction ?? 0.002
  const columns = options.defects?.columns ?? 1
  const darkFrames = options.darkFrames ?? 16
  const floodFrames = options.floodFrames ?? 16
  const noise = options.noise ?? true
  const seed = options.seed ?? 1
  const [nx, ny] = radiograph.size
  requireOption(Number.isFinite(I0) && I0 > 0 && I0 <= 1e7, `${op}: I0 must be in (0, 1e7] photons per pixel, got ${I0}`)
  requireOption(Number.isFinite(gainSpread) && gainSpread >= 0 && gainSpread <= 0.3, `${op}: gainSpread must be in [0, 0.3], got ${gainSpread}`)
  requireOption(Number.isFinite(columnGainSpread) && columnGainSpread >= 0 && columnGainSpread <= 0.3, `${op}: columnGainSpread must be in [0, 0.3], got ${columnGainSpread}`)
  requireOption(Number.isFinite(offset) && offset >= 0, `${op}: offset must be a finite number ≥ 0, got ${offset}`)
  requireOption(Number.isFinite(offsetSpread) && offsetSpread >= 0, `${op}: offsetSpread must be a finite number ≥ 0, got ${offsetSpread}`)
  requireOption(Number.isFinite(readNoise) && readNoise >= 0, `${op}: readNoise must be a finite number ≥ 0, got ${readNoise}`)
  requireOption(Number.isFinite(adc) && adc > 0, `${op}: adcPerPhoton must be a positive number, got ${adc}`)
  requireOption(Number.isFinite(fraction) && fraction >= 0 && fraction <= 0.1, `${op}: defects.fraction must be in [0, 0.1], got ${fraction}`)
  requireOption(Number.isInteger(columns) && columns >= 0 && columns <= Math.min(8, nx), `${op}: defects.columns must be an integer in [0, ${Math.min(8, nx)}], got ${columns}`)
  requireOption(Number.isInteger(darkFrames) && darkFrames >= 1 && darkFrames <= 1024, `${op}: darkFrames must be an integer in [1, 1024], got ${darkFrames}`)
  requireOption(Number.isInteger(floodFrames) && floodFrames >= 1 && floodFrames <= 1024, `${op}: floodFrames must be an integer in [1, 1024], got ${floodFrames}`)
  requireOption(Number.isFinite(seed), `${op}: seed must be a finite number, got ${seed}`)
  for (let i = 0; i < L.length; i++) {
    if (!Number.isFinite(L[i]) || L[i] < 0) throw new XrayError('BAD_IMAGE', `${op}: the radiograph must hold line integrals ≥ 0 (projectRadiograph's 'attenuation' output), pixel ${i} is ${L[i]}`)
  }
  const random = mulberry32(seed)
  let spare: number | null = null
  const normal = (): number => {
    if (spare !== null) {
      const z = spare
      spare = null
      return z
    }
    const r = Math.sqrt(-2 * Math.log(1 - random()))
    const t = 2 * Math.PI * random()
    spare = r * Math.sin(t)
    return r * Math.cos(t)
  }
  const n = nx * ny
  const gain = new Float32Array(n)
  const off = new Float32Array(n)
  const defects = new Uint8Array(n)
  const columnGain = Float64Array.from({ length: nx }, () => 1 + columnGainSpread * normal())
  for (let i = 0; i < n; i++) {
    gain[i] = Math.max(0, adc * (1 + gainSpread * normal()) * columnGain[i % nx])
    off[i] = offset + offsetSpread * normal()
  }
  const nDefects = Math.round(fraction * n)
  for (let k = 0; k < nDefects; k++) defects[Math.floor(random() * n)] = k % 2 === 0 ? 1 : 2
  for (let c = 0; c < columns; c++) {
    const x = Math.floor(random() * nx)
    for (let y = 0; y < ny; y++) defects[y * nx + x] = 1
  }
  for (let i = 0; i < n; i++) {
    if (defects[i] === 1) gain[i] = 0
    else if (defects[i] === 2) off[i] += HOT_EXCESS
  }
  const frameMean = (lambda: number, frames: number, i: number): number => {
    if (!noise) return off[i] + gain[i] * lambda
    const photons = poissonSample(frames * lambda, random) / frames
    return off[i] + gain[i] * photons + (readNoise / Math.sqrt(frames)) * normal()
  }
  const raw = new Float32Array(n)
  const dark = new Float32Array(n)
  const flood = new Float32Array(n)
  const expected = new Float32Array(n)
  const open = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    expected[i] = I0 * Math.exp(-L[i])
    raw[i] = frameMean(expected[i], 1, i)
    dark[i] = frameMean(0, darkFrames, i)
    flood[i] = frameMean(I0, floodFrames, i)
    open[i] = frameMean(I0, 1, i)
  }
  const like = (data: Float32Array | Uint8Array, name: string) => makeImage([nx, ny], { data, spacing: radiograph.spacing.slice(0, 2), origin: radiograph.origin.slice(0, 2), name: `${radiograph.name} ${name} (simulated)` })
  return {
    raw: like(raw, 'raw frame'), dark: like(dark, 'dark map'), flood: like(flood, 'flood map'),
    offset: like(off, 'offset'), gain: like(gain, 'gain'), defects: like(defects, 'defects'), expected: like(expected, 'expected photons'), openField: like(open, 'open-field frame'),
  }
}

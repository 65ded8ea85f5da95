/**
 * From detector readings to projections (line integrals): the corrections a CT scanner applies
 * to its raw data before reconstruction, each one switchable so its effect can be seen.
 *
 * With S the reading, D the dark (offset) scan, A the air (flat-field) scan, R the reference
 * (monitor) reading of the view and R_air the monitor during the air scan (Hsieh, "Computed
 * Tomography", SPIE 2009, ch. 7; Kak & Slaney 1988, ch. 4):
 *
 *   p[v, c] = −ln( max(S[v, c] − D[c], minSignal) / (A[c] − D[c]) · R_air / R[v] )
 *
 * Offset subtraction removes each channel's dark signal; dividing by the offset-corrected air
 * scan (gain or flat-field correction) removes each channel's gain and supplies I0; the monitor
 * ratio removes changes of the tube output between the air scan and each view; the clamp keeps
 * the logarithm finite where photon starvation and electronic noise leave nothing (or less than
 * nothing) after the offset is subtracted. Channels the air scan shows to be dead are then filled
 * in each view by linear interpolation between the nearest good neighbours.
 */
import type { Image } from '../image'
import { checkOption, checkVector, ProjectionError } from './errors'
import { finiteValues, likeSinogram, sinogramSize } from './common'

/** The calibration readings {@link correctProjection} needs (as {@link simulateRawCounts} returns them). */
export interface ProjectionCalibration {
  /** Dark (offset) scan, one value per channel. */
  dark: ArrayLike<number>
  /** Air (flat-field) scan, one value per channel, offset included. */
  air: ArrayLike<number>
  /** Reference (monitor) reading per view; needed when `reference` is on. */
  reference?: ArrayLike<number>
  /** Monitor reading during the air scan; needed when `reference` is on. */
  referenceAir?: number
}

export interface CorrectProjectionOptions {
  /** Subtract the dark scan (readings and air scan). Default true. */
  offset?: boolean
  /**
   * Divide by each channel's own (offset-corrected) air reading. Default true. false: divide
   * every channel by the mean air reading (I0 known, channel gains ignored).
   */
  gain?: boolean
  /** Multiply by R_air / R[v], the change of tube output seen by the monitor. Default true. */
  reference?: boolean
  /** Lowest signal (after offset subtraction) passed to the logarithm. Default 1, in (0, 1e9]. */
  minSignal?: number
  /** Interpolate channels listed here (and, with `detectDead`, those the air scan shows dead) from their neighbours. Default []. */
  badChannels?: number[]
  /** Also treat channels whose offset-corrected air reading is below deadFraction × the median as dead. Default true. */
  detectDead?: boolean
  /** See `detectDead`. Default 0.2, in [0, 1]. */
  deadFraction?: number
}

export interface CorrectedProjection {
  /** Line integrals p (x = channel, y = view, the readings' spacing and angles). */
  projection: Image
  /** Number of readings clamped to minSignal before the logarithm. */
  clamped: number
  /** Channels filled by interpolation (sorted). */
  interpolated: number[]
}

/** Median of a float64 array (a copy is sorted). */
function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort()
  const n = s.length
  return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
}

/**
 * Channels whose offset-corrected air reading A − D is below `fraction` × the median over
 * channels (dead or nearly dead elements), sorted.
 */
export function detectDeadChannels(calibration: Pick<ProjectionCalibration, 'dark' | 'air'>, fraction = 0.2): number[] {
  const op = 'detectDeadChannels'
  const n = calibration?.air?.length ?? 0
  if (n < 1) throw new ProjectionError('BAD_OPTION', `${op}: the air scan must have at least one channel`)
  checkOption(fraction, 'fraction', op, 0, 1)
  const dark = checkVector(calibration.dark, n, 'dark', op)
  const air = checkVector(calibration.air, n, 'air', op)
  const g = air.map((a, c) => a - dark[c])
  const m = median(g)
  const out: number[] = []
  for (let c = 0; c < n; c++) if (!(g[c] >= fraction * m)) out.push(c)
  return out
}

/**
 * Fills the listed channels of every view by linear interpolation between the nearest good
 * channel on each side (the nearest one alone at the edge of the detector): the simplest
 * bad-pixel correction, which turns the ring a dead channel would leave into a small smooth
 * error. Returns a new sinogram.
 */
export function interpolateBadChannels(sinogram: Image, channels: number[]): Image {
  const op = 'interpolateBadChannels'
  const [n, views] = sinogramSize(sinogram, 'sinogram', op)
  if (!Array.isArray(channels)) throw new ProjectionError('BAD_OPTION', `${op}: channels must be an array of channel indices`)
  const bad = new Uint8Array(n)
  for (const c of channels) {
    if (!Number.isInteger(c) || c < 0 || c >= n) throw new ProjectionError('BAD_OPTION', `${op}: channel ${String(c)} is not in 0..${n - 1}`)
    bad[c] = 1
  }
  if (channels.length > 0 && bad.every((b) => b === 1)) throw new ProjectionError('BAD_OPTION', `${op}: every channel is listed as bad; nothing to interpolate from`)
  const src = finiteValues(sinogram, 'sinogram', op)
  const data = Float64Array.from(src as ArrayLike<number>)
  fillBad(data, n, views, bad)
  return likeSinogram(sinogram, data, `${sinogram.name} (bad channels interpolated)`)
}

function fillBad(data: Float64Array, n: number, views: number, bad: Uint8Array): void {
  const left = new Int32Array(n).fill(-1)
  const right = new Int32Array(n).fill(-1)
  for (let c = 0, last = -1; c < n; c++) if (bad[c]) left[c] = last; else last = c
  for (let c = n - 1, next = -1; c >= 0; c--) if (bad[c]) right[c] = next; else next = c
  for (let c = 0; c < n; c++) {
    if (!bad[c]) continue
    const a = left[c]
    const b = right[c]
    const w = a >= 0 && b >= 0 ? (c - a) / (b - a) : a >= 0 ? 0 : 1
    for (let v = 0; v < views; v++) {
      const row = v * n
      data[row + c] = (a >= 0 ? (1 - w) * data[row + a] : 0) + (b >= 0 ? w * data[row + b] : 0)
    }
  }
}

/**
 * The projections of a scan from its raw readings (x = channel, y = view) and calibration scans,
 * with the corrections chosen in `options` (formula in the module comment). Options and the
 * calibration's lengths are checked before anything is allocated.
 */
export function correctProjection(counts: Image, calibration: ProjectionCalibration, options: CorrectProjectionOptions = {}): CorrectedProjection {
  const op = 'correctProjection'
  const [n, views] = sinogramSize(counts, 'readings', op)
  const useOffset = options.offset ?? true
  const useGain = options.gain ?? true
  const useReference = options.reference ?? true
  const detectDead = options.detectDead ?? true
  for (const [name, v] of [['offset', useOffset], ['gain', useGain], ['reference', useReference], ['detectDead', detectDead]] as const) {
    if (typeof v !== 'boolean') throw new ProjectionError('BAD_OPTION', `${op}: ${name} must be true or false`)
  }
  const minSignal = checkOption(options.minSignal ?? 1, 'minSignal', op, 1e-12, 1e9)
  const deadFraction = checkOption(options.deadFraction ?? 0.2, 'deadFraction', op, 0, 1)
  const listed = options.badChannels ?? []
  if (!Array.isArray(listed)) throw new ProjectionError('BAD_OPTION', `${op}: badChannels must be an array of channel indices`)
  for (const c of listed) if (!Number.isInteger(c) || c < 0 || c >= n) throw new ProjectionError('BAD_OPTION', `${op}: bad channel ${String(c)} is not in 0..${n - 1}`)
  if (!calibration) throw new ProjectionError('BAD_OPTION', `${op}: give the calibration (dark and air scans)`)
  const dark = checkVector(calibration.dark, n, 'calibration.dark', op)
  const air = checkVector(calibration.air, n, 'calibration.air', op)
  let ref: Float64Array | null = null
  let refAir = 1
  if (useReference) {
    ref = checkVector(calibration.reference, views, 'calibration.reference', op)
    refAir = checkOption(calibration.referenceAir, 'calibration.referenceAir', op, 1e-12, Infinity)
    for (let v = 0; v < views; v++) if (!(ref[v] > 0)) throw new ProjectionError('BAD_DATA', `${op}: monitor reading of view ${v} is ${ref[v]}; it must be > 0`)
  }
  const s = finiteValues(counts, 'readings', op)

  // I0 per channel: the (offset-corrected) air reading, or their mean when gains are ignored.
  const i0 = new Float64Array(n)
  let mean = 0
  for (let c = 0; c < n; c++) {
    i0[c] = air[c] - (useOffset ? dark[c] : 0)
    mean += i0[c] / n
  }
  const bad = new Uint8Array(n)
  for (const c of listed) bad[c] = 1
  if (detectDead) for (const c of detectDeadChannels({ dark, air }, deadFraction)) bad[c] = 1
  if (n > 0 && bad.every((b) => b === 1)) throw new ProjectionError('BAD_DATA', `${op}: every channel is dead or listed as bad`)
  if (!useGain) i0.fill(mean)
  // A channel the air scan shows (nearly) dead but that is not interpolated keeps its meaningless ratio:
  // the ring a real scanner would show. Its I0 is clamped like the readings so the logarithm stays finite.
  for (let c = 0; c < n; c++) if (!(i0[c] >= minSignal)) i0[c] = minSignal

  const data = new Float64Array(n * views)
  let clamped = 0
  for (let v = 0; v < views; v++) {
    const r = ref ? refAir / ref[v] : 1
    const row = v * n
    for (let c = 0; c < n; c++) {
      if (bad[c]) continue
      let x = s[row + c] - (useOffset ? dark[c] : 0)
      if (!(x >= minSignal)) {
        x = minSignal
        clamped++
      }
      data[row + c] = -Math.log((x / i0[c]) * r)
    }
  }
  const interpolated: number[] = []
  for (let c = 0; c < n; c++) if (bad[c]) interpolated.push(c)
  if (interpolated.length) fillBad(data, n, views, bad)
  const steps = [useOffset && 'offset', useGain && 'gain', useReference && 'reference'].filter(Boolean).join(', ') || 'no corrections'
  return { projection: likeSinogram(counts, data, `${counts.name} (projection: ${steps}, log)`), clamped, interpolated }
}

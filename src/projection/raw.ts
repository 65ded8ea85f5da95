/**
 * Simulated raw CT detector data: what a third-generation scanner's data acquisition system
 * records before any correction, made from a sinogram of line integrals.
 *
 * Model (per view v and detector channel c; a teaching model in the spirit of Hsieh,
 * "Computed Tomography: Principles, Design, Artifacts, and Recent Advances", SPIE 2009, ch. 2
 * and 7, not any vendor's):
 *
 *   photons    N[v, c] ~ Poisson(I0 · f[v] · exp(−scale · p[v, c]))
 *   signal     S[v, c] = g[c] · N[v, c] + d[c] + e,   e ~ Normal(0, readNoise²)
 *   monitor    R[v]    ~ Poisson(referenceCounts · f[v])
 *
 * f[v] = fluxRatio · (1 + drift · v / (views − 1)) is the tube output during the scan relative to
 * the air scan, g[c] the channel gain (1 + gainSpread · z, z standard normal, at least 0.05; 0 for
 * a dead channel), d[c] the dark offset (offset + offsetSpread · z, in signal units).
 * The calibration scans are made the same way: `dark` is the mean of `calibrationFrames` frames
 * without X-rays, `air` (the flat field) the mean of `calibrationFrames` frames at f = 1 with
 * nothing in the beam, `referenceAir` the monitor's mean during the air scan.
 * Poisson draws: src/recon/noise.ts poissonSample; Normal draws: Box–Muller; all from mulberry32(seed).
 */
import type { Image } from '../image'
import { mulberry32 } from '../random'
import { poissonSample } from '../recon/noise'
import { checkOption, ProjectionError } from './errors'
import { finiteValues, likeSinogram, sinogramSize } from './common'

export interface RawCountsOptions {
  /** Photons per channel per view with nothing in the beam, at the air scan's tube output. Default 1e5, in [1, 1e9]. */
  I0?: number
  /** Attenuation per unit of the sinogram's values (e.g. μ_water × pixel size for a sinogram in μ/μ_water pixel sums). Default 1, in (0, 1e6]. */
  scale?: number
  /** Relative standard deviation of the channel gains. Default 0.03, in [0, 0.5]. */
  gainSpread?: number
  /** Mean dark offset of a channel, signal units. Default 100, in [0, 1e9]. */
  offset?: number
  /** Standard deviation of the dark offsets across channels. Default 30, in [0, 1e9]. */
  offsetSpread?: number
  /** Relative change of the tube output from the first to the last view. Default 0.02, in [−0.5, 0.5]. */
  drift?: number
  /** Tube output at the start of the scan relative to the air scan (e.g. 2: scanned at twice the air scan's mA). Default 2, in [0.01, 100]. */
  fluxRatio?: number
  /** Standard deviation of the electronic (read) noise added to every reading, signal units. Default 5, in [0, 1e9]. */
  readNoise?: number
  /** Counts of the reference (monitor) detector per view at the air scan's tube output. Default 1e7, in [1, 1e12]. */
  referenceCounts?: number
  /** Frames averaged into the dark and air calibration scans. Default 64, integer in [1, 10000]. */
  calibrationFrames?: number
  /** Dead detector channels (gain 0: they read only their offset and noise). Default none. */
  deadChannels?: number[]
  /** Seed of the generator. Default 1, integer in [0, 2³² − 1]. */
  seed?: number
}

/** Raw data of one simulated scan with its calibration scans. */
export interface RawScan {
  /** Detector readings S[v, c] (x = channel, y = view; the sinogram's spacing and angles). */
  counts: Image
  /** Dark (offset) scan per channel, mean of the calibration frames. */
  dark: Float64Array
  /** Air (flat-field) scan per channel, mean of the calibration frames (includes the offset). */
  air: Float64Array
  /** Reference (monitor) detector reading per view. */
  reference: Float64Array
  /** Mean monitor reading during the air scan. */
  referenceAir: number
  /** The true channel gains and offsets and the true relative tube output per view (for checks and plots). */
  truth: { gain: Float64Array; offset: Float64Array; flux: Float64Array }
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function normalSample(random: () => number): number {
  const u = Math.max(random(), 1e-300)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/**
 * Raw detector readings of a scan of the object whose line integrals are `sinogram` (values
 * ≥ 0, x = channel, y = view, as `radon` returns), with per-channel gain and offset, tube-output
 * drift, Poisson photon noise and electronic noise, plus its dark, air and monitor calibration
 * readings (the model is in the module comment). All options are checked before anything is allocated.
 */
export function simulateRawCounts(sinogram: Image, options: RawCountsOptions = {}): RawScan {
  const op = 'simulateRawCounts'
  const [channels, views] = sinogramSize(sinogram, 'sinogram', op)
  const I0 = checkOption(options.I0 ?? 1e5, 'I0', op, 1, 1e9)
  const scale = checkOption(options.scale ?? 1, 'scale', op, 1e-12, 1e6)
  const gainSpread = checkOption(options.gainSpread ?? 0.03, 'gainSpread', op, 0, 0.5)
  const offset = checkOption(options.offset ?? 100, 'offset', op, 0, 1e9)
  const offsetSpread = checkOption(options.offsetSpread ?? 30, 'offsetSpread', op, 0, 1e9)
  const drift = checkOption(options.drift ?? 0.02, 'drift', op, -0.5, 0.5)
  const fluxRatio = checkOption(options.fluxRatio ?? 2, 'fluxRatio', op, 0.01, 100)
  const readNoise = checkOption(options.readNoise ?? 5, 'readNoise', op, 0, 1e9)
  const referenceCounts = checkOption(options.referenceCounts ?? 1e7, 'referenceCounts', op, 1, 1e12)
  const frames = checkOption(options.calibrationFrames ?? 64, 'calibrationFrames', op, 1, 10000, true)
  const seed = checkOption(options.seed ?? 1, 'seed', op, 0, 2 ** 32 - 1, true)
  const dead = options.deadChannels ?? []
  if (!Array.isArray(dead)) throw new ProjectionError('BAD_OPTION', `${op}: deadChannels must be an array of channel indices`)
  for (const c of dead) if (!Number.isInteger(c) || c < 0 || c >= channels) throw new ProjectionError('BAD_OPTION', `${op}: dead channel ${String(c)} is not in 0..${channels - 1}`)
  const p = finiteValues(sinogram, 'sinogram', op)
  for (let i = 0; i < p.length; i++) if (p[i] < 0) throw new ProjectionError('BAD_DATA', `${op}: line integral ${i} is ${p[i]}; line integrals must be ≥ 0`)

  const random = mulberry32(seed)
  const gain = new Float64Array(channels)
  const dark = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    gain[c] = Math.max(0.05, 1 + gainSpread * normalSample(random))
    dark[c] = offset + offsetSpread * normalSample(random)
  }
  for (const c of dead) gain[c] = 0
  const flux = new Float64Array(views)
  for (let v = 0; v < views; v++) flux[v] = fluxRatio * (1 + (views > 1 ? (drift * v) / (views - 1) : 0))
  const read = () => (readNoise > 0 ? readNoise * normalSample(random) : 0)

  const darkScan = new Float64Array(channels)
  const airScan = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    let sd = 0
    let sa = 0
    for (let k = 0; k < frames; k++) {
      sd += dark[c] + read()
      sa += gain[c] * poissonSample(I0, random) + dark[c] + read()
    }
    darkScan[c] = sd / frames
    airScan[c] = sa / frames
  }
  let refAir = 0
  for (let k = 0; k < frames; k++) refAir += poissonSample(referenceCounts, random)
  const referenceAir = refAir / frames

  const counts = new Float64Array(channels * views)
  const reference = new Float64Array(views)
  for (let v = 0; v < views; v++) {
    reference[v] = poissonSample(referenceCounts * flux[v], random)
    const mean = I0 * flux[v]
    for (let c = 0; c < channels; c++) {
      const i = v * channels + c
      counts[i] = gain[c] * poissonSample(mean * Math.exp(-scale * p[i]), random) + dark[c] + read()
    }
  }
  return {
    counts: likeSinogram(sinogram, counts, `${sinogram.name} (simulated raw counts)`),
    dark: darkScan, air: airScan, reference, referenceAir,
    truth: { gain, offset: dark, flux },
  }
}

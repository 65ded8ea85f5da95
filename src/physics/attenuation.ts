/**
 * X-ray attenuation along a ray: mass attenuation coefficients from NIST's tables, a simple
 * bremsstrahlung spectrum, Beer–Lambert for mono- and polychromatic beams, beam hardening and
 * Hounsfield units against tube voltage.
 *
 * - μ/ρ: J. H. Hubbell & S. M. Seltzer, NISTIR 5632 / NIST Standard Reference Database 126
 *   (./nist-xcom-data.ts), interpolated linearly in (ln E, ln μ/ρ) between the tabulated
 *   energies, i.e. a power law on each interval; at an absorption edge (an energy tabulated
 *   twice) the value below the edge is used below it and the value above at and above it.
 * - Beer–Lambert: a narrow beam of intensity I0 leaves a stack of layers with
 *   I = I0 · exp(−Σ μᵢ tᵢ); for a spectrum S(E), I/I0 = Σ w(E) exp(−Σ μᵢ(E) tᵢ) / Σ w(E) with
 *   w(E) = E·S(E) for an energy-integrating detector (what clinical CT detectors are) or S(E)
 *   for a photon-counting one.
 * - Spectrum: Kramers' law (H. A. Kramers, Phil. Mag. 46:836–871, 1923) for the unfiltered
 *   bremsstrahlung photon number per energy interval, N(E) ∝ (kVp − E)/E, times the
 *   transmission of an aluminium filter. This is a teaching simplification: it has no tungsten
 *   characteristic lines, no anode self-absorption (heel effect) and no ripple; real spectra come
 *   from models such as TASMICS/SpekCalc or from measurement.
 * - HU: HU = 1000 · (μ − μ_water)/(μ_water − μ_air). For a spectrum each μ is the detector-weighted
 *   mean of μ(E) over the spectrum that reaches the detector after a water "patient" of the given
 *   thickness: the linearised small-object approximation. It makes water 0 and air −1000 HU
 *   exactly (as a scanner's calibration does) and shows how other tissues drift with kVp.
 */
import { LibraryError } from '../errors'
import { NIST_XCOM } from './nist-xcom-data'
import { mulberry32 } from '../random'

export type AttenuationErrorCode =
  /** The material id is not in {@link MATERIALS}. */
  | 'UNKNOWN_MATERIAL'
  /** An energy is outside the table (1 keV – 1 MeV) or above the tube voltage. */
  | 'ENERGY_OUT_OF_RANGE'
  /** An option is out of range (negative thickness, kVp outside 20–150, bin width ≤ 0, …). */
  | 'BAD_OPTION'

/** A problem with the input of the attenuation functions, with a machine-readable `code`. */
export class AttenuationError extends LibraryError<AttenuationErrorCode> {
  constructor(code: AttenuationErrorCode, message: string) {
    super('AttenuationError', code, message)
  }
}

/** Ids of the materials the library knows. */
export type MaterialId =
  | 'water' | 'air' | 'adipose' | 'softTissue' | 'muscle' | 'lung' | 'inflatedLung'
  | 'corticalBone' | 'iodineContrast' | 'aluminium' | 'iodine'

export interface Material {
  id: MaterialId
  /** Name for people. */
  label: string
  /** Density used for μ = (μ/ρ)·ρ, g/cm³. */
  density: number
  /** Where the numbers come from. */
  source: string
  /** Components by partial density (g of component per cm³ of material): NIST table id → g/cm³. */
  parts: Record<string, number>
}

const nist = (key: string, label: string, id: MaterialId): Material => ({
  id, label, density: NIST_XCOM[key].density, parts: { [key]: NIST_XCOM[key].density },
  source: `NIST SRD 126, ${NIST_XCOM[key].nistName}, density ${NIST_XCOM[key].density} g/cm³ (NIST Table 2)`,
})

/**
 * The materials: NIST's ICRU-44 tissues at NIST's densities, plus two mixtures defined here.
 * 'inflatedLung' is ICRU-44 lung tissue at 0.26 g/cm³ (air-filled lung is mostly air; the value
 * is this library's choice, typical of inflated lung). 'iodineContrast' is water with 10 mg of
 * iodine per mL (partial densities 1.0 and 0.010 g/cm³; the volume of the iodine is neglected),
 * a typical enhanced-vessel concentration.
 */
export const MATERIALS: Record<MaterialId, Material> = {
  water: nist('water', 'Water', 'water'),
  air: nist('air', 'Air', 'air'),
  adipose: nist('adipose', 'Fat (adipose)', 'adipose'),
  softTissue: nist('softTissue', 'Soft tissue', 'softTissue'),
  muscle: nist('muscle', 'Muscle', 'muscle'),
  lung: nist('lung', 'Lung tissue (no air)', 'lung'),
  inflatedLung: {
    id: 'inflatedLung', label: 'Lung, inflated', density: 0.26, parts: { lung: 0.26 },
    source: 'NIST SRD 126, Lung Tissue (ICRU-44) composition at 0.26 g/cm³ (this library\'s choice for air-filled lung)',
  },
  corticalBone: nist('corticalBone', 'Cortical bone', 'corticalBone'),
  iodineContrast: {
    id: 'iodineContrast', label: 'Iodine contrast, 10 mg/mL', density: 1.01, parts: { water: 1.0, iodine: 0.01 },
    source: 'NIST SRD 126, water (1.0 g/cm³) + iodine (0.010 g/cm³), mixture rule',
  },
  aluminium: nist('aluminium', 'Aluminium', 'aluminium'),
  iodine: nist('iodine', 'Iodine (element)', 'iodine'),
}

interface Table { lnE: Float64Array; lnMu: Float64Array; e: Float64Array }
const tables = new Map<string, Table>()
function table(key: string): Table {
  let t = tables.get(key)
  if (!t) {
    const rows = NIST_XCOM[key].rows.trim().split('\n').map((r) => r.trim().split(/\s+/).map(Number))
    const e = Float64Array.from(rows, (r) => r[0] * 1000)
    t = { e, lnE: Float64Array.from(e, Math.log), lnMu: Float64Array.from(rows, (r) => Math.log(r[1])) }
    tables.set(key, t)
  }
  return t
}

/** μ/ρ (cm²/g) of one NIST table at energyKeV, log-log interpolated. */
function tableMassAttenuation(key: string, energyKeV: number): number {
  const t = table(key)
  const n = t.e.length
  // Last index i with e[i] <= E: at an edge energy this picks the row above the edge.
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (t.e[mid] <= energyKeV) lo = mid
    else hi = mid - 1
  }
  if (lo === n - 1) return Math.exp(t.lnMu[n - 1])
  const x = Math.log(energyKeV)
  const f = (x - t.lnE[lo]) / (t.lnE[lo + 1] - t.lnE[lo])
  return Math.exp(t.lnMu[lo] + f * (t.lnMu[lo + 1] - t.lnMu[lo]))
}

function material(id: MaterialId, op: string): Material {
  const m = (MATERIALS as Record<string, Material | undefined>)[id]
  if (!m) throw new AttenuationError('UNKNOWN_MATERIAL', `${op}: unknown material '${String(id)}'; known: ${Object.keys(MATERIALS).join(', ')}`)
  return m
}
function checkEnergy(energyKeV: number, op: string) {
  if (!(energyKeV >= 1 && energyKeV <= 1000)) throw new AttenuationError('ENERGY_OUT_OF_RANGE', `${op}: energy must be within the NIST table, 1–1000 keV, got ${energyKeV}`)
}

/**
 * Linear attenuation coefficient μ (1/cm) of a material at a photon energy (keV):
 * Σ over its parts of partial density × μ/ρ (the mixture rule; for a NIST material, ρ·μ/ρ).
 */
export function linearAttenuation(id: MaterialId, energyKeV: number): number {
  const op = 'linearAttenuation'
  const m = material(id, op)
  checkEnergy(energyKeV, op)
  let mu = 0
  for (const [key, rho] of Object.entries(m.parts)) mu += rho * tableMassAttenuation(key, energyKeV)
  return mu
}

/** Mass attenuation coefficient μ/ρ (cm²/g) of a material at a photon energy (keV): μ / density. */
export function massAttenuation(id: MaterialId, energyKeV: number): number {
  return linearAttenuation(id, energyKeV) / material(id, 'massAttenuation').density
}

/** A photon spectrum on energy bins: relative photon numbers, summing to 1. */
export interface XraySpectrum {
  /** Bin centres, keV. */
  energiesKeV: Float64Array
  /** Relative number of photons in each bin (sum 1). */
  photons: Float64Array
  kVp: number
  filterMmAl: number
}

export interface KramersSpectrumOptions {
  /** Tube voltage, kV (20–150). Default 120. */
  kVp?: number
  /** Aluminium filtration, mm (0–20). Default 2.5. */
  filterMmAl?: number
  /** Bin width, keV. Default 1. */
  binKeV?: number
  /** Lowest bin edge, keV (the filter removes almost everything below ~15 keV). Default 10. */
  minKeV?: number
}

/**
 * A bremsstrahlung spectrum by Kramers' law, N(E) ∝ (kVp − E)/E photons per keV, evaluated at
 * bin centres from minKeV to kVp, times the aluminium filter's transmission exp(−μ_Al(E)·t),
 * normalised to sum 1. A simplification (no characteristic lines, no heel effect): good for
 * showing beam hardening and the kVp dependence of HU, not for dosimetry.
 */
export function kramersSpectrum(options: KramersSpectrumOptions = {}): XraySpectrum {
  const op = 'kramersSpectrum'
  const kVp = options.kVp ?? 120
  const filterMmAl = options.filterMmAl ?? 2.5
  const binKeV = options.binKeV ?? 1
  const minKeV = options.minKeV ?? 10
  if (!(kVp >= 20 && kVp <= 150)) throw new AttenuationError('BAD_OPTION', `${op}: kVp must be 20–150, got ${kVp}`)
  if (!(filterMmAl >= 0 && filterMmAl <= 20)) throw new AttenuationError('BAD_OPTION', `${op}: filterMmAl must be 0–20 mm, got ${filterMmAl}`)
  if (!(binKeV > 0 && binKeV <= 10)) throw new AttenuationError('BAD_OPTION', `${op}: binKeV must be in (0, 10], got ${binKeV}`)
  if (!(minKeV >= 1 && minKeV < kVp)) throw new AttenuationError('BAD_OPTION', `${op}: minKeV must be ≥ 1 and below kVp, got ${minKeV}`)
  const n = Math.floor((kVp - minKeV) / binKeV + 1e-9)
  const energiesKeV = new Float64Array(n)
  const photons = new Float64Array(n)
  let sum = 0
  for (let k = 0; k < n; k++) {
    const e = minKeV + (k + 0.5) * binKeV
    energiesKeV[k] = e
    photons[k] = ((kVp - e) / e) * Math.exp(-linearAttenuation('aluminium', e) * filterMmAl / 10)
    sum += photons[k]
  }
  for (let k = 0; k < n; k++) photons[k] /= sum
  return { energiesKeV, photons, kVp, filterMmAl }
}

/** A monochromatic beam or a spectrum. */
export type Beam = { kind: 'mono'; energyKeV: number } | { kind: 'poly'; spectrum: XraySpectrum }
/** One layer of a ray: a material and its thickness along the ray, cm. */
export interface RayLayer { material: MaterialId; thicknessCm: number }
export type DetectorKind = 'energy-integrating' | 'photon-counting'

export interface TraceRayOptions {
  /** How the detector weighs photons: by energy (default, clinical CT) or by count. */
  detector?: DetectorKind
}

export interface RayResult {
  /** I/I0: transmitted fraction of the detector signal. */
  transmission: number
  /** The projection value p = −ln(I/I0) = "∫ μ dl" as the scanner measures it. */
  projection: number
  /** Σ thicknesses, cm. */
  pathLengthCm: number
  /** p / path length, 1/cm: the mean attenuation the scanner sees. */
  muEffPerCm: number
  /** Photon-weighted mean energy entering and leaving, keV (equal for a mono beam). */
  meanEnergyInKeV: number
  meanEnergyOutKeV: number
  /**
   * The monochromatic energy at which the same stack gives the same p (keV), found on the
   * interval [lowest spectrum energy, kVp]; NaN when no energy there matches.
   */
  effectiveEnergyKeV: number
  /** Photons per bin after the ray (relative to the input's sum 1); mono beam: one bin. */
  photonsOut: Float64Array
}

function checkLayers(layers: RayLayer[], op: string) {
  if (!Array.isArray(layers)) throw new AttenuationError('BAD_OPTION', `${op}: layers must be an array`)
  for (const l of layers) {
    material(l.material, op)
    if (!(l.thicknessCm >= 0 && Number.isFinite(l.thicknessCm))) throw new AttenuationError('BAD_OPTION', `${op}: thickness of '${l.material}' must be a finite number ≥ 0 cm, got ${l.thicknessCm}`)
  }
}
function checkBeam(beam: Beam, op: string) {
  if (beam?.kind === 'mono') checkEnergy(beam.energyKeV, op)
  else if (beam?.kind === 'poly') {
    const s = beam.spectrum
    if (!s || s.energiesKeV.length === 0 || s.energiesKeV.length !== s.photons.length) throw new AttenuationError('BAD_OPTION', `${op}: the spectrum needs matching, non-empty energies and photons`)
    for (const e of s.energiesKeV) checkEnergy(e, op)
  } else throw new AttenuationError('BAD_OPTION', `${op}: beam.kind must be 'mono' or 'poly'`)
}
const stackAttenuation = (layers: RayLayer[], e: number) => layers.reduce((s, l) => s + linearAttenuation(l.material, e) * l.thicknessCm, 0)

/**
 * Beer–Lambert along one ray through a stack of layers (their order does not matter for a narrow
 * beam). Mono: I/I0 = exp(−Σ μᵢ(E) tᵢ). Spectrum: I/I0 = Σ w(E)·exp(−Σ μᵢ(E) tᵢ) / Σ w(E), with
 * w = E·N(E) (energy-integrating) or N(E) (photon-counting). No scatter reaches the detector.
 */
export function traceRay(layers: RayLayer[], beam: Beam, options: TraceRayOptions = {}): RayResult {
  const op = 'traceRay'
  checkLayers(layers, op)
  checkBeam(beam, op)
  const detector = options.detector ?? 'energy-integrating'
  if (detector !== 'energy-integrating' && detector !== 'photon-counting') throw new AttenuationError('BAD_OPTION', `${op}: detector must be 'energy-integrating' or 'photon-counting', got '${String(detector)}'`)
  const pathLengthCm = layers.reduce((s, l) => s + l.thicknessCm, 0)
  if (beam.kind === 'mono') {
    const a = stackAttenuation(layers, beam.energyKeV)
    const t = Math.exp(-a)
    return {
      transmission: t, projection: a, pathLengthCm, muEffPerCm: pathLengthCm > 0 ? a / pathLengthCm : 0,
      meanEnergyInKeV: beam.energyKeV, meanEnergyOutKeV: beam.energyKeV, effectiveEnergyKeV: beam.energyKeV, photonsOut: Float64Array.of(t),
    }
  }
  const { energiesKeV: es, photons } = beam.spectrum
  const out = new Float64Array(es.length)
  let sIn = 0
  let sOut = 0
  let nIn = 0
  let nOut = 0
  let eIn = 0
  let eOut = 0
  for (let k = 0; k < es.length; k++) {
    const tr = Math.exp(-stackAttenuation(layers, es[k]))
    out[k] = photons[k] * tr
    const w = detector === 'energy-integrating' ? es[k] : 1
    sIn += w * photons[k]
    sOut += w * out[k]
    nIn += photons[k]
    nOut += out[k]
    eIn += es[k] * photons[k]
    eOut += es[k] * out[k]
  }
  const transmission = sOut / sIn
  const projection = -Math.log(transmission)
  return {
    transmission, projection, pathLengthCm, muEffPerCm: pathLengthCm > 0 ? projection / pathLengthCm : 0,
    meanEnergyInKeV: eIn / nIn, meanEnergyOutKeV: nOut > 0 ? eOut / nOut : NaN,
    effectiveEnergyKeV: matchingEnergy(layers, projection, es[0], beam.spectrum.kVp),
    photonsOut: out,
  }
}

/** Highest energy in [lo, hi] where Σ μᵢ(E)tᵢ = p (scan on a 0.5 keV grid, then bisection). */
function matchingEnergy(layers: RayLayer[], p: number, lo: number, hi: number): number {
  if (!(p > 0)) return NaN
  const f = (e: number) => stackAttenuation(layers, e) - p
  const step = 0.5
  let b = hi
  let fb = f(b)
  if (fb === 0) return b
  for (let a = hi - step; a >= lo - 1e-9; a -= step) {
    const fa = f(a)
    if (Math.sign(fa) !== Math.sign(fb)) {
      let x0 = a
      let x1 = b
      let f0 = fa
      for (let it = 0; it < 60; it++) {
        const m = (x0 + x1) / 2
        const fm = f(m)
        if (Math.sign(fm) === Math.sign(f0)) {
          x0 = m
          f0 = fm
        } else x1 = m
      }
      return (x0 + x1) / 2
    }
    b = a
    fb = fa
  }
  return NaN
}

export interface BeamHardeningOptions extends TraceRayOptions {
  /** Deepest point, cm. Default 30. */
  maxCm?: number
  /** Number of depth steps. Default 60. */
  steps?: number
}

export interface BeamHardeningProfile {
  depthCm: Float64Array
  /** p(d) = −ln(I/I0) after d cm of the material. */
  projection: Float64Array
  /** Local slope dp/dd (1/cm), by central differences: falls with depth as the beam hardens. */
  muLocalPerCm: Float64Array
  /** Photon-weighted mean energy at depth d, keV. */
  meanEnergyKeV: Float64Array
}

/**
 * The beam-hardening curve of one material: p, its local slope and the mean photon energy
 * against depth. For a mono beam p is a straight line and the slope is μ(E); for a spectrum the
 * slope falls with depth because the soft photons are removed first (Brooks & Di Chiro 1976).
 */
export function beamHardening(id: MaterialId, beam: Beam, options: BeamHardeningOptions = {}): BeamHardeningProfile {
  const op = 'beamHardening'
  material(id, op)
  checkBeam(beam, op)
  const maxCm = options.maxCm ?? 30
  const steps = options.steps ?? 60
  if (!(maxCm > 0 && maxCm <= 100)) throw new AttenuationError('BAD_OPTION', `${op}: maxCm must be in (0, 100], got ${maxCm}`)
  if (!(Number.isInteger(steps) && steps >= 2 && steps <= 1000)) throw new AttenuationError('BAD_OPTION', `${op}: steps must be an integer 2–1000, got ${steps}`)
  const n = steps + 1
  const depthCm = new Float64Array(n)
  const projection = new Float64Array(n)
  const meanEnergyKeV = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const d = (maxCm * i) / steps
    const r = traceRay([{ material: id, thicknessCm: d }], beam, options)
    depthCm[i] = d
    projection[i] = r.projection
    meanEnergyKeV[i] = r.meanEnergyOutKeV
  }
  const muLocalPerCm = new Float64Array(n)
  const h = maxCm / steps
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - 1)
    const b = Math.min(n - 1, i + 1)
    muLocalPerCm[i] = (projection[b] - projection[a]) / ((b - a) * h)
  }
  return { depthCm, projection, muLocalPerCm, meanEnergyKeV }
}

export interface HounsfieldUnitsOptions extends TraceRayOptions {
  /** Water the spectrum crosses before it is "seen" (the patient), cm. Default 20. */
  patientWaterCm?: number
}

/** Detector-weighted mean μ (1/cm) of materials over the spectrum after patientWaterCm of water. */
function effectiveMu(ids: MaterialId[], beam: Beam, options: HounsfieldUnitsOptions, op: string): number[] {
  checkBeam(beam, op)
  for (const id of ids) material(id, op)
  const water = options.patientWaterCm ?? 20
  if (!(water >= 0 && water <= 100)) throw new AttenuationError('BAD_OPTION', `${op}: patientWaterCm must be 0–100 cm, got ${water}`)
  const detector = options.detector ?? 'energy-integrating'
  if (beam.kind === 'mono') return ids.map((id) => linearAttenuation(id, beam.energyKeV))
  const { energiesKeV: es, photons } = beam.spectrum
  const sums = ids.map(() => 0)
  let wsum = 0
  for (let k = 0; k < es.length; k++) {
    const w = photons[k] * (detector === 'energy-integrating' ? es[k] : 1) * Math.exp(-linearAttenuation('water', es[k]) * water)
    wsum += w
    ids.forEach((id, j) => { sums[j] += w * linearAttenuation(id, es[k]) })
  }
  return sums.map((s) => s / wsum)
}

/**
 * Hounsfield units of a material, HU = 1000·(μ − μ_water)/(μ_water − μ_air) (Hounsfield 1973;
 * the scale of today's scanners), with each μ at the beam's energy (mono) or weighted by the
 * spectrum that reaches the detector behind `patientWaterCm` of water (poly; see the module note).
 */
export function hounsfieldUnits(id: MaterialId, beam: Beam, options: HounsfieldUnitsOptions = {}): number {
  const [mu, muW, muA] = effectiveMu([id, 'water', 'air'], beam, options, 'hounsfieldUnits')
  return (1000 * (mu - muW)) / (muW - muA)
}

/** HU of one material at several tube voltages (Kramers spectra with the given filter). */
export function hounsfieldVersusKvp(id: MaterialId, kVps: number[], options: HounsfieldUnitsOptions & { filterMmAl?: number } = {}): number[] {
  return kVps.map((kVp) => hounsfieldUnits(id, { kind: 'poly', spectrum: kramersSpectrum({ kVp, filterMmAl: options.filterMmAl }) }, options))
}

export interface PhotonNoise {
  /** Expected photons counted, N = I0 · T. */
  detected: number
  /** Poisson standard deviation of the count, √N. */
  sigmaCounts: number
  /** Relative noise of the count, 1/√N. */
  relativeNoise: number
  /** Standard deviation of p = −ln(N/I0) to first order, 1/√N. */
  sigmaProjection: number
}

/**
 * Photon statistics of one detector reading: with I0 photons entering and photon transmission T
 * (photons out / photons in, e.g. the sum of {@link RayResult.photonsOut}), the count is Poisson
 * with mean N = I0·T, so σ_N = √N and, propagating through p = −ln(N/I0), σ_p ≈ 1/√N.
 * (An energy-integrating detector weighs photons by energy, which raises its noise slightly
 * above this photon-counting value.)
 */
export function photonNoise(i0: number, transmission: number): PhotonNoise {
  const op = 'photonNoise'
  if (!(i0 > 0 && Number.isFinite(i0))) throw new AttenuationError('BAD_OPTION', `${op}: i0 must be a positive number of photons, got ${i0}`)
  if (!(transmission > 0 && transmission <= 1)) throw new AttenuationError('BAD_OPTION', `${op}: transmission must be in (0, 1], got ${transmission}`)
  const detected = i0 * transmission
  const s = Math.sqrt(detected)
  return { detected, sigmaCounts: s, relativeNoise: 1 / s, sigmaProjection: 1 / s }
}

/**
 * `count` simulated readings of p = −ln(N/I0) with N ~ Poisson(I0·T), from a seeded generator
 * (mulberry32). Poisson draws by Knuth's multiplication method for means below 30 and by the
 * normal approximation N(λ, λ), rounded, above (error in σ below 1 % there). Readings of zero
 * photons (photon starvation) give p = +∞.
 */
export function simulateProjectionReadings(i0: number, transmission: number, options: { count?: number; seed?: number } = {}): Float64Array {
  photonNoise(i0, transmission)
  const count = options.count ?? 1000
  if (!(Number.isInteger(count) && count >= 1 && count <= 1_000_000)) throw new AttenuationError('BAD_OPTION', `simulateProjectionReadings: count must be an integer 1–1,000,000, got ${count}`)
  const rand = mulberry32(options.seed ?? 1)
  const lambda = i0 * transmission
  const out = new Float64Array(count)
  for (let k = 0; k < count; k++) {
    let n: number
    if (lambda < 30) {
      const l = Math.exp(-lambda)
      let p = 1
      n = -1
      do {
        n++
        p *= rand()
      } while (p > l)
    } else {
      // Box–Muller.
      const u1 = Math.max(rand(), 1e-300)
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand())
      n = Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z))
    }
    out[k] = n > 0 ? -Math.log(n / i0) : Infinity
  }
  return out
}

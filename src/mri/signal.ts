/**
 * Closed-form MR signal equations for the three classic sequence families, for teaching contrast:
 * spin echo, spoiled gradient echo (FLASH) and inversion recovery, plus the Larmor frequency,
 * the Ernst angle and the inversion time that nulls a tissue.
 *
 * All assume ideal, instantaneous RF pulses, perfect spoiling of transverse magnetisation before
 * each excitation, a single-compartment tissue and a steady state (many repetitions):
 * - spin echo (Hahn 1950): the textbook form S = PD · (1 − e^{−TR/T1}) · e^{−TE/T2} holds for
 *   TE ≪ TR; by default the library uses the form that also accounts for the 180° pulse
 *   inverting the magnetisation regrown during TE/2,
 *   S = PD · (1 − 2e^{−(TR − TE/2)/T1} + e^{−TR/T1}) · e^{−TE/T2} (option form: 'textbook' for
 *   the short one; they differ when TE is not small against TR and T1, see the unit tests);
 * - spoiled gradient echo (the FLASH steady state; Haase et al. 1986, with Ernst & Anderson 1966):
 *   S = PD · sin α (1 − E1)/(1 − cos α · E1) · e^{−TE/T2*}, E1 = e^{−TR/T1};
 *   its maximum over α is at the Ernst angle α_E = arccos E1;
 * - inversion recovery (180° – TI – 90° readout, repeated every TR, spin-echo readout):
 *   S = PD · |1 − 2e^{−TI/T1} + e^{−TR/T1}| · e^{−TE/T2} (magnitude image; the readout's own
 *   refocusing pulse is neglected, i.e. exact for a gradient-echo readout), which is zero at
 *   TI = T1 · ln(2 / (1 + e^{−TR/T1})) → T1 · ln 2 when TR ≫ T1 (FLAIR nulls CSF, STIR fat).
 * Formulas as in Bernstein, King & Zhou, *Handbook of MRI Pulse Sequences* (2004). Times in ms.
 */
import { LibraryError } from '../errors'

export type MriSignalErrorCode =
  /** A time, flip angle, PD or relaxation time is out of range (negative, NaN, TE > TR, TI ≥ TR…). */
  | 'BAD_PARAMETER'
  /** The sequence kind is not one of the three. */
  | 'UNKNOWN_SEQUENCE'

/** A problem with the input of the MR signal functions, with a machine-readable `code`. */
export class MriSignalError extends LibraryError<MriSignalErrorCode> {
  constructor(code: MriSignalErrorCode, message: string) {
    super('MriSignalError', code, message)
  }
}

/** Proton gyromagnetic ratio over 2π, MHz/T (CODATA 2018: 42.577 478 518 MHz/T). */
export const PROTON_GAMMA_MHZ_PER_T = 42.577478518

/** Larmor frequency f0 = (γ/2π)·B0 in MHz, e.g. 63.87 MHz at 1.5 T and 127.73 MHz at 3 T. */
export function larmorFrequencyMHz(b0Tesla: number): number {
  if (!(b0Tesla > 0 && Number.isFinite(b0Tesla))) throw new MriSignalError('BAD_PARAMETER', `larmorFrequencyMHz: B0 must be a positive number of tesla, got ${b0Tesla}`)
  return PROTON_GAMMA_MHZ_PER_T * b0Tesla
}

/** A tissue: relative proton density and relaxation times in ms (T2* defaults to T2). */
export interface MriTissue {
  pd: number
  t1: number
  t2: number
  t2star?: number
}

export interface SpinEchoParams { kind: 'spin-echo'; tr: number; te: number; form?: 'exact' | 'textbook' }
export interface GradientEchoParams { kind: 'gradient-echo'; tr: number; te: number; flipDeg: number }
export interface InversionRecoveryParams { kind: 'inversion-recovery'; tr: number; te: number; ti: number; magnitude?: boolean }
/** A sequence and its timing (ms) and flip angle (degrees). */
export type MriSequence = SpinEchoParams | GradientEchoParams | InversionRecoveryParams

const pos = (x: number) => x > 0 && Number.isFinite(x)
function checkTissue(t: MriTissue, op: string) {
  if (!t || !(t.pd >= 0 && Number.isFinite(t.pd)) || !pos(t.t1) || !pos(t.t2) || (t.t2star !== undefined && !pos(t.t2star))) {
    throw new MriSignalError('BAD_PARAMETER', `${op}: a tissue needs pd ≥ 0 and positive t1, t2 (and t2star) in ms, got ${JSON.stringify(t)}`)
  }
}
function checkSequence(s: MriSequence, op: string) {
  if (!s || (s.kind !== 'spin-echo' && s.kind !== 'gradient-echo' && s.kind !== 'inversion-recovery')) {
    throw new MriSignalError('UNKNOWN_SEQUENCE', `${op}: sequence kind must be 'spin-echo', 'gradient-echo' or 'inversion-recovery', got '${String((s as { kind?: unknown })?.kind)}'`)
  }
  if (!pos(s.tr)) throw new MriSignalError('BAD_PARAMETER', `${op}: TR must be a positive number of ms, got ${s.tr}`)
  if (!(s.te >= 0 && s.te <= s.tr)) throw new MriSignalError('BAD_PARAMETER', `${op}: TE must be within [0, TR] ms, got ${s.te}`)
  if (s.kind === 'spin-echo' && s.form !== undefined && s.form !== 'exact' && s.form !== 'textbook') throw new MriSignalError('BAD_PARAMETER', `${op}: spin-echo form must be 'exact' or 'textbook', got '${String(s.form)}'`)
  if (s.kind === 'gradient-echo' && !(s.flipDeg > 0 && s.flipDeg <= 180)) throw new MriSignalError('BAD_PARAMETER', `${op}: the flip angle must be in (0, 180] degrees, got ${s.flipDeg}`)
  if (s.kind === 'inversion-recovery' && !(s.ti >= 0 && s.ti < s.tr)) throw new MriSignalError('BAD_PARAMETER', `${op}: TI must be within [0, TR) ms, got ${s.ti}`)
}

/** Spin echo (ideal pulses): PD·(1 − 2e^{−(TR−TE/2)/T1} + e^{−TR/T1})·e^{−TE/T2}; 'textbook': PD·(1 − e^{−TR/T1})·e^{−TE/T2}. */
export function spinEchoSignal(t: MriTissue, tr: number, te: number, form: 'exact' | 'textbook' = 'exact'): number {
  return mriSignal(t, { kind: 'spin-echo', tr, te, form })
}
/** Spoiled gradient echo: PD·sin α (1 − E1)/(1 − cos α E1)·e^{−TE/T2*}. */
export function gradientEchoSignal(t: MriTissue, tr: number, te: number, flipDeg: number): number {
  return mriSignal(t, { kind: 'gradient-echo', tr, te, flipDeg })
}
/** Inversion recovery with a spin-echo readout: PD·|1 − 2e^{−TI/T1} + e^{−TR/T1}|·e^{−TE/T2}. */
export function inversionRecoverySignal(t: MriTissue, tr: number, te: number, ti: number, magnitude = true): number {
  return mriSignal(t, { kind: 'inversion-recovery', tr, te, ti, magnitude })
}

/** The steady-state signal of one tissue under a sequence (module note for the formulas). */
export function mriSignal(t: MriTissue, s: MriSequence): number {
  const op = 'mriSignal'
  checkTissue(t, op)
  checkSequence(s, op)
  return signalUnchecked(t, s)
}

function signalUnchecked(t: MriTissue, s: MriSequence): number {
  const e1 = Math.exp(-s.tr / t.t1)
  if (s.kind === 'spin-echo') {
    const mz = (s.form ?? 'exact') === 'textbook' ? 1 - e1 : 1 - 2 * Math.exp(-(s.tr - s.te / 2) / t.t1) + e1
    return t.pd * mz * Math.exp(-s.te / t.t2)
  }
  if (s.kind === 'gradient-echo') {
    const a = (s.flipDeg * Math.PI) / 180
    return (t.pd * Math.sin(a) * (1 - e1)) / (1 - Math.cos(a) * e1) * Math.exp(-s.te / (t.t2star ?? t.t2))
  }
  const mz = 1 - 2 * Math.exp(-s.ti / t.t1) + e1
  return t.pd * ((s.magnitude ?? true) ? Math.abs(mz) : mz) * Math.exp(-s.te / t.t2)
}

/** Ernst angle in degrees, arccos(e^{−TR/T1}): the flip angle of largest spoiled-GRE signal. */
export function ernstAngleDeg(tr: number, t1: number): number {
  if (!pos(tr) || !pos(t1)) throw new MriSignalError('BAD_PARAMETER', `ernstAngleDeg: TR and T1 must be positive ms, got ${tr}, ${t1}`)
  return (Math.acos(Math.exp(-tr / t1)) * 180) / Math.PI
}

/**
 * The inversion time (ms) that nulls a tissue of the given T1: T1·ln(2/(1 + e^{−TR/T1})); with
 * `tr` omitted (TR ≫ T1), T1·ln 2.
 */
export function nullingInversionTime(t1: number, tr?: number): number {
  if (!pos(t1) || (tr !== undefined && !pos(tr))) throw new MriSignalError('BAD_PARAMETER', `nullingInversionTime: T1 and TR must be positive ms, got ${t1}, ${tr}`)
  return tr === undefined ? t1 * Math.LN2 : t1 * Math.log(2 / (1 + Math.exp(-tr / t1)))
}

/** A named tissue for the figures. */
export interface NamedMriTissue extends MriTissue { name: string }
/** A set of tissue parameters with where they come from. */
export interface TissueSet { id: string; label: string; source: string; tissues: { csf: NamedMriTissue; gm: NamedMriTissue; wm: NamedMriTissue } }

/**
 * Literature tissue parameters (ms). 'brainweb': the parameters of the BrainWeb digital brain
 * phantom's simulator (Aubert-Broche, Evans & Collins, NeuroImage 32:138–145, 2006), the only set
 * here with proton densities. '3T': white and grey matter T1/T2 from Stanisz et al. (Magn Reson
 * Med 54:507–512, 2005; in vitro bovine tissue at 37 °C, 3 T), CSF T1/T2 from an in vivo 3 T
 * measurement in the frontal horns of the lateral ventricles (PubMed Central PMC10696635:
 * 4454 ms, 2373 ms); proton densities borrowed from BrainWeb.
 */
export const TISSUE_SETS: Record<'brainweb' | '3T', TissueSet> = {
  brainweb: {
    id: 'brainweb', label: 'BrainWeb phantom values',
    source: 'Aubert-Broche, Evans & Collins 2006 (BrainWeb 20 normal brains)',
    tissues: {
      csf: { name: 'CSF', pd: 1.0, t1: 2569, t2: 329, t2star: 58 },
      gm: { name: 'grey matter', pd: 0.86, t1: 833, t2: 83, t2star: 69 },
      wm: { name: 'white matter', pd: 0.77, t1: 500, t2: 70, t2star: 61 },
    },
  },
  '3T': {
    id: '3T', label: '3 T literature values',
    source: 'WM/GM: Stanisz et al. 2005 (in vitro, 3 T); CSF: PMC10696635 (in vivo, 3 T); PD: BrainWeb',
    tissues: {
      csf: { name: 'CSF', pd: 1.0, t1: 4454, t2: 2373 },
      gm: { name: 'grey matter', pd: 0.86, t1: 1820, t2: 99 },
      wm: { name: 'white matter', pd: 0.77, t1: 1084, t2: 69 },
    },
  },
}

/**
 * Signal of each voxel of a tissue-class map (0 = background, 1 = CSF, 2 = grey matter,
 * 3 = white matter; any other value → 0): a simulated image, float32, one tissue per voxel (no
 * partial volume, no noise, no coil sensitivity).
 */
export function synthesizeFromClasses(classes: ArrayLike<number>, tissues: TissueSet['tissues'], s: MriSequence): Float32Array {
  const op = 'synthesizeFromClasses'
  checkSequence(s, op)
  const list = [tissues.csf, tissues.gm, tissues.wm]
  list.forEach((t) => checkTissue(t, op))
  const lut = [0, ...list.map((t) => signalUnchecked(t, s))]
  const out = new Float32Array(classes.length)
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]
    out[i] = c >= 1 && c <= 3 ? lut[c] : 0
  }
  return out
}

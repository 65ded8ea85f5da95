/**
 * Standardised uptake value (SUV) normalised to body weight, with decay correction of the
 * injected activity, as the EANM tumour-imaging guideline defines it (Boellaard et al., 2010,
 * "FDG PET and PET/CT: EANM procedure guidelines for tumour PET imaging: version 1.0",
 * Eur J Nucl Med Mol Imaging 37(1):181–200):
 *
 *   SUV = C / (A_net · 2^(−Δt / T½) / W),
 *
 * with C the activity concentration in the image (Bq/mL, DICOM Units (0054,1001) BQML), A_net the
 * injected activity minus what stayed in the syringe (Bq, measured at the injection time), W the
 * body weight in g (1 mL of tissue taken as 1 g, so SUV has no unit), T½ the half-life and Δt the
 * time from injection to the time the image is decay-corrected to. In DICOM: RadionuclideTotalDose
 * (0018,1074), RadionuclideHalfLife (0018,1075) and RadiopharmaceuticalStartTime (0018,1072) in
 * the RadiopharmaceuticalInformationSequence (0054,0016), PatientWeight (0010,1030) in kg, and
 * DecayCorrection (0054,1102): START (to the series start, the usual case: Δt = series time −
 * injection time), ADMIN (already corrected to the injection time: Δt = 0) or NONE (each frame at
 * its own acquisition time: Δt = frame time − injection time).
 */
import { LibraryError } from '../errors'

export type SuvErrorCode = 'BAD_INPUT'

/** A problem with the input of {@link suvBodyWeight}, with a machine-readable `code`. */
export class SuvError extends LibraryError<SuvErrorCode> {
  constructor(code: SuvErrorCode, message: string) {
    super('SuvError', code, message)
  }
}

export interface SuvInput {
  /** Activity concentration in the voxel or region, Bq/mL. */
  activityConcentration: number
  /** Injected activity in Bq, measured at the injection time. */
  injectedActivity: number
  /** Activity left in the syringe and line, Bq, at the injection time. Default 0. */
  residualActivity?: number
  /** Body weight in kg. */
  bodyWeightKg: number
  /** Half-life in seconds: see {@link HALF_LIFE_SECONDS}. */
  halfLifeSeconds: number
  /** Seconds from the injection to the time the image is decay-corrected to (ignored for ADMIN). */
  elapsedSeconds: number
  /** DICOM DecayCorrection (0054,1102). Default 'START'. */
  decayCorrection?: 'START' | 'ADMIN' | 'NONE'
}

export interface SuvResult {
  /** SUV (body weight), dimensionless (g/mL with 1 g = 1 mL). */
  suv: number
  /** The net injected activity decayed to the image's reference time, Bq. */
  decayedActivity: number
  /** 2^(−Δt / T½): the fraction of the injected activity left at the reference time. */
  decayFactor: number
}

/**
 * Half-lives of common PET radionuclides in seconds: ¹⁸F 109.77 min and ¹¹C 20.385 min (NNDC values as
 * tabulated by the European Pharmacopoeia, 5.7 "Table of physical characteristics of
 * radionuclides"), ⁶⁸Ga 67.83 min (Kuzmenko, "Updated decay data evaluation for 68Ga",
 * Appl Radiat Isot 152:188–192, 2019).
 */
export const HALF_LIFE_SECONDS = { F18: 109.77 * 60, C11: 20.385 * 60, Ga68: 67.83 * 60 } as const

function positive(name: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw new SuvError('BAD_INPUT', `${name} must be a positive number (got ${v}).`)
}

/** Fraction of a radionuclide's activity left after `elapsedSeconds`: 2^(−t / T½). */
export function decayFactor(elapsedSeconds: number, halfLifeSeconds: number): number {
  positive('The half-life', halfLifeSeconds)
  if (!Number.isFinite(elapsedSeconds)) throw new SuvError('BAD_INPUT', `The elapsed time must be a finite number (got ${elapsedSeconds}).`)
  return Math.pow(2, -elapsedSeconds / halfLifeSeconds)
}

/** SUV normalised to body weight (see the module comment for the formula and the DICOM fields). */
export function suvBodyWeight(input: SuvInput): SuvResult {
  const { activityConcentration: c, injectedActivity, residualActivity = 0, bodyWeightKg, halfLifeSeconds, elapsedSeconds, decayCorrection = 'START' } = input
  if (!(Number.isFinite(c) && c >= 0)) throw new SuvError('BAD_INPUT', `The activity concentration must be zero or positive (got ${c}).`)
  positive('The injected activity', injectedActivity)
  positive('The body weight', bodyWeightKg)
  if (!(Number.isFinite(residualActivity) && residualActivity >= 0 && residualActivity < injectedActivity)) {
    throw new SuvError('BAD_INPUT', `The residual activity must be at least 0 and less than the injected activity (got ${residualActivity}).`)
  }
  if (decayCorrection !== 'START' && decayCorrection !== 'ADMIN' && decayCorrection !== 'NONE') {
    throw new SuvError('BAD_INPUT', `Unknown DecayCorrection "${decayCorrection}" (START, ADMIN or NONE).`)
  }
  const factor = decayCorrection === 'ADMIN' ? 1 : decayFactor(elapsedSeconds, halfLifeSeconds)
  if (decayCorrection !== 'ADMIN' && elapsedSeconds < 0) throw new SuvError('BAD_INPUT', 'The image cannot be corrected to a time before the injection.')
  const decayedActivity = (injectedActivity - residualActivity) * factor
  return { suv: (c * bodyWeightKg * 1000) / decayedActivity, decayedActivity, decayFactor: factor }
}

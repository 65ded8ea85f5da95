import { LibraryError } from '../errors'

/**
 * Codes of {@link PipelineError}: what is wrong with a pipeline JSON or why a run refused or stopped.
 */
export type PipelineErrorCode =
  /** Not an object, `format` is not 'med-imaging-primer/pipeline', `steps` missing or not an array, a step not an object. */
  | 'BAD_FORMAT'
  /** `version` is not a version this library reads (1). */
  | 'BAD_VERSION'
  /** A step's `op` is not in the operation registry. */
  | 'UNKNOWN_OP'
  /** A step's `options` has a key the operation does not know, or the step has an unknown key. */
  | 'UNKNOWN_OPTION'
  /** An option has the wrong type (a string where a number is expected, an array of the wrong length, …). */
  | 'BAD_OPTION_TYPE'
  /** A number is outside its limits, or a value is not one of the allowed ones. */
  | 'OUT_OF_RANGE'
  /** A required option is missing. */
  | 'MISSING_OPTION'
  /** A step uses a mask that no earlier step produces. */
  | 'UNKNOWN_MASK'
  /** The image cannot go through the step (wrong dimension, no pixel data). */
  | 'BAD_IMAGE'
  /** The estimated output of a step is larger than the memory limit: refused before running. */
  | 'TOO_LARGE'
  /** A step threw while running (the message names the step and the cause). */
  | 'STEP_FAILED'

/** A pipeline problem; `step` is the 0-based index of the step concerned (when there is one), `op` its operation. */
export class PipelineError extends LibraryError<PipelineErrorCode> {
  readonly step?: number
  readonly op?: string
  constructor(code: PipelineErrorCode, message: string, where: { step?: number; op?: string; cause?: unknown } = {}) {
    super('PipelineError', code, message)
    if (where.step !== undefined) this.step = where.step
    if (where.op !== undefined) this.op = where.op
    if (where.cause !== undefined) (this as { cause?: unknown }).cause = where.cause
  }
}

/** "step 3 (clipIntensity)": how messages name a step (1-based, as a reader counts). */
export function stepLabel(index: number, op?: string): string {
  return op ? `step ${index + 1} (${op})` : `step ${index + 1}`
}

import { LibraryError } from '../errors'

/** Error codes of {@link ProjectionError}. */
export type ProjectionErrorCode =
  /** Not a 2D scalar sinogram (detector channel along x, view along y) with pixel data. */
  | 'BAD_IMAGE'
  /** An option is missing, out of range or has the wrong length (e.g. a dark scan with a value per channel that does not match). */
  | 'BAD_OPTION'
  /** The data have values the step cannot take (non-finite counts, negative line integrals). */
  | 'BAD_DATA'

/** A problem with the input of a raw-data (projection) correction step, with a machine-readable `code`. */
export class ProjectionError extends LibraryError<ProjectionErrorCode> {
  constructor(code: ProjectionErrorCode, message: string) {
    super('ProjectionError', code, message)
  }
}

/** Throws BAD_OPTION unless `value` is a finite number in [min, max] (an integer when asked). */
export function checkOption(value: unknown, name: string, op: string, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new ProjectionError('BAD_OPTION', `${op}: ${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${String(value)}`)
  }
  return value
}

/** Throws BAD_OPTION unless `values` is an array-like of `length` finite numbers; returns a float64 copy. */
export function checkVector(values: unknown, length: number, name: string, op: string): Float64Array {
  const v = values as ArrayLike<number> | undefined
  if (!v || typeof v.length !== 'number') throw new ProjectionError('BAD_OPTION', `${op}: ${name} must be an array of ${length} numbers`)
  if (v.length !== length) throw new ProjectionError('BAD_OPTION', `${op}: ${name} has ${v.length} values, expected ${length}`)
  const out = new Float64Array(length)
  for (let i = 0; i < length; i++) {
    const x = Number(v[i])
    if (!Number.isFinite(x)) throw new ProjectionError('BAD_OPTION', `${op}: ${name}[${i}] is ${String(v[i])}, not a finite number`)
    out[i] = x
  }
  return out
}

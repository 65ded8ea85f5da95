import { LibraryError } from '../errors'

/** Error codes of {@link ReconError}. */
export type ReconErrorCode =
  /** Not a 2D scalar image (or sinogram) with pixel data, or a size the operation cannot use. */
  | 'BAD_IMAGE'
  /** The angle list is empty, has non-finite entries or does not match the sinogram's rows. */
  | 'BAD_ANGLES'
  /** Another option is out of range or not one of the allowed names. */
  | 'BAD_OPTION'
  /** The sinogram has values the method cannot take (e.g. negative counts for MLEM). */
  | 'BAD_DATA'

/** A problem with the input of a reconstruction operation, with a machine-readable `code`. */
export class ReconError extends LibraryError<ReconErrorCode> {
  constructor(code: ReconErrorCode, message: string) {
    super('ReconError', code, message)
  }
}

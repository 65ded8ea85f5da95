import { LibraryError } from '../errors'
/** Error codes of {@link TransformError}. */
export type TransformErrorCode =
  /** Not a 2D or 3D scalar image with pixel data. */
  | 'BAD_IMAGE'
  /** A parameter is out of range or has the wrong number of entries. */
  | 'BAD_OPTION'
  /** The affine matrix (scale, shear) is singular. */
  | 'SINGULAR'

/** A problem with the input of an augmentation transform, with a machine-readable `code`. */
export class TransformError extends LibraryError<TransformErrorCode> {
  constructor(code: TransformErrorCode, message: string) {
    super('TransformError', code, message)
  }
}

import { LibraryError } from '../errors'
/** Error codes of {@link NiftiError}, one per way a NIfTI input can be unusable. */
export type NiftiErrorCode =
  /** Not a NIfTI header: too short, wrong sizeof_hdr, or bad magic. */
  | 'NOT_NIFTI'
  /** The header is NIfTI but a field is impossible (dim[0], a size ≤ 0, a non-finite vox_offset). */
  | 'INVALID_HEADER'
  /** The file (or its decompressed stream) ends before the pixel data the header promises. */
  | 'TRUNCATED'
  /** The gzip stream is damaged: bad deflate data, or a CRC-32 / length that does not match. */
  | 'CORRUPT_GZIP'
  /** A datatype or intent the reader does not handle (as ITK's NiftiImageIO). */
  | 'UNSUPPORTED'
  /** The orientation matrices are unusable (non-finite, singular or sheared with no fallback). */
  | 'INVALID_GEOMETRY'
  /** The image would need more memory than the configured limit. */
  | 'TOO_LARGE'
  /** A .hdr of a .hdr/.img pair was given to the single-file reader. */
  | 'PAIR_HEADER'

/** A NIfTI input problem, with a machine-readable `code` and a plain-words message. */
export class NiftiError extends LibraryError<NiftiErrorCode> {
  constructor(code: NiftiErrorCode, message: string) {
    super('NiftiError', code, message)
  }
}

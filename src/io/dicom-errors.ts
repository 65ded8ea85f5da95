import { LibraryError } from '../errors'
/** Error codes of {@link DicomError}, one per way a DICOM input can be unusable. */
export type DicomErrorCode =
  /** No input files were given. */
  | 'EMPTY_INPUT'
  /** An input's bytes could not be obtained: a File the browser cannot read, or not an ArrayBuffer/Uint8Array/Blob. */
  | 'READ_FAILED'
  /** The bytes are not a DICOM file (no DICM prefix and not parseable as a bare data set). */
  | 'NOT_DICOM'
  /** The file ends before an element (usually Pixel Data) is complete. */
  | 'TRUNCATED'
  /**
   * The file is an image object (its SOP Class is an image storage class, or it has Rows/Columns)
   * but carries no Pixel Data (7FE0,0010): the pixels were stripped or the file was cut before them.
   */
  | 'NO_PIXEL_DATA'
  /** The file is a DICOM object that holds no image: RT Plan, Structured Report, Presentation State, … */
  | 'NOT_AN_IMAGE'
  /** Sequences are nested deeper than {@link DICOM_MAX_SEQUENCE_DEPTH} levels (a corrupt or crafted file). */
  | 'NESTING_TOO_DEEP'
  /**
   * The compressed pixel data contradicts the header: the codestream's own image size or number of
   * components differs from Rows/Columns/SamplesPerPixel, a frame does not start a codestream, or the
   * data are too short for the declared image (checked before the decoder allocates anything).
   */
  | 'CORRUPT_PIXEL_DATA'
  /** Slices of one series differ in Rows/Columns, orientation or pixel format. */
  | 'INCONSISTENT_SERIES'
  /** The requested SeriesInstanceUID is not among the files. */
  | 'SERIES_NOT_FOUND'
  /** A transfer syntax neither the built-in reader nor itk-wasm can decode. */
  | 'UNSUPPORTED_TRANSFER_SYNTAX'
  /** A pixel format the reader does not handle (e.g. BitsAllocated 1 or 64). */
  | 'UNSUPPORTED_PIXEL_FORMAT'
  /** The decoded volume would not fit in memory (more than 2^31 − 1 bytes, or the allocation failed). */
  | 'TOO_LARGE'
  /** An option of a DICOM function is invalid (e.g. a de-identification replacement value that does not fit its VR). */
  | 'INVALID_OPTION'

/**
 * Deepest sequence nesting the parser accepts. Real IODs nest a handful of levels (the deepest
 * standard macros about 6); dicom-parser recurses once per level and a 20 000-deep crafted file
 * would exhaust the call stack, so the depth is counted (without recursion) before parsing.
 */
export const DICOM_MAX_SEQUENCE_DEPTH = 64

/** A DICOM input problem, with a machine-readable `code` and a message that names the file and the cause. */
export class DicomError extends LibraryError<DicomErrorCode> {
  constructor(code: DicomErrorCode, message: string) {
    super('DicomError', code, message)
  }
}

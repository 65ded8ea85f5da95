import { LibraryError } from '../errors'
/** Error codes of {@link DicomError}, one per way a DICOM input can be unusable. */
export type DicomErrorCode =
  /** No input files were given. */
  | 'EMPTY_INPUT'
  /** The bytes are not a DICOM file (no DICM prefix and not parseable as a bare data set). */
  | 'NOT_DICOM'
  /** The file ends before an element (usually Pixel Data) is complete. */
  | 'TRUNCATED'
  /** The file is DICOM but carries no Pixel Data (7FE0,0010), e.g. an RT Plan or a Structured Report. */
  | 'NO_PIXEL_DATA'
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

/** A DICOM input problem, with a machine-readable `code` and a message that names the file and the cause. */
export class DicomError extends LibraryError<DicomErrorCode> {
  constructor(code: DicomErrorCode, message: string) {
    super('DicomError', code, message)
  }
}

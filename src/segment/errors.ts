import { LibraryError } from '../errors'

/**
 * Why a segmentation could not be made: BAD_OPTION (an option outside its range, found before any
 * work) or NOT_FOUND (the input holds nothing the method looks for, e.g. no air inside the body
 * for segmentLungs: a scan without lungs, or an image not in HU).
 */
export type SegmentErrorCode = 'BAD_OPTION' | 'NOT_FOUND'

export class SegmentError extends LibraryError<SegmentErrorCode> {
  constructor(code: SegmentErrorCode, message: string) {
    super('SegmentError', code, message)
  }
}

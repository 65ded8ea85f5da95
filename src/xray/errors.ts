/** The error type of the flat-panel and radiograph-preparation functions (src/xray). */
import { LibraryError } from '../errors'
import type { Image } from '../image'

export type XrayErrorCode =
  /** Not a scalar image with pixel data, or not 2D where a 2D frame is needed. */
  | 'BAD_IMAGE'
  /** Two images that must share a grid (raw, dark, flood, defect map) differ in size. */
  | 'SIZE_MISMATCH'
  /** An option is out of its allowed range. */
  | 'BAD_OPTION'
  /** The image has a single value, so there is no range to window. */
  | 'CONSTANT_IMAGE'

/** A problem with the input of a src/xray function, with a machine-readable `code`. */
export class XrayError extends LibraryError<XrayErrorCode> {
  constructor(code: XrayErrorCode, message: string) {
    super('XrayError', code, message)
  }
}

/** Throws BAD_OPTION unless `ok`. */
export function requireOption(ok: boolean, message: string): void {
  if (!ok) throw new XrayError('BAD_OPTION', message)
}

/** The image's pixels, after checking it is a scalar image (2D, or 3D with one slice) with data. */
export function framePixels(image: Image, op: string, what = 'image'): ArrayLike<number> {
  if (!image || !image.data || image.imageType.components !== 1) throw new XrayError('BAD_IMAGE', `${op}: the ${what} must be a scalar image with pixel data`)
  const d = image.imageType.dimension
  if (d !== 2 && !(d === 3 && image.size[2] === 1)) throw new XrayError('BAD_IMAGE', `${op}: the ${what} must be a 2D frame (or a 3D image with one slice), got size ${image.size.join(' × ')}`)
  return image.data as ArrayLike<number>
}

/** Throws SIZE_MISMATCH unless `b` has the size of `a`. */
export function requireSameSize(a: Image, b: Image, op: string, what: string): void {
  if (a.size[0] !== b.size[0] || a.size[1] !== b.size[1]) throw new XrayError('SIZE_MISMATCH', `${op}: the ${what} is ${b.size.slice(0, 2).join(' × ')}, the frame ${a.size.slice(0, 2).join(' × ')}`)
}

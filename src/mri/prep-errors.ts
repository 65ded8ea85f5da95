import { LibraryError } from '../errors'

/** Codes of the k-space and multi-coil preprocessing functions (src/mri/sampling.ts, coils.ts). */
export type MriPrepErrorCode = 'BAD_OPTION' | 'BAD_IMAGE' | 'SIZE_MISMATCH' | 'NOT_POSITIVE_DEFINITE'

export class MriPrepError extends LibraryError<MriPrepErrorCode> {
  constructor(code: MriPrepErrorCode, message: string) {
    super('MriPrepError', code, message)
  }
}

/** Throws BAD_OPTION unless `value` is a finite number in [lo, hi] (an integer if `integer`). */
export function checkRange(name: string, value: number, lo: number, hi: number, integer = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi || (integer && !Number.isInteger(value)))
    throw new MriPrepError('BAD_OPTION', `${name} must be ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi} (got ${String(value)}).`)
}

/** Throws BAD_IMAGE unless `image` is 2D with pixel data and 1 or 2 components. */
export function check2d(image: { imageType: { dimension: number; components: number }; data: unknown; size: number[] } | null | undefined, what: string): [number, number] {
  if (!image || image.imageType.dimension !== 2 || !image.data || (image.imageType.components !== 1 && image.imageType.components !== 2))
    throw new MriPrepError('BAD_IMAGE', `${what} must be a 2D scalar or complex image with pixel data.`)
  return [image.size[0], image.size[1]]
}

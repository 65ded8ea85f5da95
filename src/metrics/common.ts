/** Internal helpers of the metrics modules. */
import { assertScalar, pixelData, valueRange, type Image, type NumericArray } from '../image'

/** Scalar pixel data, with a clear error for empty or vector images. */
export function scalarData(image: Image, operation: string): NumericArray {
  assertScalar(image, operation)
  const data = pixelData(image)
  if (data.length === 0) throw new Error(`${operation}: the image has no voxels`)
  return data
}

/** Throws unless two images have the same size. */
export function assertSameSize(a: Image, b: Image, operation: string, what: string): void {
  if (a.size.length !== b.size.length || a.size.some((n, i) => n !== b.size[i])) {
    throw new Error(`${operation}: the ${what} is ${b.size.join('×')} but the image is ${a.size.join('×')}`)
  }
}

/** The mask's voxels as a byte per voxel (non-zero = inside), or null when there is no mask. */
export function maskOf(image: Image, mask: Image | undefined, operation: string): Uint8Array | null {
  if (!mask) return null
  assertSameSize(image, mask, operation, 'mask')
  const m = scalarData(mask, operation)
  const out = new Uint8Array(m.length)
  let any = 0
  for (let i = 0; i < m.length; i++) {
    const v = m[i] !== 0 ? 1 : 0
    out[i] = v
    any |= v
  }
  if (!any) throw new Error(`${operation}: the mask is empty (no non-zero voxel)`)
  return out
}

/** skimage.util.dtype.dtype_range for the integer component types (floats are (−1, 1)). */
const INTEGER_RANGE: Partial<Record<string, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
  uint64: [0, 18446744073709551615],
  int64: [-9223372036854775808, 9223372036854775807],
}

/**
 * The data range L a metric uses when none is given, following skimage 0.19:
 * - integer pixels: the dtype's range — for PSNR dmax when the reference has no negative value
 *   (255 for uint8), else dmax − dmin; for SSIM always dmax − dmin;
 * - float pixels whose values lie in skimage's float range [−1, 1]: PSNR 1 (min ≥ 0) or 2, as skimage;
 * - otherwise (float data such as Hounsfield units, or integers outside their type, where skimage
 *   raises or newer skimage requires data_range): max − min of the reference.
 */
export function defaultDataRange(reference: Image, data: NumericArray, operation: 'psnr' | 'ssim'): number {
  const { min, max } = valueRange(data)
  const type = reference.imageType.componentType
  const int = INTEGER_RANGE[type]
  if (int && min >= int[0] && max <= int[1]) {
    return operation === 'psnr' && min >= 0 ? int[1] : int[1] - int[0]
  }
  if (!int && operation === 'psnr' && min >= -1 && max <= 1) return min >= 0 ? 1 : 2
  const range = max - min
  if (!(range > 0)) throw new Error(`${operation}: the reference image is constant (or NaN); give dataRange`)
  return range
}

/** Checks a caller's dataRange, or works out the default. */
export function dataRangeFor(reference: Image, data: NumericArray, given: number | undefined, operation: 'psnr' | 'ssim'): number {
  if (given === undefined) return defaultDataRange(reference, data, operation)
  if (!(given > 0) || !Number.isFinite(given)) throw new Error(`${operation}: dataRange must be a finite number > 0, got ${given}`)
  return given
}

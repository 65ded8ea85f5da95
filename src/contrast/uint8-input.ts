/**
 * Input handling shared by the 8-bit contrast operations (CLAHE, histogram equalization):
 * validation, the mapping of non-8-bit pixels to 0..255, and the slice-by-slice loop for 3D.
 */
import { assertScalar, imageLike, pixelData, voxelCount, type Image, type NumericArray } from '../image'
import { applyWindow } from '../intensity/window'

/** Options common to the 8-bit contrast operations. */
export interface Uint8InputOptions {
  /**
   * Display window mapped onto 0..255 before the operation, exactly as `applyWindow` does it
   * (DICOM PS3.3 C.11.2.1.2.1 LINEAR, rounded half up), so a window chosen in a viewer gives
   * the same 8-bit input here. Applies to any pixel type when given. Default: none — uint8
   * pixels are used as they are, other pixel types are mapped from their minimum..maximum
   * (over the whole image or volume).
   */
  window?: { center: number; width: number }
  /** Called after each slice with the fraction done (1 for a 2D image). */
  onProgress?: (fraction: number, message?: string) => void
  /** Checked before each slice; aborting throws the signal's reason. */
  signal?: AbortSignal
}

/**
 * Linear map of `data` to 0..255: t = (v - lo) / (hi - lo) · 255, clipped to 0..255 and
 * rounded half up (floor(t + 0.5)). NaN becomes 0. `hi === lo` maps everything to 0.
 * Writes into `out` (same length).
 */
export function mapRangeToUint8(data: NumericArray, lo: number, hi: number, out: Uint8Array): void {
  const range = hi - lo
  if (!(range > 0)) {
    out.fill(0)
    return
  }
  for (let i = 0; i < data.length; i++) {
    const t = ((data[i] - lo) / range) * 255
    // `t > 0` is false for NaN, which therefore maps to 0 like values below the window;
    // for 0 < t < 255, (t + 0.5) | 0 is floor(t + 0.5).
    out[i] = t >= 255 ? 255 : t > 0 ? (t + 0.5) | 0 : 0
  }
}

/** Minimum and maximum of the finite values (NaN and ±Infinity ignored). */
function finiteRange(data: NumericArray): { min: number; max: number } {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < data.length; i++) {
    const v = data[i]
    if (v < min && v !== -Infinity) min = v
    if (v > max && v !== Infinity) max = v
  }
  return { min, max }
}

/** Checks the image and returns its pixels as uint8 (a view when no mapping is needed). */
export function uint8Pixels(image: Image, operation: string, window?: { center: number; width: number }): Uint8Array {
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) {
    throw new Error(`${operation} needs a 2D image or a 3D volume (processed slice by slice), got a ${dim}D image`)
  }
  if (image.size.length !== dim) {
    throw new Error(`${operation}: image size ${JSON.stringify(image.size)} does not have ${dim} entries`)
  }
  if (image.size.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new Error(`${operation}: image size ${image.size.join('×')} must be non-negative integers`)
  }
  if (voxelCount(image) === 0) throw new Error(`${operation}: the image is empty (size ${image.size.join('×')})`)
  assertScalar(image, operation)
  const data = pixelData(image)
  if (window) {
    try {
      return applyWindow(image, window).data as Uint8Array
    } catch (e) {
      throw new Error(`${operation}: ${(e as Error).message}`)
    }
  }
  if (data instanceof Uint8Array) return data
  if (data instanceof Uint8ClampedArray) return new Uint8Array(data.buffer, data.byteOffset, data.length)
  const { min, max } = finiteRange(data)
  const out = new Uint8Array(data.length)
  mapRangeToUint8(data, min, max, out)
  return out
}

/**
 * Runs a 2D uint8 kernel on a 2D image, or on each z slice of a 3D volume independently,
 * and returns a uint8 image with the input's geometry.
 */
export function perSliceUint8(
  image: Image,
  operation: string,
  options: Uint8InputOptions,
  kernel: (src: Uint8Array, width: number, height: number, dst: Uint8Array) => void,
): Image {
  options.signal?.throwIfAborted()
  const src = uint8Pixels(image, operation, options.window)
  const [width, height] = image.size
  const depth = image.imageType.dimension === 3 ? image.size[2] : 1
  const per = width * height
  const out = new Uint8Array(src.length)
  for (let z = 0; z < depth; z++) {
    options.signal?.throwIfAborted()
    kernel(src.subarray(z * per, (z + 1) * per), width, height, out.subarray(z * per, (z + 1) * per))
    options.onProgress?.((z + 1) / depth, depth > 1 ? `${operation}: slice ${z + 1}/${depth}` : operation)
  }
  return imageLike(image, out)
}

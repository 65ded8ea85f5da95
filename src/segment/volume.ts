/**
 * Internal helpers shared by the segmentation modules: a 2D image is handled as a 3D
 * volume with one slice, and any scalar image can serve as a mask (non-zero = foreground,
 * as numpy's `astype(bool)`).
 */
import { assertScalar, pixelData, type Image } from '../image'

/** Grid extent as [nx, ny, nz]; a 2D image has nz = 1. */
export type Dims3 = [number, number, number]

/** [nx, ny, nz] of a 2D or 3D scalar image; throws for other dimensions. */
export function dims3(image: Image, operation: string): Dims3 {
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new Error(`${operation} needs a 2D or 3D image, got ${dim}D`)
  assertScalar(image, operation)
  const [nx, ny] = image.size
  const nz = dim === 3 ? image.size[2] : 1
  return [nx, ny, nz]
}

/** The foreground of a mask image as 0/1 bytes (non-zero, including NaN, is foreground). */
export function maskBytes(mask: Image, operation: string): Uint8Array {
  dims3(mask, operation)
  const src = pixelData(mask)
  const out = new Uint8Array(src.length)
  for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0
  return out
}

/** Progress reporting and cancellation options of the long-running operations. */
export interface ProgressOptions {
  /** Called with the fraction done (0..1) and a short message. */
  onProgress?: (fraction: number, message?: string) => void
  /** Cancels the operation (checked between slices / passes). */
  signal?: AbortSignal
}

/** Internal helpers of the metrics modules. */
import { assertScalar, pixelData, type Image, type NumericArray } from '../image'

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

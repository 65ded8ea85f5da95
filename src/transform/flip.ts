/**
 * Mirroring an image along one axis (numpy.flip of the voxel array, geometry kept): the anatomy
 * is mirrored in physical space. For a left–right flip this turns a left lung into a right lung
 * and puts the heart on the wrong side (situs inversus): an image that no real patient with
 * normal anatomy produces, and any left/right label (laterality, "L" markers, the side of a
 * lesion) is now wrong. Safe only where the task is truly symmetric.
 */
import { imageLike, pixelData, type Image } from '../image'
import { TransformError } from './errors'

/** Voxel axis 0/1/2, or a patient axis ('LR', 'AP', 'SI') found from the direction matrix. */
export type FlipAxis = number | 'LR' | 'AP' | 'SI'

/** The voxel axis that runs closest to an LPS physical axis (0 = x/LR, 1 = y/AP, 2 = z/SI). */
export function voxelAxisAlong(image: Image, physical: number): number {
  const dim = image.imageType.dimension
  if (physical >= dim) throw new TransformError('BAD_OPTION', `a ${dim}D image has no physical axis ${physical}`)
  let best = 0
  for (let c = 1; c < dim; c++) if (Math.abs(image.direction[physical * dim + c] as number) > Math.abs(image.direction[physical * dim + best] as number)) best = c
  return best
}

export function flipAxis(image: Image, axis: FlipAxis): Image {
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new TransformError('BAD_IMAGE', `flipAxis needs a 2D or 3D image, got ${dim}D`)
  const a = typeof axis === 'string' ? voxelAxisAlong(image, { LR: 0, AP: 1, SI: 2 }[axis] ?? NaN) : axis
  if (!Number.isInteger(a) || a < 0 || a >= dim) throw new TransformError('BAD_OPTION', `axis must be 0..${dim - 1} or 'LR', 'AP', 'SI', got ${String(axis)}`)
  const src = pixelData(image)
  const comps = image.imageType.components
  const size = image.size
  const stride = size.slice(0, a).reduce((p, n) => p * n, 1)
  const n = size[a]
  const out = src.slice()
  const voxels = src.length / comps
  for (let v = 0; v < voxels; v++) {
    const i = Math.floor(v / stride) % n
    const w = v + (n - 1 - 2 * i) * stride
    for (let c = 0; c < comps; c++) out[w * comps + c] = src[v * comps + c]
  }
  return imageLike(image, out)
}

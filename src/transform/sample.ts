/**
 * Sampling an image at continuous voxel indices, as scipy.ndimage.map_coordinates does with
 * mode='constant' (SciPy ≥ 1.6): a point with any index outside [0, n − 1] gets `fill`; inside,
 * order 1 interpolates (bi/trilinearly) between the voxels around it and order 0 takes the voxel
 * at floor(index + 0.5) (halves round up). Unlike ITK's interpolators (src/spatial/resample.ts:
 * inside means [−0.5, n − 0.5), with extrapolated edges) this rule never invents values beyond
 * the outermost voxel centres. Indices within 1e-7 of an edge count as on it, so the identity
 * transform keeps the border rows despite round-off.
 */
import { pixelData, type Image, type NumericArray } from '../image'
import { TransformError } from './errors'

export type SampleOrder = 0 | 1

const EDGE = 1e-7

export interface Sampler {
  /** Value at continuous index (x, y, z); z is 0 for 2D images. */
  at(x: number, y: number, z: number): number
}

/** A sampler over a 2D or 3D scalar image. */
export function makeSampler(image: Image, order: SampleOrder, fill: number): Sampler {
  const dim = image.imageType.dimension
  if ((dim !== 2 && dim !== 3) || image.imageType.components !== 1) {
    throw new TransformError('BAD_IMAGE', `augmentation needs a 2D or 3D scalar image, got ${dim}D with ${image.imageType.components} component(s)`)
  }
  const data: NumericArray = pixelData(image)
  const nx = image.size[0]
  const ny = image.size[1]
  const nz = dim === 3 ? image.size[2] : 1
  const nxy = nx * ny
  const inside = (c: number, n: number) => c >= -EDGE && c <= n - 1 + EDGE
  const clampIndex = (c: number, n: number) => (c < 0 ? 0 : c > n - 1 ? n - 1 : c)
  if (order === 0) {
    return {
      at(x, y, z) {
        if (!inside(x, nx) || !inside(y, ny) || !inside(z, nz)) return fill
        const i = Math.min(nx - 1, Math.floor(clampIndex(x, nx) + 0.5))
        const j = Math.min(ny - 1, Math.floor(clampIndex(y, ny) + 0.5))
        const k = Math.min(nz - 1, Math.floor(clampIndex(z, nz) + 0.5))
        return data[i + nx * j + nxy * k]
      },
    }
  }
  return {
    at(x, y, z) {
      if (!inside(x, nx) || !inside(y, ny) || !inside(z, nz)) return fill
      x = clampIndex(x, nx)
      y = clampIndex(y, ny)
      z = clampIndex(z, nz)
      const i0 = Math.min(Math.floor(x), Math.max(nx - 2, 0))
      const j0 = Math.min(Math.floor(y), Math.max(ny - 2, 0))
      const k0 = Math.min(Math.floor(z), Math.max(nz - 2, 0))
      const fx = x - i0
      const fy = y - j0
      const fz = z - k0
      const i1 = Math.min(i0 + 1, nx - 1)
      const j1 = Math.min(j0 + 1, ny - 1)
      const k1 = Math.min(k0 + 1, nz - 1)
      const v = (i: number, j: number, k: number) => data[i + nx * j + nxy * k]
      const c00 = v(i0, j0, k0) * (1 - fx) + v(i1, j0, k0) * fx
      const c10 = v(i0, j1, k0) * (1 - fx) + v(i1, j1, k0) * fx
      const c0 = c00 * (1 - fy) + c10 * fy
      if (nz === 1) return c0
      const c01 = v(i0, j0, k1) * (1 - fx) + v(i1, j0, k1) * fx
      const c11 = v(i0, j1, k1) * (1 - fx) + v(i1, j1, k1) * fx
      return c0 * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz
    },
  }
}

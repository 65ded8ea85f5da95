/** Shared pieces of the projection module: the sinogram check and the result image. */
import { pixelData, type Image } from '../image'
import { image2d, size2d } from '../recon/common'
import { ReconError } from '../recon/errors'
import { ProjectionError } from './errors'

/** [channels, views] of a 2D scalar sinogram (x = detector channel, y = view), or a ProjectionError. */
export function sinogramSize(sinogram: Image, what: string, op: string): [number, number] {
  try {
    return size2d(sinogram, what, op)
  } catch (e) {
    if (e instanceof ReconError) throw new ProjectionError('BAD_IMAGE', e.message)
    throw e
  }
}

/** Pixel values of a sinogram, checked finite. */
export function finiteValues(sinogram: Image, what: string, op: string): ArrayLike<number> {
  const v = pixelData(sinogram)
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new ProjectionError('BAD_DATA', `${op}: value ${i} of the ${what} is ${v[i]}, not a finite number`)
  return v
}

/** A float64 sinogram like `like` (spacing, origin, metadata such as the angles) with new values. */
export function likeSinogram(like: Image, data: Float64Array, name: string): Image {
  const [nx, ny] = like.size
  const out = image2d(nx, ny, data, name, [...like.spacing.slice(0, 2)], [...like.origin.slice(0, 2)])
  for (const [k, v] of like.metadata) out.metadata.set(k, v)
  return out
}

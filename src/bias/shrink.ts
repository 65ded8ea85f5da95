import type { Image } from '../image'
import { imageLike, pixelData } from '../image'

/** Where the voxels of a shrunk grid come from along each axis. */
export interface ShrinkPlan {
  /** Shrunk size per axis: floor(n / factor), at least 1. */
  size: number[]
  /** Input index of shrunk voxel 0 per axis; voxel i comes from offset + i · factor. */
  offset: number[]
}

/**
 * ITK ShrinkImageFilter's sampling plan: output size floor(n / f), output voxel centres placed
 * so the output grid is centred on the input grid, input index = i · f + offset with offset =
 * round-half-up((n − 1) / 2 − f · (m − 1) / 2) clamped at 0.
 */
export function shrinkPlan(size: number[], factor: number): ShrinkPlan {
  const out: number[] = []
  const offset: number[] = []
  for (const n of size) {
    const m = Math.max(1, Math.floor(n / factor))
    out.push(m)
    offset.push(Math.max(0, Math.floor((n - 1) / 2 - (factor * (m - 1)) / 2 + 0.5)))
  }
  return { size: out, offset }
}

/**
 * Subsamples an image by an integer factor on every axis, as ITK's ShrinkImageFilter does (no
 * averaging: every f-th voxel, grid centred on the input; spacing × f, origin moved so the
 * physical centre is unchanged). Output keeps the input's pixel type.
 */
export function shrinkImage(image: Image, factor: number): Image {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`shrink factor must be a positive integer, got ${factor}`)
  const data = pixelData(image)
  const dim = image.imageType.dimension
  const plan = shrinkPlan(image.size, factor)
  const sx = image.size[0]
  const sy = dim > 1 ? image.size[1] : 1
  const [mx, my, mz] = [plan.size[0], plan.size[1] ?? 1, plan.size[2] ?? 1]
  const [ox, oy, oz] = [plan.offset[0], plan.offset[1] ?? 0, plan.offset[2] ?? 0]
  const Ctor = data.constructor as { new (n: number): typeof data }
  const out = new Ctor(mx * my * mz)
  let k = 0
  for (let z = 0; z < mz; z++) {
    for (let y = 0; y < my; y++) {
      const row = ((oz + z * factor) * sy + (oy + y * factor)) * sx + ox
      for (let x = 0; x < mx; x++) out[k++] = data[row + x * factor]
    }
  }
  // ITK keeps the physical centre: origin = input origin + D · diag(spacing) · c with the
  // continuous shift c = (n − 1)/2 − f (m − 1)/2 (the sampled voxels sit at its rounding).
  const origin = [...image.origin]
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      const shift = (image.size[c] - 1) / 2 - (factor * (plan.size[c] - 1)) / 2
      origin[r] += (image.direction[r * dim + c] as number) * image.spacing[c] * shift
    }
  }
  return {
    ...imageLike({ ...image, size: plan.size, data: out }, out),
    spacing: image.spacing.map((s) => s * factor),
    origin,
  }
}

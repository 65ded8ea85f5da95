/**
 * Keeping every n-th voxel along each axis (numpy `a[::n, ::n, ::n]`): a coarser copy for
 * figures whose statistics do not need every voxel. No smoothing first, so it aliases fine detail;
 * use resampleToSpacing for a proper downsampling.
 */
import { allocateData, assertScalar, pixelData, type Image } from '../image'

/**
 * Voxels (i·stride, j·stride, k·stride) of a 2D or 3D scalar image; the origin stays at voxel 0,
 * the spacing is multiplied by `stride`, the direction is kept. Stride 1 returns a copy.
 */
export function strideSubsample(image: Image, stride: number): Image {
  assertScalar(image, 'strideSubsample')
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`strideSubsample: stride must be a positive integer, got ${stride}`)
  const dims = image.size.length
  if (dims !== 2 && dims !== 3) throw new RangeError(`strideSubsample: needs a 2D or 3D image, got ${dims}D`)
  const [nx, ny, nz = 1] = image.size
  const src = pixelData(image)
  const ox = Math.ceil(nx / stride)
  const oy = Math.ceil(ny / stride)
  const oz = dims === 3 ? Math.ceil(nz / stride) : 1
  const out = allocateData(image.imageType.componentType, ox * oy * oz) as unknown as { [i: number]: number }
  let at = 0
  for (let z = 0; z < nz; z += dims === 3 ? stride : 1) {
    for (let y = 0; y < ny; y += stride) {
      const row = (z * ny + y) * nx
      for (let x = 0; x < nx; x += stride) out[at++] = src[row + x]
    }
  }
  return {
    ...image,
    size: dims === 3 ? [ox, oy, oz] : [ox, oy],
    spacing: image.spacing.map((s) => s * stride),
    origin: [...image.origin],
    direction: Float64Array.from(image.direction as ArrayLike<number>),
    metadata: new Map(image.metadata),
    data: out as unknown as Image['data'],
  }
}

/** A copy of a volume with the voxels whose centres lie inside a sphere set to one value (e.g. a lesion removed from a phantom). */
import { copyImage, indexToPhysicalPoint, physicalPointToContinuousIndex, type Image } from '../image'
import { LibraryError } from '../errors'

export function fillSphere(image: Image, centerMm: ArrayLike<number>, diameterMm: number, value: number): Image {
  if (image.imageType.dimension !== 3 || !image.data || !(diameterMm > 0) || centerMm.length !== 3 || !Number.isFinite(value)) {
    throw new LibraryError('FillSphereError', 'BAD_INPUT', 'fillSphere needs a 3D image with data, a 3D centre, a positive diameter and a finite value.')
  }
  const out = copyImage(image)
  const d = out.data as unknown as { [i: number]: number }
  const [nx, ny] = image.size
  const c = physicalPointToContinuousIndex(image, centerMm)
  const r = diameterMm / 2
  const reach = image.spacing.map((s) => Math.ceil(r / s) + 1)
  const lo = c.map((v, a) => Math.max(0, Math.floor(v - reach[a])))
  const hi = c.map((v, a) => Math.min(image.size[a] - 1, Math.ceil(v + reach[a])))
  for (let k = lo[2]; k <= hi[2]; k++) for (let j = lo[1]; j <= hi[1]; j++) for (let i = lo[0]; i <= hi[0]; i++) {
    const p = indexToPhysicalPoint(image, [i, j, k])
    if (Math.hypot(p[0] - centerMm[0], p[1] - centerMm[1], p[2] - centerMm[2]) <= r) d[(k * ny + j) * nx + i] = value
  }
  return out
}

import { assertScalar, type Image } from '../image'
import { resample, type ResampleOptions } from './resample'

export type ResampleToSpacingOptions = Omit<ResampleOptions, 'size' | 'spacing' | 'origin' | 'direction'>

/**
 * Resamples an image to a new voxel spacing (e.g. 1 mm isotropic) with {@link resample}.
 * Origin and direction are kept (voxel 0 stays where it is, as in the common SimpleITK recipe);
 * output size per axis = round(size × spacing / newSpacing), at least 1, so the output covers the
 * same extent to within one new voxel. Defaults as in `resample`: 'linear', defaultValue 0, output
 * type = input type (pass `outputComponentType: 'float32'` to keep fractional values).
 */
export function resampleToSpacing(image: Image, spacing: number[], options: ResampleToSpacingOptions = {}): Image {
  assertScalar(image, 'resampleToSpacing')
  const dim = image.imageType.dimension
  if (spacing.length !== dim) throw new Error(`resampleToSpacing: spacing has ${spacing.length} entries, the image is ${dim}D`)
  for (const s of spacing) {
    if (!(s > 0) || !Number.isFinite(s)) throw new Error(`resampleToSpacing: spacing must be positive, got ${spacing.join(', ')}`)
  }
  const size = image.size.map((n, a) => Math.max(1, Math.round((n * image.spacing[a]) / spacing[a])))
  return resample(image, {
    ...options,
    size,
    spacing: [...spacing],
    origin: [...image.origin],
    direction: image.direction as ArrayLike<number>,
  })
}

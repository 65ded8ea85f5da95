/**
 * Elastic deformation (Simard, Steinkraus & Platt, "Best practices for convolutional neural
 * networks applied to visual document analysis", ICDAR 2003, vol. 2, pp. 958–963,
 * doi:10.1109/ICDAR.2003.1227801): every voxel gets a random displacement, uniform in [−1, 1]
 * per axis; each component is smoothed by a Gaussian of standard deviation σ and scaled by α.
 * A small σ gives nearly random, tearing displacements; a large σ an almost rigid shift; in
 * between the deformation looks like elastic tissue.
 *
 * Here σ and α are in mm (σ/spacing and α/spacing voxels per axis), so the deformation is the
 * same physical size on anisotropic grids; with 1 mm pixels they are the paper's pixel units.
 * The Gaussian is scipy.ndimage.gaussian_filter's (truncate 4, mode 'reflect'); the uniform
 * numbers come from the seeded mulberry32 generator (src/random.ts), component by component,
 * voxels in raster order, so a seed gives the same field everywhere.
 */
import type { Image } from '../image'
import { mulberry32 } from '../random'
import type { DisplacementField } from './augment'
import { augmentImage, type AugmentOptions } from './augment'
import { TransformError } from './errors'
import { gaussianFilterInPlace } from '../spatial/gaussian-filter'

export interface ElasticFieldOptions {
  /** Scale of the displacement, mm. */
  alpha: number
  /** Standard deviation of the Gaussian smoothing, mm. */
  sigma: number
  /** Seed of the uniform random numbers. Default 1. */
  seed?: number
}

export function elasticDisplacementField(image: Image, options: ElasticFieldOptions): DisplacementField {
  const { alpha, sigma } = options
  const seed = options.seed ?? 1
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new TransformError('BAD_OPTION', `alpha must be a finite number ≥ 0 (mm), got ${alpha}`)
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new TransformError('BAD_OPTION', `sigma must be a finite number ≥ 0 (mm), got ${sigma}`)
  if (!Number.isInteger(seed)) throw new TransformError('BAD_OPTION', `seed must be an integer, got ${seed}`)
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new TransformError('BAD_IMAGE', `elastic deformation needs a 2D or 3D image, got ${dim}D`)
  const size = [...image.size]
  const count = size.reduce((a, b) => a * b, 1)
  const random = mulberry32(seed)
  const components: Float64Array[] = []
  for (let a = 0; a < dim; a++) {
    const u = new Float64Array(count)
    for (let i = 0; i < count; i++) u[i] = 2 * random() - 1
    gaussianFilterInPlace(u, size, image.spacing.map((s) => sigma / s))
    const scale = alpha / image.spacing[a]
    for (let i = 0; i < count; i++) u[i] *= scale
    components.push(u)
  }
  return { size, components }
}

/** Warps an image by a displacement field (output voxel i takes the input at i + u(i)). */
export function elasticDeform(image: Image, field: DisplacementField, options: Pick<AugmentOptions, 'interpolator' | 'defaultValue'> = {}): Image {
  return augmentImage(image, { interpolator: options.interpolator, defaultValue: options.defaultValue, field })
}

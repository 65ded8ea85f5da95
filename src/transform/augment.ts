/**
 * Spatial data augmentation: a random-looking but reproducible change of the anatomy's pose and
 * shape, applied identically to an image (linear interpolation) and to its label mask (nearest
 * neighbour, so labels stay labels). Transforms act in physical space (mm, LPS) about the centre
 * of the image, so anisotropic voxels and oblique direction matrices are handled correctly.
 *
 * Output voxel i (physical point q) takes the input's value at
 *   p = A⁻¹ · (q + u(q) − c − t) + c,
 * where c is the physical centre of the grid, A = R · H · S (scale S, then shear H, then
 * rotation R), t the translation and u an optional displacement field (elastic deformation).
 * Sampling follows scipy.ndimage.map_coordinates(mode='constant') (see sample.ts).
 */
import { allocateData, indexToPhysicalPoint, invertMatrix, type ComponentType, type Image } from '../image'
import { TransformError } from './errors'
import { makeSampler, type SampleOrder } from './sample'
import { elasticDisplacementField } from './elastic'
import { flipAxis, type FlipAxis } from './flip'

export interface AffineParameters {
  /**
   * Degrees. 2D: one angle, positive turns +x toward +y (in LPS, from the patient's left toward
   * posterior on an axial slice). 3D: [about x, about y, about z], R = Rz · Ry · Rx. Default 0.
   */
  rotation?: number | number[]
  /** Scale factor per physical axis (one number: isotropic); > 1 enlarges the anatomy. Default 1. */
  scale?: number | number[]
  /** 2D: k, x' = x + k·y. 3D: [xy, xz, yz] (x' = x + a·y + b·z, y' = y + c·z). Default 0. */
  shear?: number | number[]
  /** Physical shift (mm) per axis, applied after the linear part. Default 0. */
  translation?: number[]
}

/** A displacement per index axis (in voxels), x fastest, one array per axis of the image. */
export interface DisplacementField {
  size: number[]
  components: Float64Array[]
}

export interface AugmentOptions extends AffineParameters {
  /** 'linear' (images, default) or 'nearest' (label masks). */
  interpolator?: 'linear' | 'nearest'
  /** Value of voxels whose source lies outside the image. Default 0. */
  defaultValue?: number
  /** Elastic part, added to the output index before the affine part (see elastic.ts). */
  field?: DisplacementField
}

function perAxis(value: number | number[] | undefined, dim: number, fallback: number, name: string): number[] {
  if (value === undefined) return new Array(dim).fill(fallback)
  const v = typeof value === 'number' ? new Array(dim).fill(value) : value
  if (v.length !== dim || !v.every(Number.isFinite)) throw new TransformError('BAD_OPTION', `${name} needs ${dim} finite numbers, got ${JSON.stringify(value)}`)
  return v
}

function multiply(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n)
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    let s = 0
    for (let k = 0; k < n; k++) s += a[r * n + k] * b[k * n + c]
    out[r * n + c] = s
  }
  return out
}

/** The physical linear part A = R · H · S (row-major dim × dim). */
export function affineMatrix(dim: number, p: AffineParameters): Float64Array {
  const scale = perAxis(p.scale, dim, 1, 'scale')
  if (scale.some((s) => !(s > 0))) throw new TransformError('BAD_OPTION', `scale must be positive, got ${scale.join(', ')}`)
  const S = new Float64Array(dim * dim)
  for (let i = 0; i < dim; i++) S[i * dim + i] = scale[i]
  const H = new Float64Array(dim * dim)
  for (let i = 0; i < dim; i++) H[i * dim + i] = 1
  const rad = Math.PI / 180
  let R: Float64Array
  if (dim === 2) {
    const shear = p.shear ?? 0
    const angle = p.rotation ?? 0
    if (typeof shear !== 'number' || typeof angle !== 'number' || !Number.isFinite(shear) || !Number.isFinite(angle)) {
      throw new TransformError('BAD_OPTION', 'a 2D image takes one rotation angle and one shear factor')
    }
    H[1] = shear
    const c = Math.cos(angle * rad)
    const s = Math.sin(angle * rad)
    R = Float64Array.from([c, -s, s, c])
  } else {
    const [xy, xz, yz] = perAxis(p.shear, 3, 0, 'shear')
    H[1] = xy
    H[2] = xz
    H[5] = yz
    const [ax, ay, az] = perAxis(p.rotation, 3, 0, 'rotation').map((a) => a * rad)
    const rx = [1, 0, 0, 0, Math.cos(ax), -Math.sin(ax), 0, Math.sin(ax), Math.cos(ax)]
    const ry = [Math.cos(ay), 0, Math.sin(ay), 0, 1, 0, -Math.sin(ay), 0, Math.cos(ay)]
    const rz = [Math.cos(az), -Math.sin(az), 0, Math.sin(az), Math.cos(az), 0, 0, 0, 1]
    R = multiply(rz, multiply(ry, rx, 3), 3)
  }
  return multiply(R, multiply(H, S, dim), dim)
}

/**
 * Output index → input continuous index: ci = L · i + b (row-major L), from the image geometry
 * and the affine parameters.
 */
export function indexToIndexMap(image: Image, p: AffineParameters): { matrix: Float64Array; offset: Float64Array } {
  const dim = image.imageType.dimension
  const t = perAxis(p.translation, dim, 0, 'translation')
  const a = affineMatrix(dim, p)
  let aInv: Float64Array
  try {
    aInv = invertMatrix(a, dim)
  } catch {
    throw new TransformError('SINGULAR', 'the scale and shear give a singular matrix')
  }
  const m = new Float64Array(dim * dim) // D · diag(spacing)
  for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) m[r * dim + c] = (image.direction[r * dim + c] as number) * image.spacing[c]
  const mInv = invertMatrix(m, dim)
  const centre = indexToPhysicalPoint(image, image.size.map((n) => (n - 1) / 2))
  const matrix = multiply(mInv, multiply(aInv, m, dim), dim)
  // b = M⁻¹ · (A⁻¹ · (O − c − t) + c − O)
  const offset = new Float64Array(dim)
  const u = image.origin.map((o, r) => o - centre[r] - t[r])
  const v = new Float64Array(dim)
  for (let r = 0; r < dim; r++) {
    let s = 0
    for (let c = 0; c < dim; c++) s += aInv[r * dim + c] * u[c]
    v[r] = s + centre[r] - image.origin[r]
  }
  for (let r = 0; r < dim; r++) {
    let s = 0
    for (let c = 0; c < dim; c++) s += mInv[r * dim + c] * v[c]
    offset[r] = s
  }
  return { matrix, offset }
}

/** Affine (and optional elastic) augmentation of a 2D or 3D scalar image; geometry unchanged. */
export function augmentImage(image: Image, options: AugmentOptions = {}): Image {
  const dim = image.imageType.dimension
  const interpolator = options.interpolator ?? 'linear'
  if (interpolator !== 'linear' && interpolator !== 'nearest') throw new TransformError('BAD_OPTION', `interpolator must be 'linear' or 'nearest', got '${String(interpolator)}'`)
  const fill = options.defaultValue ?? 0
  if (!Number.isFinite(fill)) throw new TransformError('BAD_OPTION', `defaultValue must be finite, got ${fill}`)
  const order: SampleOrder = interpolator === 'nearest' ? 0 : 1
  const sampler = makeSampler(image, order, fill)
  const { matrix: L, offset: b } = indexToIndexMap(image, options)
  const field = options.field
  if (field && (field.size.length !== dim || field.size.some((n, i) => n !== image.size[i]) || field.components.length !== dim)) {
    throw new TransformError('BAD_OPTION', `the displacement field (${field.size.join('×')}, ${field.components.length} components) does not match the image (${image.size.join('×')})`)
  }
  const [nx, ny] = image.size
  const nz = dim === 3 ? image.size[2] : 1
  const type: ComponentType = order === 0 ? image.imageType.componentType : 'float32'
  const out = allocateData(type, nx * ny * nz) as Float32Array
  const ci = new Float64Array(3)
  const idx = new Float64Array(3)
  let at = 0
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, at++) {
    idx[0] = i
    idx[1] = j
    idx[2] = k
    if (field) for (let a = 0; a < dim; a++) idx[a] += field.components[a][at]
    for (let r = 0; r < dim; r++) {
      let s = b[r]
      for (let c = 0; c < dim; c++) s += L[r * dim + c] * idx[c]
      ci[r] = s
    }
    out[at] = sampler.at(ci[0], ci[1], dim === 3 ? ci[2] : 0)
  }
  return {
    imageType: { ...image.imageType, componentType: type },
    name: image.name,
    origin: [...image.origin],
    spacing: [...image.spacing],
    direction: Float64Array.from(image.direction as ArrayLike<number>),
    size: [...image.size],
    metadata: new Map(image.metadata),
    data: out,
  }
}

/** {@link augmentImage} without a displacement field: rotation, scale, shear and translation about the centre. */
export function affineAugment(image: Image, options: Omit<AugmentOptions, 'field'> = {}): Image {
  return augmentImage(image, { ...options, field: undefined })
}

export interface AugmentPairOptions extends AffineParameters {
  /** Simard-style elastic field parameters (mm); omitted or alpha 0: no elastic part. */
  elastic?: { alpha: number; sigma: number; seed?: number }
  /** Mirror along a patient axis first ('LR' is unsafe for anatomy with laterality: see flip.ts). */
  flip?: FlipAxis
  /** Fill of the image outside the field of view (labels get 0). Default 0. */
  defaultValue?: number
}

/**
 * The same augmentation applied to an image (linear) and its label mask (nearest neighbour):
 * optional flip, then the affine and elastic parts with one displacement field for both.
 */
export function augmentImageAndLabels(image: Image, labels: Image, options: AugmentPairOptions = {}): { image: Image; labels: Image } {
  if (labels.size.length !== image.size.length || labels.size.some((n, i) => n !== image.size[i])) {
    throw new TransformError('BAD_OPTION', `the labels (${labels.size.join('×')}) and the image (${image.size.join('×')}) differ in size`)
  }
  const { elastic, flip, defaultValue, ...affine } = options
  const img = flip === undefined ? image : flipAxis(image, flip)
  const lab = flip === undefined ? labels : flipAxis(labels, flip)
  const field = elastic && elastic.alpha > 0 ? elasticDisplacementField(img, elastic) : undefined
  return {
    image: augmentImage(img, { ...affine, field, defaultValue, interpolator: 'linear' }),
    labels: augmentImage(lab, { ...affine, field, defaultValue: 0, interpolator: 'nearest' }),
  }
}

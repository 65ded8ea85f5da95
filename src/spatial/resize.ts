/**
 * Fixed-shape outputs for networks that need them: resizing to a voxel shape (same field of
 * view) and symmetric padding / cropping to a shape (same voxel size).
 */
import { allocateData, assertScalar, indexToPhysicalPoint, pixelData, type ComponentType, type Image } from '../image'
import { resample, type Interpolator } from './resample'

export interface ResizeImageOptions {
  /** Default 'linear'. Use 'nearest' for label maps. */
  interpolator?: Interpolator
  /** Output pixel type. Default: the input's (pass 'float32' to keep interpolated fractions). */
  outputComponentType?: ComponentType
  /**
   * 'stretch' (default): exactly `size` voxels, each axis scaled on its own. 'contain': square
   * (isotropic) voxels, as large as fit inside `size` with the field of view kept — spacing =
   * max over the resized axes of extent / size, each output axis round(extent / spacing) ≤ size;
   * follow with {@link padOrCrop} to get exactly `size` (letterboxing).
   */
  fit?: 'stretch' | 'contain'
}

function checkSize(imageSize: number[], dim: number, size: number[], op: string): number[] {
  // A 2-entry size on a 3D image with one slice (a radiograph read from DICOM) keeps z.
  const full = size.length === 2 && dim === 3 ? [size[0], size[1], imageSize[2]] : size
  if (full.length !== dim) throw new Error(`${op}: size has ${size.length} entries, the image is ${dim}D`)
  if (!full.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(`${op}: size must be positive integers, got ${size.join(', ')}`)
  return full
}

/** The output grid of {@link resizeImage} (size and spacing), without pixels: for size estimates. */
export function resizeGrid(imageSize: number[], imageSpacing: number[], size: number[], fit: 'stretch' | 'contain' = 'stretch'): { size: number[]; spacing: number[] } {
  const dim = imageSize.length
  let full = checkSize(imageSize, dim, size, 'resizeImage')
  if (fit !== 'stretch' && fit !== 'contain') throw new Error(`resizeImage: fit must be 'stretch' or 'contain', got '${String(fit)}'`)
  let spacing = imageSpacing.map((s, a) => (s * imageSize[a]) / full[a])
  if (fit === 'contain') {
    // Axes kept at their size (z of a one-slice image given a 2-entry size) keep their spacing.
    const axes = full.map((_, a) => a).filter((a) => !(size.length === 2 && a === 2))
    const iso = Math.max(...axes.map((a) => spacing[a]))
    full = full.map((n, a) => (axes.includes(a) ? Math.min(n, Math.max(1, Math.round((imageSize[a] * imageSpacing[a]) / iso))) : n))
    spacing = spacing.map((s, a) => (axes.includes(a) ? iso : s))
  }
  return { size: full, spacing }
}

/**
 * Resamples an image to `size` voxels per axis over the same field of view: spacing × size is
 * kept per axis (new spacing = spacing · oldSize / newSize) and the outer edges of the first and
 * last voxels stay where they are (origin, the centre of voxel 0, moves by (newSpacing −
 * spacing) / 2 along each axis): pixel edges aligned, not centres, as scikit-image's
 * `transform.resize` and `scipy.ndimage.zoom(grid_mode=True)` do. Interpolation by
 * {@link resample} (default 'linear').
 * A 2-entry size on a 3D image with one slice resizes in-plane. With `fit: 'contain'` the
 * aspect ratio (in mm) is kept and the output fits inside `size`; the field of view is then kept
 * to within half an output voxel per axis.
 */
export function resizeImage(image: Image, size: number[], options: ResizeImageOptions = {}): Image {
  assertScalar(image, 'resizeImage')
  const { size: full, spacing } = resizeGrid(image.size, image.spacing, size, options.fit)
  // The centre of the field of view stays put: continuous index (n − 1)/2 of the input is
  // (n' − 1)/2 of the output (for 'stretch' the outer voxel edges then stay too).
  const start = image.size.map((n, a) => (n - 1) / 2 - ((full[a] - 1) / 2) * (spacing[a] / image.spacing[a]))
  const origin = indexToPhysicalPoint(image, start)
  return resample(image, {
    size: full, spacing, origin, direction: image.direction as ArrayLike<number>,
    interpolator: options.interpolator ?? 'linear',
    outputComponentType: options.outputComponentType,
  })
}

export interface PadOrCropOptions {
  /** Value of padded voxels. Default 0. */
  value?: number
}

/**
 * Pads or crops each axis symmetrically to `size` voxels, keeping voxel size, direction and
 * every kept voxel's physical position: an axis growing by d gets floor(d / 2) voxels before and
 * the rest after; an axis shrinking by d loses floor(d / 2) voxels at the start and the rest at
 * the end (the origin moves accordingly). Padded voxels get `value` (default 0). The pixel type
 * is kept; multi-component pixels are copied whole. A 2-entry size on a 3D one-slice image keeps z.
 */
export function padOrCrop(image: Image, size: number[], options: PadOrCropOptions = {}): Image {
  const full = checkSize(image.size, image.imageType.dimension, size, 'padOrCrop')
  const value = options.value ?? 0
  if (!Number.isFinite(value)) throw new Error(`padOrCrop: value must be a finite number, got ${value}`)
  const src = pixelData(image)
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new Error(`padOrCrop needs a 2D or 3D image, got ${dim}D`)
  const comps = image.imageType.components
  const inSize = dim === 2 ? [image.size[0], image.size[1], 1] : image.size
  const outSize = dim === 2 ? [full[0], full[1], 1] : full
  // offset[a]: input index of output index 0 along axis a (negative when padding).
  const offset = inSize.map((n, a) => (n >= outSize[a] ? Math.floor((n - outSize[a]) / 2) : -Math.floor((outSize[a] - n) / 2)))
  const out = allocateData(image.imageType.componentType, outSize[0] * outSize[1] * outSize[2] * comps)
  if (value !== 0) (out as Float64Array).fill(value)
  const [ox, oy, oz] = outSize
  const [nx, ny, nz] = inSize
  const x0 = Math.max(0, -offset[0])
  const x1 = Math.min(ox, nx - offset[0])
  for (let z = 0; z < oz; z++) {
    const iz = z + offset[2]
    if (iz < 0 || iz >= nz) continue
    for (let y = 0; y < oy; y++) {
      const iy = y + offset[1]
      if (iy < 0 || iy >= ny || x1 <= x0) continue
      const from = ((iz * ny + iy) * nx + x0 + offset[0]) * comps
      const to = ((z * oy + y) * ox + x0) * comps
      ;(out as Float64Array).set((src as Float64Array).subarray(from, from + (x1 - x0) * comps), to)
    }
  }
  const origin = indexToPhysicalPoint(image, offset.slice(0, dim))
  return {
    imageType: { ...image.imageType },
    name: image.name,
    origin,
    spacing: [...image.spacing],
    direction: Float64Array.from(image.direction as ArrayLike<number>),
    size: full,
    metadata: new Map(image.metadata),
    data: out,
  }
}

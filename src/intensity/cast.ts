/**
 * Changing an image's pixel type, e.g. float32 HU to int16 or a 0/1 float mask to uint8, so that
 * saved volumes are not needlessly large.
 */
import { allocateData, imageLike, pixelData, type ComponentType, type Image } from '../image'
import { componentRange } from '../spatial/pixel-cast'

export interface CastPixelTypeOptions {
  /**
   * How values are made integers for an integer type: 'round' (nearest, halves away from zero,
   * C's `lround`) or 'truncate' (toward zero, C's `static_cast` as ITK's CastImageFilter does).
   * Default 'round'. Ignored for float types.
   */
  rounding?: 'round' | 'truncate'
}

const INTEGER: ReadonlySet<string> = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'])

/**
 * The image with pixels of `componentType` (int8…uint32, float32, float64; not 64-bit integers):
 * values are clamped to the type's range (unlike numpy's `astype`, which wraps around), then
 * rounded (`rounding`, default 'round') for integer types; NaN becomes 0 for integer types.
 * Geometry and metadata are kept. The same type returns a copy.
 */
export function castPixelType(image: Image, componentType: ComponentType, options: CastPixelTypeOptions = {}): Image {
  if (componentType === 'int64' || componentType === 'uint64') throw new Error('castPixelType: 64-bit integer output is not supported')
  const { min, max } = componentRange(componentType)
  const rounding = options.rounding ?? 'round'
  if (rounding !== 'round' && rounding !== 'truncate') throw new Error(`castPixelType: rounding must be 'round' or 'truncate', got '${String(rounding)}'`)
  const src = pixelData(image)
  const out = allocateData(componentType, src.length) as Float64Array
  const n = src.length
  if (!INTEGER.has(componentType)) {
    for (let i = 0; i < n; i++) out[i] = src[i]
  } else if (rounding === 'round') {
    for (let i = 0; i < n; i++) {
      const v = src[i]
      const r = v < 0 ? -Math.round(-v) : Math.round(v)
      out[i] = v !== v ? 0 : r <= min ? min : r >= max ? max : r
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = src[i]
      out[i] = v !== v ? 0 : v <= min ? min : v >= max ? max : Math.trunc(v)
    }
  }
  return imageLike(image, out)
}

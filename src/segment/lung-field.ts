/**
 * Lung fields of a frontal chest radiograph, by the classic threshold + components recipe:
 * the lungs are the two large dark regions inside the body on a log-attenuation image (the
 * display of film: more attenuation is brighter).
 */
import { assertScalar, imageLike, pixelData, type Image } from '../image'
import { binaryMorphology, fillHolesBytes } from './morphology'
import { skimageOtsuThreshold } from './otsu-skimage'
import { findRuns, labelRuns, paintComponents, touchesBorder } from './runs'

export interface LungFieldOptions {
  /** Pixels with value ≤ threshold are dark (lung or air). Default: Otsu's threshold (skimage, 256 bins) of the whole image. */
  threshold?: number
  /** Dark components kept (largest first; ties: first in raster order). Default 2, the two lungs. */
  components?: number
  /** Radius (pixels) of the disk of the closing that smooths the field's edge (scipy binary_closing, border 0); 0 skips it. Default 3. */
  closingRadius?: number
}

export interface LungFieldResult {
  /** uint8 0/1 mask with the radiograph's geometry. */
  mask: Image
  /** The threshold used. */
  threshold: number
  /** Pixels in the mask. */
  pixels: number
  /** Sizes (pixels, before closing and hole filling) of the kept components, largest first. */
  componentSizes: number[]
}

/**
 * 1. dark = value ≤ threshold (Otsu by default: on a chest radiograph its two classes are
 *    lungs + the air around the body, and everything denser);
 * 2. 4-connected components of the dark pixels; those touching the image border are the air
 *    around the body and are dropped;
 * 3. the `components` largest of the rest are kept;
 * 4. binary closing with a disk of `closingRadius` pixels, then hole filling
 *    (scipy.ndimage.binary_fill_holes: vessels and nodules inside the field become lung).
 *
 * The same recipe on a real radiograph fails where the lungs reach the image border or the
 * mediastinum is thin; learned segmentations replace it in practice.
 */
export function segmentLungFields(radiograph: Image, options: LungFieldOptions = {}): LungFieldResult {
  const op = 'segmentLungFields'
  if (radiograph.imageType.dimension !== 2) throw new Error(`${op} needs a 2D radiograph, got a ${radiograph.imageType.dimension}D image`)
  assertScalar(radiograph, op)
  const keepCount = options.components ?? 2
  const radius = options.closingRadius ?? 3
  if (!Number.isInteger(keepCount) || keepCount < 1) throw new Error(`${op}: components must be a positive integer, got ${keepCount}`)
  if (!(radius >= 0) || !Number.isFinite(radius)) throw new Error(`${op}: closingRadius must be a finite number ≥ 0, got ${radius}`)
  const data = pixelData(radiograph)
  const threshold = options.threshold ?? skimageOtsuThreshold(data)
  if (Number.isNaN(threshold)) throw new Error(`${op}: threshold is NaN`)
  const [nx, ny] = radiograph.size
  const dims: [number, number, number] = [nx, ny, 1]
  const dark = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) dark[i] = data[i] <= threshold ? 1 : 0

  const cc = labelRuns(findRuns(dark, dims), 4)
  const border = touchesBorder(cc, false)
  const inside: number[] = []
  for (let c = 0; c < cc.count; c++) if (!border[c]) inside.push(c)
  inside.sort((a, b) => cc.sizes[b] - cc.sizes[a]) // stable: ties stay in raster order
  const kept = inside.slice(0, keepCount)
  if (kept.length === 0) throw new Error(`${op}: no dark region inside the body at threshold ${threshold}; is this a frontal chest radiograph shown as attenuation (lungs dark)?`)
  const keep = new Uint8Array(cc.count)
  for (const c of kept) keep[c] = 1
  let mask = imageLike(radiograph, paintComponents(cc, new Uint8Array(data.length), keep))
  if (radius > 0) mask = binaryMorphology(mask, { operation: 'close', radius })
  const filled = fillHolesBytes(mask.data as Uint8Array, dims, 4, false, false)
  let pixels = 0
  for (let i = 0; i < filled.length; i++) pixels += filled[i]
  return { mask: imageLike(radiograph, filled), threshold, pixels, componentSizes: kept.map((c) => cc.sizes[c]) }
}

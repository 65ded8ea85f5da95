import { imageLike, pixelData, type Image } from '../image'
import { clampedSquaredDistance } from './distance'
import { fillHolesBytes } from './morphology'
import { findRuns, labelRuns, paintComponents, resolveConnectivity, touchesBorder, type Connectivity } from './runs'
import { dims3, type ProgressOptions } from './volume'
import { SegmentError } from './errors'

export interface SegmentLungsOptions extends ProgressOptions {
  /** Air: voxels with HU strictly below this. Default: −500. */
  threshold?: number
  /** In-plane connectivity used to find the air outside the body (4 or 8). Default: 4. */
  borderConnectivity?: 4 | 8
  /** Connectivity of the 3D lung components (6, 18, 26; 4 or 8 for a 2D image). Default: face. */
  connectivity?: Connectivity
  /**
   * The second-largest component is kept as the other lung only if it has at least this
   * fraction of the largest one's voxels; otherwise the lungs touch (one component) and the
   * rest is bowel gas or noise. Default: 0.1.
   */
  secondComponentFraction?: number
  /** Radius (voxels) of the ball used for the closing that smooths the lung wall; 0 skips it. Default: 2. */
  closingRadius?: number
  /** Fill holes (vessels, nodules) slice by slice after the closing. Default: true. */
  fillHoles?: boolean
}

/**
 * Lung mask of a chest CT in HU (uint8 0/1 with the input's geometry), by the classic
 * threshold + connected-components recipe (cf. Hu, Hoffman & Reinhardt 2001, IEEE TMI
 * 20(6), without their optimal-threshold and left/right split steps):
 *
 * 1. air = HU < threshold (−500);
 * 2. on every axial slice, remove the 2D air components touching the slice border (the air
 *    around the body and under the table; done per slice because the trachea and lungs
 *    reach the top and bottom slices of the volume);
 * 3. 3D connected components of what is left; keep the largest, and the second largest if it
 *    has ≥ secondComponentFraction of the largest (two separate lungs; one if they touch);
 * 4. binary closing with a ball of closingRadius voxels (2), dilation with the outside as
 *    background and erosion with the outside as foreground (skimage.morphology.binary_closing),
 *    so lungs cut by the first or last slice are not eroded there;
 * 5. fill holes slice by slice (scipy.ndimage.binary_fill_holes in 2D) to include vessels.
 *
 * Works on a 2D slice too (steps 2 and 3 in-plane).
 */
export function segmentLungs(ctImage: Image, options: SegmentLungsOptions = {}): Image {
  const op = 'segmentLungs'
  const dims = dims3(ctImage, op)
  const is3D = ctImage.imageType.dimension === 3
  const threshold = options.threshold ?? -500
  const borderConnectivity = resolveConnectivity(options.borderConnectivity, false, op)
  const connectivity = resolveConnectivity(options.connectivity, is3D, op)
  const fraction = options.secondComponentFraction ?? 0.1
  const radius = options.closingRadius ?? 2
  if (Number.isNaN(threshold)) throw new SegmentError('BAD_OPTION', `${op}: threshold is NaN`)
  if (!(fraction >= 0 && fraction <= 1)) throw new SegmentError('BAD_OPTION', `${op}: secondComponentFraction must be in [0, 1], got ${fraction}`)
  if (!(radius >= 0) || !Number.isFinite(radius)) throw new SegmentError('BAD_OPTION', `${op}: closingRadius must be a finite number ≥ 0, got ${radius}`)
  const { onProgress, signal } = options
  const src = pixelData(ctImage)
  const n = src.length
  signal?.throwIfAborted()

  // 1. Air.
  const air = new Uint8Array(n)
  for (let i = 0; i < n; i++) air[i] = src[i] < threshold ? 1 : 0
  onProgress?.(0.05, 'threshold')

  // 2. Remove air connected to the slice border.
  const slices = labelRuns(findRuns(air, dims), borderConnectivity, true)
  const outside = touchesBorder(slices, false)
  paintComponents(slices, air, outside.map((t) => (t ? 2 : 0)))
  for (let i = 0; i < n; i++) if (air[i] === 2) air[i] = 0
  signal?.throwIfAborted()
  onProgress?.(0.15, 'remove air outside the body')

  // 3. Largest one or two 3D components.
  const cc = labelRuns(findRuns(air, dims), connectivity)
  if (cc.count === 0) throw new SegmentError('NOT_FOUND', `${op}: no air inside the body below ${threshold} HU; is the image a chest CT in HU?`)
  const order = Array.from(cc.sizes.keys()).sort((a, b) => cc.sizes[b] - cc.sizes[a])
  const keep = new Uint8Array(cc.count)
  keep[order[0]] = 1
  if (order.length > 1 && cc.sizes[order[1]] >= fraction * cc.sizes[order[0]]) keep[order[1]] = 1
  let lungs: Uint8Array = paintComponents(cc, new Uint8Array(n), keep)
  signal?.throwIfAborted()
  onProgress?.(0.25, 'keep the lungs')

  // 4. Closing: dilation (outside = 0) then erosion (outside = 1).
  if (radius > 0) {
    const r2 = radius * radius
    const axes = is3D ? 3 : 2
    const d1 = clampedSquaredDistance(lungs, 1, dims, [1, 1, 1], r2, axes, { onProgress, signal, from: 0.25, to: 0.55 })
    const dil = new Uint8Array(n)
    for (let i = 0; i < n; i++) dil[i] = d1[i] <= r2 ? 1 : 0
    const d2 = clampedSquaredDistance(dil, 0, dims, [1, 1, 1], r2, axes, { onProgress, signal, from: 0.55, to: 0.85 })
    for (let i = 0; i < n; i++) lungs[i] = dil[i] === 1 && d2[i] > r2 ? 1 : 0
  }

  // 5. Fill holes in every slice.
  if (options.fillHoles ?? true) lungs = fillHolesBytes(lungs, dims, 4, true, is3D)
  onProgress?.(1, 'lung mask')
  return imageLike(ctImage, lungs)
}

import { imageLike, type Image } from '../image'
import { clampedSquaredDistance } from './distance'
import { findRuns, labelRuns, paintComponents, resolveConnectivity, touchesBorder, type Connectivity } from './runs'
import { dims3, maskBytes, type Dims3, type ProgressOptions } from './volume'

export type MorphologyOperation = 'erode' | 'dilate' | 'open' | 'close' | 'fillHoles'

export interface BinaryMorphologyOptions extends ProgressOptions {
  /** What to do. */
  operation: MorphologyOperation
  /**
   * Radius of the ball (3D) / disk (2D or `slicewise`) structuring element in voxels: the
   * offsets o with |o|² ≤ radius². For integer r this is skimage.morphology.ball(r) / disk(r)
   * and ITK's FlatStructuringElement::Ball(r, radiusIsParametric = true). ITK's default
   * BinaryBallStructuringElement of radius r is larger (an ellipsoid of axis 2r + 1): pass
   * radius r + 0.5 to get it. Default: 1.
   */
  radius?: number
  /**
   * Radius in mm instead of voxels: the offsets o with Σ (o_i · spacing_i)² ≤ radiusMm²
   * (an ellipsoid in index space on anisotropic grids). Default: unset (use `radius`).
   */
  radiusMm?: number
  /**
   * Value assumed outside the image by the erosion steps (erode, and the erosion inside
   * open / close). 0 (default) is scipy.ndimage.binary_erosion / binary_closing's
   * border_value=0: voxels within the radius of the image edge are eroded away. 1 is
   * skimage.morphology.binary_erosion / binary_closing (0.19) and ITK BinaryErodeImageFilter
   * (BoundaryToForeground), which do not erode at the edge. Dilation always treats the
   * outside as 0, as all three do.
   */
  borderValue?: 0 | 1
  /** Work on every axial slice separately (2D disk, 2D hole filling). Default: false. */
  slicewise?: boolean
  /**
   * fillHoles only: connectivity of the background (4/8 in 2D and slicewise, 6/18/26 in
   * 3D). Default: face connectivity, scipy.ndimage.binary_fill_holes' default structure.
   */
  connectivity?: Connectivity
}

/** Smallest k ≥ 1 with w·k² > r2: voxels closer than k to the edge see the outside. */
function edgeMargin(w: number, r2: number): number {
  let k = Math.max(1, Math.floor(Math.sqrt(r2 / w)))
  while (w * k * k <= r2) k++
  while (k > 1 && w * (k - 1) * (k - 1) > r2) k--
  return k
}

interface Ball {
  weights: [number, number, number]
  limit: number
  axes: 2 | 3
}

function dilateBytes(fg: Uint8Array, dims: Dims3, ball: Ball, p: ProgressOptions & { from: number; to: number }): Uint8Array {
  const d = clampedSquaredDistance(fg, 1, dims, ball.weights, ball.limit, ball.axes, p)
  const out = new Uint8Array(fg.length)
  for (let i = 0; i < out.length; i++) out[i] = d[i] <= ball.limit ? 1 : 0
  return out
}

function erodeBytes(fg: Uint8Array, dims: Dims3, ball: Ball, borderValue: number, p: ProgressOptions & { from: number; to: number }): Uint8Array {
  const d = clampedSquaredDistance(fg, 0, dims, ball.weights, ball.limit, ball.axes, p)
  const out = new Uint8Array(fg.length)
  for (let i = 0; i < out.length; i++) out[i] = fg[i] === 1 && d[i] > ball.limit ? 1 : 0
  if (borderValue === 0) {
    // The outside counts as background: clear the voxels whose ball reaches past an edge.
    // The nearest outside point is always straight across one face, so per-axis margins suffice.
    const [nx, ny, nz] = dims
    const mx = edgeMargin(ball.weights[0], ball.limit)
    const my = edgeMargin(ball.weights[1], ball.limit)
    const mz = ball.axes === 3 ? edgeMargin(ball.weights[2], ball.limit) : 1
    for (let z = 0; z < nz; z++) {
      const zOut = z < mz - 1 || z > nz - mz
      for (let y = 0; y < ny; y++) {
        const base = (y + ny * z) * nx
        if (zOut || y < my - 1 || y > ny - my) {
          out.fill(0, base, base + nx)
          continue
        }
        out.fill(0, base, base + Math.min(nx, mx - 1))
        out.fill(0, base + Math.max(0, nx - mx + 1), base + nx)
      }
    }
  }
  return out
}

/** scipy.ndimage.binary_fill_holes on 0/1 bytes: background components not touching the border become foreground. */
export function fillHolesBytes(fg: Uint8Array, dims: Dims3, connectivity: Connectivity, slicewise: boolean, is3D: boolean): Uint8Array {
  const cc = labelRuns(findRuns(fg, dims, false), connectivity, slicewise)
  const border = touchesBorder(cc, is3D && !slicewise)
  const fill = new Uint8Array(cc.count)
  for (let c = 0; c < cc.count; c++) fill[c] = border[c] ? 0 : 1
  return paintComponents(cc, fg.slice(), fill)
}

/**
 * Binary morphology of a mask (non-zero = foreground) with a ball structuring element;
 * returns a uint8 0/1 mask with the input's geometry.
 *
 * - erode / dilate / open / close: scipy.ndimage.binary_erosion / binary_dilation /
 *   binary_opening / binary_closing with `structure = skimage.morphology.ball(radius)`
 *   (disk in 2D) and border_value 0 (see `borderValue`). Computed exactly, in time
 *   independent of the radius, by thresholding a Euclidean distance transform at the radius
 *   (Felzenszwalb & Huttenlocher 2012): a voxel is in the dilation iff a foreground voxel
 *   lies within the ball around it.
 * - fillHoles: scipy.ndimage.binary_fill_holes — background components (face connectivity
 *   by default) that do not touch the image border become foreground.
 *
 * Defaults: radius 1 voxel, borderValue 0, slicewise false.
 */
export function binaryMorphology(mask: Image, options: BinaryMorphologyOptions): Image {
  const op = 'binaryMorphology'
  const dims = dims3(mask, op)
  const is3D = mask.imageType.dimension === 3
  const operation = options?.operation
  if (!['erode', 'dilate', 'open', 'close', 'fillHoles'].includes(operation)) {
    throw new Error(`${op}: unknown operation "${operation}"; use erode, dilate, open, close or fillHoles`)
  }
  const slicewise = options.slicewise ?? false
  const fg = maskBytes(mask, op)
  const { onProgress, signal } = options
  signal?.throwIfAborted()

  if (operation === 'fillHoles') {
    const connectivity = resolveConnectivity(options.connectivity, is3D && !slicewise, op)
    const out = fillHolesBytes(fg, dims, connectivity, slicewise, is3D)
    onProgress?.(1, 'fill holes')
    return imageLike(mask, out)
  }

  const borderValue = options.borderValue ?? 0
  if (borderValue !== 0 && borderValue !== 1) throw new Error(`${op}: borderValue must be 0 or 1, got ${borderValue}`)
  let ball: Ball
  const axes = is3D && !slicewise ? 3 : 2
  if (options.radiusMm !== undefined) {
    const r = options.radiusMm
    if (!(r >= 0) || !Number.isFinite(r)) throw new Error(`${op}: radiusMm must be a finite number ≥ 0, got ${r}`)
    const s = mask.spacing
    if (s.some((v) => !(v > 0))) throw new Error(`${op}: radiusMm needs positive spacing, got ${s.join(', ')}`)
    // Relative tolerance: distances are sums of float products, the ball test should not
    // depend on their last bit.
    ball = { weights: [s[0] * s[0], s[1] * s[1], is3D ? s[2] * s[2] : 1], limit: r * r * (1 + 1e-6), axes }
  } else {
    const r = options.radius ?? 1
    if (!(r >= 0) || !Number.isFinite(r)) throw new Error(`${op}: radius must be a finite number of voxels ≥ 0, got ${r}`)
    ball = { weights: [1, 1, 1], limit: r * r, axes }
  }

  let out: Uint8Array
  const p = (from: number, to: number) => ({ onProgress, signal, from, to })
  switch (operation) {
    case 'dilate':
      out = dilateBytes(fg, dims, ball, p(0, 1))
      break
    case 'erode':
      out = erodeBytes(fg, dims, ball, borderValue, p(0, 1))
      break
    case 'open':
      out = dilateBytes(erodeBytes(fg, dims, ball, borderValue, p(0, 0.5)), dims, ball, p(0.5, 1))
      break
    case 'close':
      out = erodeBytes(dilateBytes(fg, dims, ball, p(0, 0.5)), dims, ball, borderValue, p(0.5, 1))
      break
  }
  return imageLike(mask, out)
}

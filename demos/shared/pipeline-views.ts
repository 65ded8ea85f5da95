/**
 * Slices and overlays of the CT pipeline figure: axial and coronal planes of a 3D volume (as
 * radiology viewers show them: patient's right on the image's left, head at the top), masks
 * sampled onto the displayed grid by physical position, and RGBA compositing on a canvas.
 * Display only: no processing here (that is the library's runCtPipeline, in the worker).
 */
import type { Image, NumericArray } from '../../src/image'
import { paintCanvas } from './canvas'

export type Plane = 'axial' | 'coronal'

export interface Slice2D {
  width: number
  height: number
  /** Row-major, row 0 at the top. */
  data: Float32Array
  /** Physical size of a pixel (mm): [across, down]. */
  pixelMm: [number, number]
}

/** Number of slices of a plane: z for axial, y (rows) for coronal. */
export function planeCount(volume: Pick<Image, 'size'>, plane: Plane): number {
  return plane === 'axial' ? volume.size[2] : volume.size[1]
}

/** Physical coordinate (mm, along the plane's normal) of slice `index`, for an axis-aligned volume. */
export function sliceMm(volume: Pick<Image, 'origin' | 'spacing'>, plane: Plane, index: number): number {
  const a = plane === 'axial' ? 2 : 1
  return volume.origin[a] + index * volume.spacing[a]
}

/** Nearest slice index to a physical coordinate. */
export function sliceIndexAt(volume: Pick<Image, 'origin' | 'spacing' | 'size'>, plane: Plane, mm: number): number {
  const a = plane === 'axial' ? 2 : 1
  const i = Math.round((mm - volume.origin[a]) / volume.spacing[a])
  return Math.min(volume.size[a] - 1, Math.max(0, i))
}

/** Whether the head (+z in LPS) is at increasing slice index, so the coronal view is flipped to put it on top. */
function headUp(volume: Pick<Image, 'direction'>): boolean {
  return (volume.direction as ArrayLike<number>)[8] >= 0
}

/** The axial slice `k` or the coronal slice `j` as float pixels. */
export function extractPlane(volume: Image, plane: Plane, index: number): Slice2D {
  const [nx, ny, nz] = volume.size
  const src = volume.data as NumericArray
  if (plane === 'axial') {
    const data = new Float32Array(nx * ny)
    const off = index * nx * ny
    for (let i = 0; i < nx * ny; i++) data[i] = src[off + i]
    return { width: nx, height: ny, data, pixelMm: [volume.spacing[0], volume.spacing[1]] }
  }
  const data = new Float32Array(nx * nz)
  const up = headUp(volume)
  for (let k = 0; k < nz; k++) {
    const row = up ? nz - 1 - k : k
    const off = k * nx * ny + index * nx
    for (let i = 0; i < nx; i++) data[row * nx + i] = src[off + i]
  }
  return { width: nx, height: nz, data, pixelMm: [volume.spacing[0], volume.spacing[2]] }
}

/**
 * A 0/1 mask sampled on the pixels of `display`'s plane slice, by nearest physical position
 * (the pipeline's masks share origin and direction with the input; only spacing differs).
 */
export function maskPlane(mask: Image, display: Image, plane: Plane, index: number): Uint8Array {
  const [nx, ny, nz] = display.size
  const m = mask.data as Uint8Array
  const [mx, my, mz] = mask.size
  const map = (axis: number, n: number, limit: number) => {
    const t = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const mm = display.origin[axis] + i * display.spacing[axis]
      const j = Math.round((mm - mask.origin[axis]) / mask.spacing[axis])
      t[i] = j < 0 || j >= limit ? -1 : j
    }
    return t
  }
  const ix = map(0, nx, mx)
  if (plane === 'axial') {
    const iy = map(1, ny, my)
    const kz = map(2, nz, mz)[index]
    const out = new Uint8Array(nx * ny)
    if (kz < 0) return out
    for (let y = 0; y < ny; y++) {
      if (iy[y] < 0) continue
      const row = (kz * my + iy[y]) * mx
      for (let x = 0; x < nx; x++) if (ix[x] >= 0) out[y * nx + x] = m[row + ix[x]]
    }
    return out
  }
  const jy = map(1, ny, my)[index]
  const iz = map(2, nz, mz)
  const out = new Uint8Array(nx * nz)
  if (jy < 0) return out
  const up = headUp(display)
  for (let k = 0; k < nz; k++) {
    if (iz[k] < 0) continue
    const row = up ? nz - 1 - k : k
    const src = (iz[k] * my + jy) * mx
    for (let x = 0; x < nx; x++) if (ix[x] >= 0) out[row * nx + x] = m[src + ix[x]]
  }
  return out
}

export interface Overlay {
  mask: Uint8Array
  rgb: [number, number, number]
  /** 0..1; 1 paints the colour solid. */
  alpha: number
}

/** Draws 8-bit grey pixels with coloured mask overlays blended on top. */
export function drawComposite(canvas: HTMLCanvasElement, gray: ArrayLike<number>, width: number, height: number, overlays: Overlay[]): void {
  paintCanvas(canvas, width, height, (img) => {
    const px = img.data
    const n = width * height
    for (let i = 0; i < n; i++) {
      let r = gray[i]
      let g = r
      let b = r
      for (const o of overlays) {
        if (!o.mask[i]) continue
        r += (o.rgb[0] - r) * o.alpha
        g += (o.rgb[1] - g) * o.alpha
        b += (o.rgb[2] - b) * o.alpha
      }
      const p = i * 4
      px[p] = r
      px[p + 1] = g
      px[p + 2] = b
      px[p + 3] = 255
    }
  })
}

/** Grey levels of a [0, 1] image (the pipeline's normalised output): 0 → black, 1 → white. */
export function unitToGray(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) {
    const v = data[i] * 255 + 0.5
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v
  }
  return out
}

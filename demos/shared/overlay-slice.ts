/**
 * One 2D slice of a 3D volume on a canvas (one canvas pixel per voxel, x fastest, row 0 at the top
 * — the voxel order as stored, no reorientation), windowed to grey, with an optional colour
 * overlay per voxel. Used by the HU-clip, metal and orientation figures until the kit's SliceView
 * replaces it.
 */
import { pixelData, type Image } from '../../src/image'
import { greyWord, paintCanvas, toByte } from './canvas'

/** Opaque RGB as a canvas word (little-endian ABGR). */
export function rgbWord(r: number, g: number, b: number): number {
  return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0
}

/**
 * Paints slice `k` of axis 2. `window` = [lowest, highest] HU shown from black to white.
 * `overlay(value, index)` may return a colour word for voxel `index` (into the volume) or 0.
 */
export function paintSlice(
  canvas: HTMLCanvasElement, image: Image, k: number, window: [number, number],
  overlay?: (value: number, index: number) => number,
): void {
  const [nx, ny, nz = 1] = image.size
  if (k < 0 || k >= nz) throw new RangeError(`paintSlice: slice ${k} outside 0…${nz - 1}`)
  const data = pixelData(image)
  const [lo, hi] = window
  const scale = 255 / (hi - lo)
  const start = k * nx * ny
  paintCanvas(canvas, nx, ny, (img) => {
    const words = new Uint32Array(img.data.buffer)
    for (let p = 0; p < nx * ny; p++) {
      const v = data[start + p]
      const colour = overlay ? overlay(v, start + p) : 0
      words[p] = colour || greyWord(toByte(v, lo, scale))
    }
  })
}

/** CSS size of a slice shown at physical aspect, `width` px wide. */
export function sliceStyle(image: Image, width: number): Record<string, string> {
  const [nx, ny] = image.size
  const [sx, sy] = image.spacing
  return { width: `${width}px`, height: `${Math.round((width * ny * sy) / (nx * sx))}px`, imageRendering: 'pixelated' }
}

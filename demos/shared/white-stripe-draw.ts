/**
 * Canvas painting for the White Stripe figure: a grey slice with a translucent colour overlay on
 * the voxels of a mask (the stripe), alpha-blended per pixel. Light per-frame work, run on the page.
 */
import { paintCanvas, toByte } from './canvas'

/**
 * Draws `values` (x fastest, row 0 at the top) windowed to [low, high] in grey, blending
 * `rgb` with opacity `alpha` where `overlay` is non-zero (pass null for no overlay).
 */
export function drawGrayOverlay(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  overlay: ArrayLike<number> | null,
  width: number,
  height: number,
  low: number,
  high: number,
  rgb: [number, number, number],
  alpha: number,
): void {
  const scale = high > low ? 255 / (high - low) : 0
  const keep = 1 - alpha
  const [r0, g0, b0] = [rgb[0] * alpha, rgb[1] * alpha, rgb[2] * alpha]
  paintCanvas(canvas, width, height, (img) => {
    const rgba = new Uint32Array(img.data.buffer)
    for (let i = 0; i < width * height; i++) {
      const t = toByte(values[i], low, scale)
      // One 32-bit write per pixel (little-endian ABGR).
      if (overlay && overlay[i]) {
        const r = (t * keep + r0) | 0
        const g = (t * keep + g0) | 0
        const b = (t * keep + b0) | 0
        rgba[i] = 0xff000000 | (b << 16) | (g << 8) | r
      } else {
        rgba[i] = 0xff000000 | (t << 16) | (t << 8) | t
      }
    }
  })
}

/**
 * Drawing for the 2.4 figures (PET attenuation correction, scan conversion): grey images with an
 * optional tint of region masks, and a window from a high percentile (robust to a few hot pixels).
 */
import { pixelData, type Image } from '../../src/image'
import { greyWord, paintCanvas, toByte } from './canvas'

/** Paints `image` with [lo, hi] → black..white; mask value k > 0 tints with tints[k − 1] (RGB, 45 %). */
export function paintGreyTinted(canvas: HTMLCanvasElement, image: Image, lo: number, hi: number, mask?: Image | null, tints: [number, number, number][] = []): void {
  const [w, h] = image.size
  const v = pixelData(image)
  const m = mask ? pixelData(mask) : null
  const scale = 255 / (hi - lo || 1)
  paintCanvas(canvas, w, h, (img) => {
    const words = new Uint32Array(img.data.buffer)
    for (let i = 0; i < w * h; i++) {
      const g = toByte(v[i], lo, scale)
      const k = m ? m[i] : 0
      if (k > 0 && tints[k - 1]) {
        const [r, gg, b] = tints[k - 1]
        const mix = (c: number) => Math.round(0.55 * g + 0.45 * c)
        words[i] = (0xff000000 | (mix(b) << 16) | (mix(gg) << 8) | mix(r)) >>> 0
      } else words[i] = greyWord(g)
    }
  })
}

/** The q-quantile (0..1) of an image's values (for a display window). */
export function quantile(image: Image, q: number): number {
  const v = Float64Array.from(pixelData(image) as ArrayLike<number>).sort()
  return v[Math.min(v.length - 1, Math.max(0, Math.floor(q * (v.length - 1))))]
}

/** Values of row y of a 2D image. */
export function rowProfile(image: Image, y: number): number[] {
  const [w] = image.size
  const v = pixelData(image)
  return Array.from({ length: w }, (_, x) => Number(v[y * w + x]))
}

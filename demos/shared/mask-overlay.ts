/**
 * A label mask drawn over an image: a translucent fill and an opaque edge (pixels of the mask
 * with a 4-neighbour outside it), on a transparent canvas stacked above the picture.
 */
import { paintCanvas } from './canvas'

/** [r, g, b] of the overlay colour. */
export type Rgb = [number, number, number]

export function drawMaskOverlay(canvas: HTMLCanvasElement, mask: ArrayLike<number>, width: number, height: number, color: Rgb = [64, 200, 255], fillAlpha = 70): void {
  paintCanvas(canvas, width, height, (img) => {
    const d = img.data
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x
        if (!mask[i]) continue
        const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
          !mask[i - 1] || !mask[i + 1] || !mask[i - width] || !mask[i + width]
        d[4 * i] = color[0]
        d[4 * i + 1] = color[1]
        d[4 * i + 2] = color[2]
        d[4 * i + 3] = edge ? 255 : fillAlpha
      }
    }
  })
}

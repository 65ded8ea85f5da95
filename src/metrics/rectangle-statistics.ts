/** Mean and standard deviation of a 2D image inside a rectangle, for region measurements (speckle SNR, CNR). */
import type { Image } from '../image'
import { LibraryError } from '../errors'

/** [x0, y0, x1, y1): columns x0 … x1 − 1, rows y0 … y1 − 1. */
export type PixelRectangle = [number, number, number, number]

export class RegionError extends LibraryError<'BAD_REGION'> {
  constructor(message: string) {
    super('RegionError', 'BAD_REGION', message)
  }
}

/** Mean and population standard deviation of the pixels of `image` (first slice) inside `rect`. */
export function rectangleStatistics(image: Image, rect: PixelRectangle): { mean: number; sd: number; count: number } {
  const [x0, y0, x1, y1] = rect
  const w = image.size[0]
  const d = image.data as ArrayLike<number> | null
  if (!d || !(x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= image.size[1] && x1 > x0 && y1 > y0)) {
    throw new RegionError(`The region [${rect.join(', ')}] is outside the ${w} × ${image.size[1]} image or empty.`)
  }
  let s = 0
  let s2 = 0
  let count = 0
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const v = Number(d[y * w + x])
    s += v
    s2 += v * v
    count++
  }
  const mean = s / count
  return { mean, sd: Math.sqrt(Math.max(0, s2 / count - mean * mean)), count }
}

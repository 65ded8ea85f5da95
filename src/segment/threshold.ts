import { imageLike, pixelData, type Image } from '../image'
import { dims3 } from './volume'

export interface ThresholdOptions {
  /** Lowest value inside (inclusive). Default: −Infinity. */
  lower?: number
  /** Highest value inside (inclusive). Default: +Infinity. */
  upper?: number
  /** Output value for lower ≤ v ≤ upper, 0..255. Default: 1. */
  insideValue?: number
  /** Output value elsewhere (and for NaN), 0..255. Default: 0. */
  outsideValue?: number
}

function checkByte(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error(`threshold: ${name} must be an integer 0..255 (the output is uint8), got ${v}`)
}

/**
 * Binary threshold into a uint8 label map with the input's geometry: `insideValue` where
 * lower ≤ v ≤ upper (both bounds inclusive), `outsideValue` elsewhere. Matches ITK
 * BinaryThresholdImageFilter (defaults lower = −∞, upper = +∞, inside 1, outside 0).
 */
export function threshold(image: Image, options: ThresholdOptions = {}): Image {
  dims3(image, 'threshold')
  const lower = options.lower ?? -Infinity
  const upper = options.upper ?? Infinity
  const inside = options.insideValue ?? 1
  const outside = options.outsideValue ?? 0
  if (Number.isNaN(lower) || Number.isNaN(upper)) throw new Error('threshold: lower and upper must be numbers, got NaN')
  if (lower > upper) throw new Error(`threshold: lower (${lower}) is greater than upper (${upper})`)
  checkByte(inside, 'insideValue')
  checkByte(outside, 'outsideValue')
  const src = pixelData(image)
  const out = new Uint8Array(src.length)
  for (let i = 0; i < src.length; i++) {
    const v = src[i]
    out[i] = v >= lower && v <= upper ? inside : outside
  }
  return imageLike(image, out)
}

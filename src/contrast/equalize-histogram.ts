/**
 * Global histogram equalization exactly as OpenCV `cv::equalizeHist` (modules/imgproc/src/histogram.cpp).
 */
import type { Image } from '../image'
import { perSliceUint8, type Uint8InputOptions } from './uint8-input'

export type EqualizeHistogramOptions = Uint8InputOptions

/**
 * Histogram equalization of a 2D image or, for a 3D volume, of each z slice independently.
 * Matches OpenCV 4.x `cv::equalizeHist` on 8-bit input: with h the histogram and i0 the lowest
 * occupied level, LUT[i0] = 0 and LUT[i] = round(cdf(i) · 255 / (N − h[i0])) for i > i0, where
 * cdf(i) counts the pixels in levels i0+1..i, computed in float32 and rounded half to even;
 * an image with a single level keeps that level.
 *
 * Input: uint8 pixels are used as they are; other pixel types are first mapped linearly to
 * 0..255 (min..max, or `window`; see {@link Uint8InputOptions}). Output: uint8, same geometry.
 */
export function equalizeHistogram(image: Image, options: EqualizeHistogramOptions = {}): Image {
  const hist = new Int32Array(256)
  const lut = new Uint8ClampedArray(256)
  return perSliceUint8(image, 'equalizeHistogram', options, (src, width, height, dst) => {
    hist.fill(0)
    for (let i = 0; i < src.length; i++) hist[src[i]]++
    let i = 0
    while (hist[i] === 0) i++
    const total = width * height
    if (hist[i] === total) {
      dst.fill(i)
      return
    }
    // (hist_sz - 1.f) / (total - hist[i]): a float32 division; sum * scale in float32 too.
    const scale = Math.fround(255 / Math.fround(total - hist[i]))
    lut.fill(0)
    let sum = 0
    for (i++; i < 256; i++) {
      sum += hist[i]
      lut[i] = Math.fround(Math.fround(sum) * scale) // Uint8ClampedArray: round half to even, saturate
    }
    for (let k = 0; k < src.length; k++) dst[k] = lut[src[k]]
  })
}

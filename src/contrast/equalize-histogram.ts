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
  const hist = new Int32Array(512)
  const lut = new Uint8ClampedArray(256)
  return perSliceUint8(image, 'equalizeHistogram', options, (src, width, height, dst) => {
    histogram(src, hist)
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
    applyLut(src, lut, dst)
  })
}

/** 256-bin histogram into hist[0..255] (hist[256..511] is scratch). */
function histogram(src: Uint8Array, hist: Int32Array): void {
  hist.fill(0)
  let start = 0
  if (src.byteOffset % 4 === 0) {
    // Four pixels per 32-bit load; alternate pixels count into a second histogram (hist[256..])
    // so runs of equal values do not serialize on one counter.
    const words = new Int32Array(src.buffer, src.byteOffset, src.length >> 2)
    for (let k = 0; k < words.length; k++) {
      const w = words[k]
      hist[w & 255]++
      hist[256 + ((w >> 8) & 255)]++
      hist[(w >> 16) & 255]++
      hist[256 + (w >>> 24)]++
    }
    start = words.length << 2
  }
  for (let k = start; k < src.length; k++) hist[src[k]]++
  for (let v = 0; v < 256; v++) hist[v] += hist[256 + v]
}

/** dst[k] = lut[src[k]], four pixels per 32-bit word when both buffers are aligned. */
function applyLut(src: Uint8Array, lut: Uint8ClampedArray, dst: Uint8Array): void {
  let start = 0
  if (src.byteOffset % 4 === 0 && dst.byteOffset % 4 === 0) {
    const n = src.length >> 2
    const from = new Int32Array(src.buffer, src.byteOffset, n)
    const to = new Int32Array(dst.buffer, dst.byteOffset, n)
    // The same shifts read and write each byte, so this is independent of byte order.
    for (let k = 0; k < n; k++) {
      const w = from[k]
      to[k] = lut[w & 255] | (lut[(w >> 8) & 255] << 8) | (lut[(w >> 16) & 255] << 16) | (lut[w >>> 24] << 24)
    }
    start = n << 2
  }
  for (let k = start; k < src.length; k++) dst[k] = lut[src[k]]
}

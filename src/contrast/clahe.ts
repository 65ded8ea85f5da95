/**
 * Contrast Limited Adaptive Histogram Equalization (Zuiderveld, "Contrast Limited Adaptive
 * Histogram Equalization", Graphics Gems IV, 1994), computed exactly as OpenCV 4.x
 * `cv::createCLAHE(clipLimit, tileGridSize)->apply()` does for 8-bit images
 * (modules/imgproc/src/clahe.cpp): same tiling and padding, same clipping and redistribution,
 * same LUT rounding and the same float32 bilinear interpolation, so results are bit-identical.
 */
import type { Image } from '../image'
import { perSliceUint8, type Uint8InputOptions } from './uint8-input'

export interface ClaheOptions extends Uint8InputOptions {
  /**
   * Contrast limit, as a multiple of the mean histogram bin height of a tile: each tile's
   * histogram is clipped at max(trunc(clipLimit · tilePixels / 256), 1) counts and the excess is
   * spread over all bins. 0 or less: no clipping (plain adaptive histogram equalization).
   * Default 2.0 (OpenCV's own default is 40, which barely clips).
   */
  clipLimit?: number
  /**
   * Number of tiles [across x, across y] (OpenCV's `tileGridSize` = (width, height)).
   * Default [8, 8].
   */
  tileGridSize?: [number, number]
}

const HIST_SIZE = 256
const fround = Math.fround

/** Scratch buffers reused across the slices of a volume. */
interface Workspace {
  hist: Int32Array
  lut: Uint8ClampedArray
  padded: Uint8Array
  ind1: Int32Array
  ind2: Int32Array
  xa: Float64Array
  xa1: Float64Array
}

/** OpenCV's `borderInterpolate` for BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba), any overshoot. */
function reflect101(p: number, len: number): number {
  if (len === 1) return 0
  while (p < 0 || p >= len) p = p < 0 ? -p : 2 * len - 2 - p
  return p
}

/**
 * CLAHE of a 2D image or, for a 3D volume, of each z slice independently (as 2D images; there is
 * no 3D tiling). Matches OpenCV 4.x `cv::createCLAHE(clipLimit, tileGridSize)->apply(src)` on
 * 8-bit input, including:
 * - tiles of size floor(W / tilesX) × floor(H / tilesY); when W or H is not a multiple of the grid,
 *   the image used for the tile histograms is first extended at the right and bottom with
 *   BORDER_REFLECT_101 by tilesX − W mod tilesX columns and tilesY − H mod tilesY rows (both,
 *   even when only one is needed, as OpenCV does) and the tile size is taken from that image;
 * - clip limit max(trunc(clipLimit · tileArea / 256), 1); the clipped excess is added evenly to
 *   all 256 bins and the remainder one count per bin at a stride of max(256 / remainder, 1);
 * - LUT value round(cdf · (255 / tileArea)) in float32, rounded half to even;
 * - bilinear interpolation of the four neighbouring tile LUTs at tile coordinates
 *   x / tileWidth − 0.5, y / tileHeight − 0.5 (clamped at the borders), in float32.
 *
 * Input: uint8 pixels are used as they are; other pixel types are first mapped linearly to
 * 0..255, from the image's (whole volume's) minimum..maximum or from `window` when given
 * (see {@link Uint8InputOptions}). Output: uint8 with the input's geometry.
 *
 * Defaults: clipLimit 2.0, tileGridSize [8, 8].
 */
export function clahe(image: Image, options: ClaheOptions = {}): Image {
  const clipLimit = options.clipLimit ?? 2.0
  const grid = options.tileGridSize ?? [8, 8]
  if (!Array.isArray(grid) || grid.length !== 2 || !grid.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`clahe: tileGridSize must be two positive integers [tilesX, tilesY], got ${JSON.stringify(grid)}`)
  }
  if (typeof clipLimit !== 'number' || Number.isNaN(clipLimit)) {
    throw new Error(`clahe: clipLimit must be a number (0 or less disables clipping), got ${String(clipLimit)}`)
  }
  const [tilesX, tilesY] = grid
  let ws: Workspace | undefined
  return perSliceUint8(image, 'clahe', options, (src, width, height, dst) => {
    ws ??= makeWorkspace(width, height, tilesX, tilesY)
    claheSlice(src, width, height, dst, clipLimit, tilesX, tilesY, ws)
  })
}

function makeWorkspace(width: number, height: number, tilesX: number, tilesY: number): Workspace {
  const divisible = width % tilesX === 0 && height % tilesY === 0
  const pw = divisible ? width : width + tilesX - (width % tilesX)
  const ph = divisible ? height : height + tilesY - (height % tilesY)
  const tiles = tilesX * tilesY
  return {
    hist: new Int32Array(tiles * HIST_SIZE),
    lut: new Uint8ClampedArray(tiles * HIST_SIZE),
    padded: new Uint8Array(divisible ? 0 : pw * ph),
    ind1: new Int32Array(width),
    ind2: new Int32Array(width),
    xa: new Float64Array(width),
    xa1: new Float64Array(width),
  }
}

function claheSlice(
  src: Uint8Array, width: number, height: number, dst: Uint8Array,
  clipLimitFactor: number, tilesX: number, tilesY: number, ws: Workspace,
): void {
  // Image the tile histograms are taken from: the input, or its reflect-101 extension.
  let lsrc = src
  let pw = width
  let ph = height
  if (width % tilesX !== 0 || height % tilesY !== 0) {
    pw = width + tilesX - (width % tilesX)
    ph = height + tilesY - (height % tilesY)
    lsrc = ws.padded
    for (let y = 0; y < ph; y++) {
      const from = reflect101(y, height) * width
      const to = y * pw
      lsrc.set(src.subarray(from, from + width), to)
      for (let x = width; x < pw; x++) lsrc[to + x] = src[from + reflect101(x, width)]
    }
  }
  const tileW = pw / tilesX
  const tileH = ph / tilesY
  const tileArea = tileW * tileH
  // static_cast<float>(histSize - 1) / tileSizeTotal: a float32 division.
  const lutScale = fround((HIST_SIZE - 1) / fround(tileArea))
  let clipLimit = 0
  if (clipLimitFactor > 0) {
    clipLimit = Math.max(Math.min(Math.trunc((clipLimitFactor * tileArea) / HIST_SIZE), 0x7fffffff), 1)
  }

  // Tile histograms, scanned row by row through the (padded) image.
  const { hist, lut } = ws
  hist.fill(0)
  for (let ty = 0; ty < tilesY; ty++) {
    const h0 = ty * tilesX * HIST_SIZE
    for (let r = 0; r < tileH; r++) {
      const row = (ty * tileH + r) * pw
      for (let tx = 0, h = h0, x0 = row; tx < tilesX; tx++, h += HIST_SIZE, x0 += tileW) {
        const x1 = x0 + tileW
        for (let i = x0; i < x1; i++) hist[h + lsrc[i]]++
      }
    }
  }

  // Clip, redistribute, and integrate each histogram into its LUT.
  const tiles = tilesX * tilesY
  for (let t = 0, h0 = 0; t < tiles; t++, h0 += HIST_SIZE) {
    if (clipLimit > 0) {
      let clipped = 0
      for (let i = h0; i < h0 + HIST_SIZE; i++) {
        if (hist[i] > clipLimit) {
          clipped += hist[i] - clipLimit
          hist[i] = clipLimit
        }
      }
      const batch = Math.floor(clipped / HIST_SIZE)
      let residual = clipped - batch * HIST_SIZE
      for (let i = h0; i < h0 + HIST_SIZE; i++) hist[i] += batch
      if (residual !== 0) {
        const step = Math.max(Math.floor(HIST_SIZE / residual), 1)
        for (let i = 0; i < HIST_SIZE && residual > 0; i += step, residual--) hist[h0 + i]++
      }
    }
    let sum = 0
    // Uint8ClampedArray stores round half to even and saturate, like cv::saturate_cast<uchar>(float).
    for (let i = h0; i < h0 + HIST_SIZE; i++) {
      sum += hist[i]
      lut[i] = fround(fround(sum) * lutScale)
    }
  }

  // Per-column tile indices and weights (float32, as OpenCV precomputes them).
  const { ind1, ind2, xa, xa1 } = ws
  const invTw = fround(1 / tileW)
  for (let x = 0; x < width; x++) {
    const txf = fround(fround(x * invTw) - 0.5)
    const tx1 = Math.floor(txf)
    const a = fround(txf - tx1)
    xa[x] = a
    xa1[x] = fround(1 - a)
    ind1[x] = Math.max(tx1, 0) * HIST_SIZE
    ind2[x] = Math.min(tx1 + 1, tilesX - 1) * HIST_SIZE
  }

  // Bilinear blend of the four tile LUTs, each operation rounded to float32 as in OpenCV:
  // res = (L11·xa1 + L12·xa)·ya1 + (L21·xa1 + L22·xa)·ya, then saturate_cast (half to even).
  const out = new Uint8ClampedArray(dst.buffer, dst.byteOffset, dst.length)
  const invTh = fround(1 / tileH)
  for (let y = 0; y < height; y++) {
    const tyf = fround(fround(y * invTh) - 0.5)
    const ty = Math.floor(tyf)
    const ya = fround(tyf - ty)
    const ya1 = fround(1 - ya)
    const p1 = Math.max(ty, 0) * tilesX * HIST_SIZE
    const p2 = Math.min(ty + 1, tilesY - 1) * tilesX * HIST_SIZE
    const row = y * width
    for (let x = 0; x < width; x++) {
      const v = src[row + x]
      const i1 = ind1[x] + v
      const i2 = ind2[x] + v
      const wa = xa1[x]
      const wb = xa[x]
      const top = fround(fround(fround(lut[p1 + i1] * wa) + fround(lut[p1 + i2] * wb)) * ya1)
      const bottom = fround(fround(fround(lut[p2 + i1] * wa) + fround(lut[p2 + i2] * wb)) * ya)
      out[row + x] = fround(top + bottom)
    }
  }
}

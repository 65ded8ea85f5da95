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
/** Distance from a rounding boundary below which a pixel is interpolated in exact float32. */
const NEAR_TIE = 1e-3
/** (q + ROUND) - ROUND rounds a float64 0 ≤ q < 2^51 to an integer, ties to even (the FPU default). */
const ROUND = 6755399441055744 // 1.5 · 2^52
/** Rows interpolated together in the table path (they share each column's weight). */
const ROWS = 8
/** True when a Uint32Array stores its lowest byte first (every engine in practice). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** Scratch buffers reused across the slices of a volume. */
interface Workspace {
  hist: Int32Array
  /** Two sets of tile histograms (alternate pixels go to each, to halve store-to-load stalls). */
  hist2: Int32Array
  lut: Uint8ClampedArray
  padded: Uint8Array
  xa: Float64Array
  xa1: Float64Array
  segStart: Int32Array
  segInd1: Int32Array
  segInd2: Int32Array
  /** Bilinear coefficients of one band of tile rows: [segment][value][a, c−a, b−a, d−c−b+a]. */
  coef: Float64Array
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
 * 8-bit input bit for bit, including:
 * - tiles of (W / tilesX) × (H / tilesY) pixels when the grid divides the image; otherwise the
 *   image used for the tile histograms is first extended at the right and bottom with
 *   BORDER_REFLECT_101 by tilesX − W mod tilesX columns and tilesY − H mod tilesY rows (both,
 *   even when only one is needed, as OpenCV does) and the tiles divide that extended image;
 * - clip limit max(trunc(clipLimit · tileArea / 256), 1) (1 as well when that exceeds the int
 *   range, as OpenCV's conversion does on x86); the clipped excess is added evenly to
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
    ws ??= workspaceFor(width, height, tilesX, tilesY)
    claheSlice(src, width, height, dst, clipLimit, tilesX, tilesY, ws)
  })
}

/**
 * The workspace of the last call, reused by the next call of the same geometry (a viewer
 * re-running CLAHE on every slider move need not allocate and zero ~300 KB each time). Every
 * buffer is fully rewritten before it is read, so reuse cannot leak results between calls.
 */
let lastWorkspace: { key: string; ws: Workspace } | undefined
/** Workspaces larger than this are not kept after the call. */
const KEEP_WORKSPACE_BYTES = 8 << 20

function workspaceFor(width: number, height: number, tilesX: number, tilesY: number): Workspace {
  const key = `${width}x${height}/${tilesX}x${tilesY}`
  if (lastWorkspace?.key === key) return lastWorkspace.ws
  const ws = makeWorkspace(width, height, tilesX, tilesY)
  const bytes = Object.values(ws).reduce((sum, a: ArrayBufferView) => sum + a.byteLength, 0)
  lastWorkspace = bytes <= KEEP_WORKSPACE_BYTES ? { key, ws } : undefined
  return ws
}

function makeWorkspace(width: number, height: number, tilesX: number, tilesY: number): Workspace {
  const divisible = width % tilesX === 0 && height % tilesY === 0
  const pw = divisible ? width : width + tilesX - (width % tilesX)
  const ph = divisible ? height : height + tilesY - (height % tilesY)
  const tiles = tilesX * tilesY
  const segments = Math.min(tilesX + 1, width)
  return {
    hist: new Int32Array(tiles * HIST_SIZE),
    hist2: new Int32Array(2 * tiles * HIST_SIZE),
    lut: new Uint8ClampedArray(tiles * HIST_SIZE),
    padded: new Uint8Array(divisible ? 0 : pw * ph),
    xa: new Float64Array(width),
    xa1: new Float64Array(width),
    segStart: new Int32Array(width + 1),
    segInd1: new Int32Array(width),
    segInd2: new Int32Array(width),
    // Only used when the tiles are large enough for the table to pay off (see interpolate).
    coef: new Float64Array(useCoefficientTable(width, height, tilesX, tilesY) ? segments * HIST_SIZE * 4 : 0),
  }
}

/** The per-band coefficient tables cost ~(tilesX+1)(tilesY+1)·256 entries: worth it up to the pixel count. */
function useCoefficientTable(width: number, height: number, tilesX: number, tilesY: number): boolean {
  return (tilesX + 1) * (tilesY + 1) * HIST_SIZE <= width * height
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
    const limit = (clipLimitFactor * tileArea) / HIST_SIZE
    // static_cast<int> of a double beyond int range gives INT_MIN on x86 (cvttsd2si), which
    // max(…, 1) turns into 1: OpenCV clips hardest for absurdly large limits, and so do we.
    clipLimit = limit < 2147483648 ? Math.max(Math.trunc(limit), 1) : 1
  }

  tileHistograms(lsrc, pw, tileW, tileH, tilesX, tilesY, ws)
  histogramsToLuts(ws.hist, ws.lut, tilesX * tilesY, tileArea, clipLimit, lutScale)
  interpolate(src, width, height, dst, tileW, tileH, tilesX, tilesY, ws)
}

/**
 * Histogram of every tile, scanned row by row through the (padded) image. Four pixels are read
 * per 32-bit word (byte order is irrelevant to a histogram); bytes before the first and after the
 * last whole word of a tile row are counted one by one. Alternate words count into a second set
 * of histograms (the upper half of hist2) so runs of equal values do not serialize on one
 * counter.
 */
function tileHistograms(
  lsrc: Uint8Array, pw: number, tileW: number, tileH: number, tilesX: number, tilesY: number, ws: Workspace,
): void {
  const h2 = ws.hist2
  const half = h2.length >> 1
  h2.fill(0)
  // Byte offsets below are relative to `base`, the 4-byte aligned address at or before lsrc[0].
  const shift = lsrc.byteOffset & 3
  const base = lsrc.byteOffset - shift
  const words = new Uint32Array(lsrc.buffer, base, (shift + lsrc.length) >> 2)
  for (let ty = 0; ty < tilesY; ty++) {
    const h0 = ty * tilesX * HIST_SIZE
    for (let r = 0; r < tileH; r++) {
      const row = (ty * tileH + r) * pw + shift
      for (let tx = 0, h = h0, b0 = row; tx < tilesX; tx++, h += HIST_SIZE, b0 += tileW) {
        const b1 = b0 + tileW
        const w0 = (b0 + 3) >> 2
        const w1 = b1 >> 2
        if (w0 >= w1) {
          for (let b = b0; b < b1; b++) h2[h + lsrc[b - shift]]++
          continue
        }
        for (let b = b0; b < w0 << 2; b++) h2[h + lsrc[b - shift]]++
        for (let b = w1 << 2; b < b1; b++) h2[h + lsrc[b - shift]]++
        const g = h + half
        let i = w0
        for (; i + 1 < w1; i += 2) {
          const u = words[i]
          const w = words[i + 1]
          h2[h + (u & 255)]++
          h2[h + ((u >>> 8) & 255)]++
          h2[h + ((u >>> 16) & 255)]++
          h2[h + (u >>> 24)]++
          h2[g + (w & 255)]++
          h2[g + ((w >>> 8) & 255)]++
          h2[g + ((w >>> 16) & 255)]++
          h2[g + (w >>> 24)]++
        }
        if (i < w1) {
          const u = words[i]
          h2[h + (u & 255)]++
          h2[h + ((u >>> 8) & 255)]++
          h2[h + ((u >>> 16) & 255)]++
          h2[h + (u >>> 24)]++
        }
      }
    }
  }
  const hist = ws.hist
  for (let i = 0; i < half; i++) hist[i] = h2[i] + h2[i + half]
}

/** Clips each tile histogram, redistributes the excess, and integrates it into the tile's LUT. */
function histogramsToLuts(
  hist: Int32Array, lut: Uint8ClampedArray, tiles: number, tileArea: number, clipLimit: number, lutScale: number,
): void {
  // LUT value of every possible cumulative count (0..tileArea), when there are fewer of those
  // than LUT entries. Uint8ClampedArray stores round half to even and saturate, like
  // cv::saturate_cast<uchar>(float).
  let table: Uint8ClampedArray | undefined
  if (tileArea < tiles * HIST_SIZE) {
    table = new Uint8ClampedArray(tileArea + 1)
    for (let sum = 0; sum <= tileArea; sum++) table[sum] = fround(fround(sum) * lutScale)
  }
  for (let t = 0, h0 = 0; t < tiles; t++, h0 += HIST_SIZE) {
    const h1 = h0 + HIST_SIZE
    let batch = 0
    if (clipLimit > 0) {
      let clipped = 0
      for (let i = h0; i < h1; i++) {
        if (hist[i] > clipLimit) {
          clipped += hist[i] - clipLimit
          hist[i] = clipLimit
        }
      }
      batch = Math.floor(clipped / HIST_SIZE)
      let residual = clipped - batch * HIST_SIZE
      if (residual !== 0) {
        const step = Math.max(Math.floor(HIST_SIZE / residual), 1)
        for (let i = 0; i < HIST_SIZE && residual > 0; i += step, residual--) hist[h0 + i]++
      }
    }
    // The batch (added to every bin) is folded into the running sum.
    let sum = 0
    if (table) {
      for (let i = h0; i < h1; i++) {
        sum += hist[i] + batch
        lut[i] = table[sum]
      }
    } else {
      for (let i = h0; i < h1; i++) {
        sum += hist[i] + batch
        lut[i] = fround(fround(sum) * lutScale)
      }
    }
  }
}

/**
 * OpenCV's interpolated value for one pixel, every operation rounded to float32 as in
 * CLAHE_Interpolation_Body: (L11·xa1 + L12·xa)·ya1 + (L21·xa1 + L22·xa)·ya. Not yet rounded.
 */
function exactPixel(a: number, b: number, c: number, d: number, xa1: number, xa: number, ya1: number, ya: number): number {
  const top = fround(fround(fround(a * xa1) + fround(b * xa)) * ya1)
  const bottom = fround(fround(fround(c * xa1) + fround(d * xa)) * ya)
  return fround(top + bottom)
}

/** exactPixel for the LUT values a, b, c, d recovered from their coefficients at coef[k..k+3]. */
function exactFromCoefficients(coef: Float64Array, k: number, xa1: number, xa: number, ya1: number, ya: number): number {
  const a = coef[k]
  const c = a + coef[k + 1]
  const b = a + coef[k + 2]
  return exactPixel(a, b, c, coef[k + 3] + c + b - a, xa1, xa, ya1, ya)
}

/** Bilinear interpolation between the LUTs of the four tiles around each pixel. */
function interpolate(
  src: Uint8Array, width: number, height: number, dst: Uint8Array,
  tileW: number, tileH: number, tilesX: number, tilesY: number, ws: Workspace,
): void {
  // Per-column tile weights (float32, as OpenCV precomputes them); columns come in runs
  // ("segments") that share the same pair of tile columns.
  const { xa, xa1, segStart, segInd1, segInd2, lut } = ws
  const invTw = fround(1 / tileW)
  let segments = 0
  for (let x = 0; x < width; x++) {
    const txf = tileCoordinate(x, invTw)
    const tx1 = Math.floor(txf)
    const a = fround(txf - tx1)
    xa[x] = a
    xa1[x] = fround(1 - a)
    const i1 = Math.max(tx1, 0) * HIST_SIZE
    const i2 = Math.min(tx1 + 1, tilesX - 1) * HIST_SIZE
    if (x === 0 || i1 !== segInd1[segments - 1] || i2 !== segInd2[segments - 1]) {
      segStart[segments] = x
      segInd1[segments] = i1
      segInd2[segments] = i2
      segments++
    }
  }
  segStart[segments] = width
  const out = new Uint8ClampedArray(dst.buffer, dst.byteOffset, dst.length) // stores round half to even
  const invTh = fround(1 / tileH)

  if (ws.coef.length === 0) {
    // Small tiles: OpenCV's float32 expression pixel by pixel.
    for (let y = 0; y < height; y++) {
      const tyf = tileCoordinate(y, invTh)
      const ty = Math.floor(tyf)
      const ya = fround(tyf - ty)
      const ya1 = fround(1 - ya)
      const p1 = Math.max(ty, 0) * tilesX * HIST_SIZE
      const p2 = Math.min(ty + 1, tilesY - 1) * tilesX * HIST_SIZE
      const row = y * width
      for (let sg = 0; sg < segments; sg++) {
        const a0 = p1 + segInd1[sg]
        const b0 = p1 + segInd2[sg]
        const c0 = p2 + segInd1[sg]
        const d0 = p2 + segInd2[sg]
        for (let x = segStart[sg], x1 = segStart[sg + 1]; x < x1; x++) {
          const v = src[row + x]
          out[row + x] = exactPixel(lut[a0 + v], lut[b0 + v], lut[c0 + v], lut[d0 + v], xa1[x], xa[x], ya1, ya)
        }
      }
    }
    return
  }

  // Big tiles: per band of rows sharing a pair of tile rows, tabulate for every segment and
  // value v the bilinear coefficients, so a pixel is q = a + (c−a)·ya + ((b−a) + (d−c−b+a)·ya)·xa,
  // and run ROWS rows at a time (they share the column weights). The ROWS rows are written out
  // by hand: as a loop over r the 512² benchmark takes 1.25 ms instead of 0.73 ms (2.7× OpenCV,
  // over the 2× target), measured with `npx tsx bench/run.ts contrast`.
  //
  // When the tile width and height are powers of two (and their product ≤ 2^16), xa and ya are
  // exact multiples of 1/tileW and 1/tileH and every float32 operation in OpenCV's expression is
  // exact, so its result is the exact rational value: q in float64 is that same value and only
  // needs rounding half to even. Otherwise OpenCV's float32 result lies within 2e-4 of the exact
  // value (LUT values ≤ 255, a handful of roundings), so q rounds the same way unless it lies
  // within NEAR_TIE of a .5 boundary; those few pixels are recomputed with exactPixel.
  const dyadic = isPowerOfTwo(tileW) && isPowerOfTwo(tileH) && tileW * tileH <= 65536
  const coef = ws.coef
  if (dyadic && tileW <= 128 && tileH <= 128 && LITTLE_ENDIAN && width % 4 === 0 &&
      (src.byteOffset & 3) === 0 && (dst.byteOffset & 3) === 0 && segStart.subarray(0, segments + 1).every((x) => x % 4 === 0)) {
    dyadicInteger(src, dst, width, height, tileW, tileH, tilesX, tilesY, ws, segments, invTh)
    return
  }
  const ya = new Float64Array(ROWS)
  const ya1 = new Float64Array(ROWS)
  let y = 0
  while (y < height) {
    const ty = Math.floor(tileCoordinate(y, invTh))
    // Coefficient table of this band.
    const p1 = Math.max(ty, 0) * tilesX * HIST_SIZE
    const p2 = Math.min(ty + 1, tilesY - 1) * tilesX * HIST_SIZE
    for (let sg = 0, o = 0; sg < segments; sg++) {
      const a0 = p1 + segInd1[sg]
      const b0 = p1 + segInd2[sg]
      const c0 = p2 + segInd1[sg]
      const d0 = p2 + segInd2[sg]
      for (let v = 0; v < HIST_SIZE; v++, o += 4) {
        const a = lut[a0 + v]
        const b = lut[b0 + v]
        const c = lut[c0 + v]
        coef[o] = a
        coef[o + 1] = c - a
        coef[o + 2] = b - a
        coef[o + 3] = lut[d0 + v] - c - b + a
      }
    }
    // Rows of the band, up to ROWS at a time.
    let bandEnd = y + 1
    while (bandEnd < height && Math.floor(tileCoordinate(bandEnd, invTh)) === ty) bandEnd++
    for (; y < bandEnd; ) {
      const n = Math.min(ROWS, bandEnd - y)
      for (let r = 0; r < n; r++) {
        ya[r] = fround(tileCoordinate(y + r, invTh) - ty)
        ya1[r] = fround(1 - ya[r])
      }
      if (n === ROWS) {
        const i0 = y * width
        const w0 = ya[0]
        const w1 = ya[1]
        const w2 = ya[2]
        const w3 = ya[3]
        const w4 = ya[4]
        const w5 = ya[5]
        const w6 = ya[6]
        const w7 = ya[7]
        if (dyadic) {
          for (let sg = 0; sg < segments; sg++) {
            const o = sg * HIST_SIZE * 4
            for (let x = segStart[sg], x1 = segStart[sg + 1]; x < x1; x++) {
              const wx = xa[x]
              let i = i0 + x
              let k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w0 + (coef[k + 2] + coef[k + 3] * w0) * wx + ROUND - ROUND
              i += width
              k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w1 + (coef[k + 2] + coef[k + 3] * w1) * wx + ROUND - ROUND
              i += width
              k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w2 + (coef[k + 2] + coef[k + 3] * w2) * wx + ROUND - ROUND
              i += width
              k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w3 + (coef[k + 2] + coef[k + 3] * w3) * wx + ROUND - ROUND
              i += width
              k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w4 + (coef[k + 2] + coef[k + 3] * w4) * wx + ROUND - ROUND
              i += width
              k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w5 + (coef[k + 2] + coef[k + 3] * w5) * wx + ROUND - ROUND
              i += width
              k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w6 + (coef[k + 2] + coef[k + 3] * w6) * wx + ROUND - ROUND
              i += width
              k = o + (src[i] << 2)
              dst[i] = coef[k] + coef[k + 1] * w7 + (coef[k + 2] + coef[k + 3] * w7) * wx + ROUND - ROUND
            }
          }
        } else {
          // As above, but a pixel within NEAR_TIE of a rounding boundary is redone exactly.
          const limit = 0.5 - NEAR_TIE
          for (let sg = 0; sg < segments; sg++) {
            const o = sg * HIST_SIZE * 4
            for (let x = segStart[sg], x1 = segStart[sg + 1]; x < x1; x++) {
              const wx = xa[x]
              let i = i0 + x
              let k = o + (src[i] << 2)
              let q = 0
              let rounded = 0
              q = coef[k] + coef[k + 1] * w0 + (coef[k + 2] + coef[k + 3] * w0) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[0], w0)
              i += width
              k = o + (src[i] << 2)
              q = coef[k] + coef[k + 1] * w1 + (coef[k + 2] + coef[k + 3] * w1) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[1], w1)
              i += width
              k = o + (src[i] << 2)
              q = coef[k] + coef[k + 1] * w2 + (coef[k + 2] + coef[k + 3] * w2) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[2], w2)
              i += width
              k = o + (src[i] << 2)
              q = coef[k] + coef[k + 1] * w3 + (coef[k + 2] + coef[k + 3] * w3) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[3], w3)
              i += width
              k = o + (src[i] << 2)
              q = coef[k] + coef[k + 1] * w4 + (coef[k + 2] + coef[k + 3] * w4) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[4], w4)
              i += width
              k = o + (src[i] << 2)
              q = coef[k] + coef[k + 1] * w5 + (coef[k + 2] + coef[k + 3] * w5) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[5], w5)
              i += width
              k = o + (src[i] << 2)
              q = coef[k] + coef[k + 1] * w6 + (coef[k + 2] + coef[k + 3] * w6) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[6], w6)
              i += width
              k = o + (src[i] << 2)
              q = coef[k] + coef[k + 1] * w7 + (coef[k + 2] + coef[k + 3] * w7) * wx
              rounded = q + ROUND - ROUND
              if (Math.abs(q - rounded) < limit) dst[i] = rounded
              else out[i] = exactFromCoefficients(coef, k, xa1[x], wx, ya1[7], w7)
            }
          }
        }
      } else {
        for (let r = 0; r < n; r++) {
          const w = ya[r]
          const row = (y + r) * width
          for (let sg = 0; sg < segments; sg++) {
            const o = sg * HIST_SIZE * 4
            for (let x = segStart[sg], x1 = segStart[sg + 1]; x < x1; x++) {
              const k = o + (src[row + x] << 2)
              const q = coef[k] + coef[k + 1] * w + (coef[k + 2] + coef[k + 3] * w) * xa[x]
              const rounded = q + ROUND - ROUND
              if (dyadic || Math.abs(q - rounded) < 0.5 - NEAR_TIE) dst[row + x] = rounded
              else out[row + x] = exactFromCoefficients(coef, k, xa1[x], xa[x], ya1[r], w)
            }
          }
        }
      }
      y += n
    }
  }
}

/**
 * The dyadic case in integers, four pixels per 32-bit load and store. With power-of-two tiles
 * of at most 128 pixels a side, xa = m / Dx and ya = n / Dy exactly (Dx = 2·tileW, Dy = 2·tileH,
 * m, n integers), so OpenCV's exact float32 result is Q / (Dx·Dy) with the integer
 * Q = (Dy − n)·(a·(Dx − m) + b·m) + n·(c·(Dx − m) + d·m) < 2^24, rounded half to even.
 * The table holds the four LUT values of a segment and value as the bytes a | b << 8 | c << 16 |
 * d << 24; masking gives a | c << 16 and b | d << 16, so one shift and one 32-bit multiply,
 * a·Dx + (b − a)·m, give both horizontal sums in 16-bit lanes at once (each ≤ 255·Dx ≤ 65280:
 * no lane carries into the next), and one more, h₁·Dy + (h₂ − h₁)·n, the vertical sum. One table
 * load per pixel instead of four, and no float32 emulation: the 512² benchmark went from 2.1 to
 * 1.7 ms (min of 1000, loaded machine), then 1.44 to 1.33 ms with one multiply per sum
 * (`npm run bench -- contrast`; 600 random fuzz.py cases still bit-identical to OpenCV).
 */
function dyadicInteger(
  src: Uint8Array, dst: Uint8Array, width: number, height: number, tileW: number, tileH: number,
  tilesX: number, tilesY: number, ws: Workspace, segments: number, invTh: number,
): void {
  const { xa, segStart, segInd1, segInd2, lut } = ws
  const src32 = new Uint32Array(src.buffer, src.byteOffset, src.length >> 2)
  const dst32 = new Uint32Array(dst.buffer, dst.byteOffset, dst.length >> 2)
  const quads = new Int32Array(ws.coef.buffer, 0, segments * HIST_SIZE)
  const dx = 2 * tileW
  const dy = 2 * tileH
  const shift = Math.log2(dx * dy)
  // a·(D − m) + b·m = a·D + (b − a)·m: one multiply per sum. Exact in 32-bit modular arithmetic
  // (Math.imul, | 0), so it holds for the two 16-bit lanes at once: the result, not the
  // intermediate (b − a may be negative), is what must not carry between lanes.
  const ldx = Math.log2(dx)
  const ldy = Math.log2(dy)
  // q · 2^-shift is exact; adding ROUND rounds it half to even, and ToInt32 drops ROUND (a multiple of 2^32).
  const scale = 2 ** -shift
  const stride = width >> 2
  let y = 0
  while (y < height) {
    const ty = Math.floor(tileCoordinate(y, invTh))
    let bandEnd = y + 1
    while (bandEnd < height && Math.floor(tileCoordinate(bandEnd, invTh)) === ty) bandEnd++
    const p1 = Math.max(ty, 0) * tilesX * HIST_SIZE
    const p2 = Math.min(ty + 1, tilesY - 1) * tilesX * HIST_SIZE
    for (let sg = 0, o = 0; sg < segments; sg++) {
      const a0 = p1 + segInd1[sg]
      const b0 = p1 + segInd2[sg]
      const c0 = p2 + segInd1[sg]
      const d0 = p2 + segInd2[sg]
      for (let v = 0; v < HIST_SIZE; v++, o++) quads[o] = lut[a0 + v] | (lut[b0 + v] << 8) | (lut[c0 + v] << 16) | (lut[d0 + v] << 24)
    }
    // Along a row m grows by 2 per pixel within a segment, down a band n grows by 2 per row.
    for (let row = y, n = Math.round(fround(tileCoordinate(y, invTh) - ty) * dy); row < bandEnd; row++, n += 2) {
      let j = (row * width) >> 2
      for (let sg = 0; sg < segments; sg++) {
        const o = sg * HIST_SIZE
        const x0 = segStart[sg]
        const jEnd = j + ((segStart[sg + 1] - x0) >> 2)
        for (let m = Math.round(xa[x0] * dx); j < jEnd; j++, m += 8) {
          const u = src32[j]
          let t = quads[o + (u & 255)]
          let h = (((t & 0xff00ff) << ldx) + Math.imul(((t >>> 8) & 0xff00ff) - (t & 0xff00ff), m)) | 0
          let q = (((h & 0xffff) << ldy) + Math.imul((h >>> 16) - (h & 0xffff), n)) | 0
          const v0 = (q * scale + ROUND) | 0
          t = quads[o + ((u >>> 8) & 255)]
          h = (((t & 0xff00ff) << ldx) + Math.imul(((t >>> 8) & 0xff00ff) - (t & 0xff00ff), m + 2)) | 0
          q = (((h & 0xffff) << ldy) + Math.imul((h >>> 16) - (h & 0xffff), n)) | 0
          const v1 = (q * scale + ROUND) | 0
          t = quads[o + ((u >>> 16) & 255)]
          h = (((t & 0xff00ff) << ldx) + Math.imul(((t >>> 8) & 0xff00ff) - (t & 0xff00ff), m + 4)) | 0
          q = (((h & 0xffff) << ldy) + Math.imul((h >>> 16) - (h & 0xffff), n)) | 0
          const v2 = (q * scale + ROUND) | 0
          t = quads[o + (u >>> 24)]
          h = (((t & 0xff00ff) << ldx) + Math.imul(((t >>> 8) & 0xff00ff) - (t & 0xff00ff), m + 6)) | 0
          q = (((h & 0xffff) << ldy) + Math.imul((h >>> 16) - (h & 0xffff), n)) | 0
          const v3 = (q * scale + ROUND) | 0
          dst32[j] = v0 | (v1 << 8) | (v2 << 16) | (v3 << 24)
        }
      }
    }
    y = bandEnd
  }
}

/** OpenCV's tile coordinate of a pixel, x · (1 / tileSize) − 0.5, in float32. */
function tileCoordinate(x: number, invTileSize: number): number {
  return fround(fround(x * invTileSize) - 0.5)
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0
}

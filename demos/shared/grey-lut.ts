/**
 * Windowing as one table lookup per pixel, for figures that redraw on every drag event.
 * The VOI LUT is evaluated once per window over every integer the volume holds, by the
 * library's own applyWindow (so each grey level is exactly its PS3.3 formula), and stored as
 * ready-made opaque RGBA words; the painter keeps its ImageData between frames, so a frame
 * allocates nothing the size of a slice.
 */
import { makeImage, type NumericArray } from '../../src/image'
import { applyWindow, type VoiLutFunction, type Window } from '../../src/intensity/index'
import { greyWord, sizedContext } from './canvas'

/** Display words (little-endian ABGR) for the values offset, offset + 1, … */
export interface GreyLut {
  table: Uint32Array
  offset: number
}

// Tables beyond this many entries cost more to fill than a slice costs to window directly.
const MAX_TABLE = 1 << 20

/**
 * [min, max] when every value of `data` is an integer in that range and a table over it is small
 * enough (integer sample types); null for float data, which is windowed per pixel instead.
 */
export function integerTableRange(data: NumericArray, min: number, max: number): { min: number; max: number } | null {
  if (data instanceof Float32Array || data instanceof Float64Array) return null
  if (!Number.isInteger(min) || !Number.isInteger(max) || max - min + 1 > MAX_TABLE) return null
  return { min, max }
}

/** The grey of every integer in [min, max] under `window` and `fn`, inverted (255 − g) on request. */
export function windowLut(min: number, max: number, window: Window, fn: VoiLutFunction, invert: boolean): GreyLut {
  const n = max - min + 1
  // Float64 holds every int32 exactly, so the ramp is the stored values themselves.
  const ramp = new Float64Array(n)
  for (let i = 0; i < n; i++) ramp[i] = min + i
  const grey = applyWindow(makeImage([n], { data: ramp }), window, { fn }).data as Uint8Array
  const table = new Uint32Array(n)
  for (let i = 0; i < n; i++) table[i] = greyWord(invert ? 255 - grey[i] : grey[i])
  return { table, offset: min }
}

/** Identity over 0..255, for slices already windowed to bytes; inverted on request. */
export function byteLut(invert: boolean): GreyLut {
  const table = new Uint32Array(256)
  for (let g = 0; g < 256; g++) table[g] = greyWord(invert ? 255 - g : g)
  return { table, offset: 0 }
}

/**
 * A painter for one canvas: sizes it to width × height (one canvas pixel per view pixel) and
 * writes lut.table[value − lut.offset] for each value (x fastest, row 0 at the top).
 */
export function lutPainter(): (canvas: HTMLCanvasElement, values: ArrayLike<number>, width: number, height: number, lut: GreyLut) => void {
  let image: ImageData | null = null
  let words: Uint32Array | null = null
  return (canvas, values, width, height, lut) => {
    const ctx = sizedContext(canvas, width, height)
    if (!image || !words || image.width !== width || image.height !== height) {
      image = ctx.createImageData(width, height)
      words = new Uint32Array(image.data.buffer)
    }
    const { table, offset } = lut
    const n = width * height
    if (offset === 0) for (let i = 0; i < n; i++) words[i] = table[values[i]]
    else for (let i = 0; i < n; i++) words[i] = table[values[i] - offset]
    ctx.putImageData(image, 0, 0)
  }
}

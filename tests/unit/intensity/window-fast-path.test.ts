/**
 * The uint8 fast path of applyWindow (LINEAR / LINEAR_EXACT on inputs without a lookup table:
 * float32, float64, wide int32/uint32) against the standard's formula written out term by term
 * (PS3.3 C.11.2.1.2.1 / C.11.2.1.3.2, the order pydicom uses), rounded half up: every output
 * byte must be identical, including values that land exactly on a .5 rounding boundary, the
 * window edges and their float neighbours, NaN, ±Infinity, −0 and lengths that are not a
 * multiple of the 4-pixel packing.
 */
import { describe, expect, it } from 'vitest'
import { makeImage, type NumericArray } from '../../../src/image'
import { applyWindow, type VoiLutFunction } from '../../../src/intensity/window'

type Linear = Extract<VoiLutFunction, 'LINEAR' | 'LINEAR_EXACT'>

/** floor(y(x) + 0.5) with y of C.11.2.1.2.1 (LINEAR) or C.11.2.1.3.2 (LINEAR_EXACT); NaN → floor(yMin + 0.5). */
function standardUint8(x: number, fn: Linear, center: number, width: number, yMin: number, yMax: number): number {
  const c = fn === 'LINEAR' ? center - 0.5 : center
  const w = fn === 'LINEAR' ? width - 1 : width
  let y: number
  if (Number.isNaN(x)) y = yMin
  else if (x <= c - w / 2) y = yMin
  else if (x > c + w / 2) y = yMax
  else y = ((x - c) / w + 0.5) * (yMax - yMin) + yMin
  return Math.floor(y + 0.5)
}

/** Deterministic uniform [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const scratch = new Float64Array(1)
const bits = new BigInt64Array(scratch.buffer)
/** The adjacent float64 above (dir 1) or below (dir −1) a finite x. */
function nextDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE
  scratch[0] = x
  bits[0] += (x > 0) === (dir > 0) ? 1n : -1n
  return scratch[0]
}

/**
 * Inputs that stress the window: its edges, the x at which y + 0.5 is exactly each integer k
 * (solved in float64, plus both float neighbours so at least one sits on each side of the tie),
 * special values, and random values spread over and beyond the window.
 */
function stressValues(fn: Linear, center: number, width: number, yMin: number, yMax: number, random: () => number): number[] {
  const c = fn === 'LINEAR' ? center - 0.5 : center
  const w = fn === 'LINEAR' ? width - 1 : width
  const range = yMax - yMin
  const values: number[] = [NaN, Infinity, -Infinity, 0, -0, center, c]
  for (const edge of [c - w / 2, c + w / 2]) values.push(edge, nextDouble(edge, 1), nextDouble(edge, -1))
  if (range !== 0 && w > 0) {
    for (let k = 0; k <= 256; k++) {
      const x = c + w * ((k - 0.5 - yMin) / range - 0.5)
      if (Number.isFinite(x)) values.push(x, nextDouble(x, 1), nextDouble(x, -1))
    }
  }
  for (let i = 0; i < 400; i++) values.push(c + (random() - 0.5) * 3 * Math.max(w, 1))
  return values
}

function expectIdentical(data: NumericArray, fn: Linear, center: number, width: number, yMin: number, yMax: number): void {
  const out = applyWindow(makeImage([data.length], { data }), { center, width }, { fn, outMin: yMin, outMax: yMax })
  expect(out.imageType.componentType).toBe('uint8')
  const y = out.data as Uint8Array
  for (let i = 0; i < data.length; i++) {
    const want = standardUint8(data[i], fn, center, width, yMin, yMax)
    if (y[i] !== want) {
      throw new Error(`${fn} c=${center} w=${width} y=${yMin}..${yMax} ${data.constructor.name}[${i}] x=${data[i]}: got ${y[i]}, standard ${want}`)
    }
  }
}

/** Windows: typical CT presets, the narrowest legal ones, odd fractions, inverted and partial output ranges. */
function windows(random: () => number): { fn: Linear; center: number; width: number; yMin: number; yMax: number }[] {
  const list: { fn: Linear; center: number; width: number; yMin: number; yMax: number }[] = []
  const fixed: [number, number][] = [[40, 80], [50, 350], [-600, 1500], [300, 2000], [10, 1], [10.5, 1], [0, 2], [7.25, 3.5], [0.1, 0.3], [2047, 4096], [30000, 7]]
  const ranges: [number, number][] = [[0, 255], [10, 137.5], [255, 0], [0.5, 254.5], [3, 250], [0, 1], [100, 100]]
  for (const fn of ['LINEAR', 'LINEAR_EXACT'] as const) {
    for (const [center, width] of fixed) {
      if (fn === 'LINEAR' && width < 1) continue
      for (const [yMin, yMax] of ranges) list.push({ fn, center, width, yMin, yMax })
    }
    for (let i = 0; i < 40; i++) {
      const width = (fn === 'LINEAR' ? 1 : 1e-3) + random() * 3000
      const a = random() * 255
      const b = random() * 255
      list.push({ fn, center: (random() - 0.5) * 4000, width, yMin: Math.min(a, b), yMax: Math.max(a, b) })
    }
  }
  return list
}

describe('applyWindow uint8 fast path (LINEAR, LINEAR_EXACT without a lookup table)', () => {
  it('is bit-identical to the standard formula on float64 input, incl. exact .5 ties, edges, NaN and ±Infinity', () => {
    const random = rng(1)
    let ties = 0
    for (const win of windows(random)) {
      const values = stressValues(win.fn, win.center, win.width, win.yMin, win.yMax, random)
      const data = Float64Array.from(values)
      // The solved x must hit y + 0.5 exactly on an integer for many windows, or the tie
      // handling would go untested.
      for (const x of values) {
        const c = win.fn === 'LINEAR' ? win.center - 0.5 : win.center
        const w = win.fn === 'LINEAR' ? win.width - 1 : win.width
        if (x > c - w / 2 && x <= c + w / 2) {
          const t = ((x - c) / w + 0.5) * (win.yMax - win.yMin) + win.yMin + 0.5
          if (t === Math.floor(t)) ties++
        }
      }
      expectIdentical(data, win.fn, win.center, win.width, win.yMin, win.yMax)
    }
    expect(ties).toBeGreaterThan(1000)
  })

  it('is bit-identical on float32 input (ties and edges rounded to float32 and their float32 neighbours)', () => {
    const random = rng(2)
    for (const win of windows(random)) {
      const values = stressValues(win.fn, win.center, win.width, win.yMin, win.yMax, random)
      const f32 = Float32Array.from(values)
      const withNeighbours = new Float32Array(f32.length * 3)
      const u = new Uint32Array(withNeighbours.buffer)
      for (let i = 0; i < f32.length; i++) {
        withNeighbours[3 * i] = f32[i]
        withNeighbours[3 * i + 1] = f32[i]
        withNeighbours[3 * i + 2] = f32[i]
        if (Number.isFinite(f32[i]) && f32[i] !== 0) {
          u[3 * i + 1]++ // one float32 ulp further from 0
          u[3 * i + 2]-- // one float32 ulp closer to 0
        }
      }
      expectIdentical(withNeighbours, win.fn, win.center, win.width, win.yMin, win.yMax)
    }
  })

  it('is bit-identical on integer input without a lookup table (int32 and uint32 over a wide range)', () => {
    const random = rng(3)
    const n = 5003 // wider than the lookup-table limit (span > length) and not a multiple of 4
    const i32 = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -2147483648 + i : i % 3 === 1 ? 2147483647 - i : Math.round((random() - 0.5) * 6000)))
    const u32 = Uint32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 4294967295 - i : Math.round(random() * 4000)))
    for (const win of windows(random).slice(0, 60)) {
      expectIdentical(i32, win.fn, win.center, win.width, win.yMin, win.yMax)
      expectIdentical(u32, win.fn, win.center, win.width, win.yMin, win.yMax)
    }
  })

  it('agrees with the lookup-table path of the integer types (int8, uint8, int16, uint16)', () => {
    const random = rng(4)
    const types = [Int8Array, Uint8Array, Int16Array, Uint16Array] as const
    for (const win of windows(random).slice(0, 40)) {
      for (const T of types) {
        const data = new T(1001)
        for (let i = 0; i < data.length; i++) data[i] = Math.round(win.center + (random() - 0.5) * 2 * Math.max(win.width, 4))
        expectIdentical(data, win.fn, win.center, win.width, win.yMin, win.yMax)
        const viaFloat = applyWindow(makeImage([data.length], { data: Float64Array.from(data) }), win, { fn: win.fn, outMin: win.yMin, outMax: win.yMax })
        const viaLut = applyWindow(makeImage([data.length], { data }), win, { fn: win.fn, outMin: win.yMin, outMax: win.yMax })
        expect(Array.from(viaLut.data as Uint8Array)).toEqual(Array.from(viaFloat.data as Uint8Array))
      }
    }
  })

  it('handles every length modulo the 4-pixel packing and input views at odd offsets', () => {
    const random = rng(5)
    const buffer = new Float32Array(64)
    for (let i = 0; i < buffer.length; i++) buffer[i] = -200 + random() * 500
    buffer[7] = NaN
    buffer[12] = Infinity
    buffer[13] = -Infinity
    for (let start = 0; start < 5; start++) {
      for (let len = 1; len <= 13; len++) {
        const view = buffer.subarray(start, start + len)
        expectIdentical(view, 'LINEAR', 50, 350, 0, 255)
        expectIdentical(view, 'LINEAR_EXACT', 40, 80, 12, 200)
      }
    }
  })

  it('maps a 512×512 CT-like float32 slice exactly as the standard does (the benchmarked case)', () => {
    const random = rng(6)
    const n = 512
    const data = new Float32Array(n * n)
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const r = Math.hypot(x - n / 2, y - n / 2) / (n / 2)
        data[x + n * y] = (r > 0.9 ? -1000 : r > 0.6 ? -800 : r > 0.2 ? 40 : 700) + Math.round(random() * 60) - 30
      }
    }
    for (const [center, width] of [[50, 350], [-600, 1500], [40, 80]]) {
      expectIdentical(data, 'LINEAR', center, width, 0, 255)
      expectIdentical(data, 'LINEAR_EXACT', center, width, 0, 255)
    }
  })
})

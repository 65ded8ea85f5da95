// src/xray against numpy / scipy / scikit-image (tests/reference/xray/make-xray-reference.py):
// the same analytic inputs, outputs within 1e-4 of the reference's range.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeImage, type Image } from '../../../src/image'
import { deviationIndex, detectDefects, flatFieldCorrect, interpolateDefects, invertMonochrome1, percentileWindow, resizeAntialiased } from '../../../src/xray'

const ref = JSON.parse(readFileSync(new URL('../../reference/xray/xray-reference.json', import.meta.url), 'utf8'))
const [NX, NY] = ref.size as [number, number]

function field(nx: number, ny: number, f: (x: number, y: number) => number): Float64Array {
  const out = new Float64Array(nx * ny)
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[y * nx + x] = f(x, y)
  return out
}

/** The script's frames(): dark, gain (dead pixels, a weak column), flood and raw. */
function frames() {
  const dark = field(NX, NY, (x, y) => 200 + 20 * Math.sin(0.7 * x + 1.3 * y))
  const gain = field(NX, NY, (x, y) => 1 + 0.1 * Math.cos(0.37 * x) * Math.sin(0.23 * y) + 0.03 * Math.cos(2.1 * x))
  for (const [i, j] of [[3, 5], [17, 11], [30, 20]]) gain[j * NX + i] = 0
  for (let j = 0; j < NY; j++) gain[j * NX + 9] = 0.4
  for (const [i, j] of [[8, 2], [25, 15]]) dark[j * NX + i] += 3000
  const flood = dark.map((d, k) => d + gain[k] * 5000)
  const raw = dark.map((d, k) => {
    const x = k % NX
    const y = (k - x) / NX
    return d + gain[k] * 3000 * Math.exp(-((x - 16) ** 2 + (y - 12) ** 2) / 150) + 7 * Math.sin(0.9 * x * y)
  })
  const img = (data: Float64Array) => makeImage([NX, NY], { data })
  return { dark: img(dark), flood: img(flood), raw: img(raw) }
}

/** Largest |a − b| over the reference's range. */
function relError(got: Image | ArrayLike<number>, want: number[]): number {
  const g = 'data' in (got as Image) ? ((got as Image).data as ArrayLike<number>) : (got as ArrayLike<number>)
  expect(g.length).toBe(want.length)
  let lo = Infinity
  let hi = -Infinity
  for (const v of want) {
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  let worst = 0
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(g[i] - want[i]))
  return worst / (hi - lo)
}

describe('flat-field correction (numpy)', () => {
  const { dark, flood, raw } = frames()
  it('offset and gain: (R − D) / g, g = (F − D) / mean(F − D), dead pixels 0', () => {
    expect(relError(flatFieldCorrect(raw, { dark, flood }), ref.flatField)).toBeLessThan(1e-4)
  })
  it('offset only and gain only', () => {
    expect(relError(flatFieldCorrect(raw, { dark }), ref.offsetOnly)).toBeLessThan(1e-4)
    expect(relError(flatFieldCorrect(raw, { flood }), ref.gainOnly)).toBeLessThan(1e-4)
  })
})

describe('defects (numpy median / MAD; scipy generic_filter nanmedian)', () => {
  const { dark, flood, raw } = frames()
  it('detectDefects finds the hot pixels, dead pixels and the weak column, as the reference', () => {
    const map = detectDefects(dark, flood)
    expect(Array.from(map.data as Uint8Array)).toEqual(ref.defects)
    expect(map.metadata.get('defects:count')).toBe(29)
  })
  it('interpolateDefects: median of valid 8-neighbours, a 3 × 3 cluster filled over two passes', () => {
    const mask = makeImage([NX, NY], { data: Uint8Array.from(ref.fillMask) })
    const filled = interpolateDefects(flatFieldCorrect(raw, { dark, flood }), mask)
    expect(relError(filled, ref.filled)).toBeLessThan(1e-4)
    expect(filled.metadata.get('defects:unfilled')).toBe(0)
  })
})

describe('radiograph preparation', () => {
  const { raw } = frames()
  it('percentileWindow: numpy.percentile 2 / 98, clipped to [0, 1]', () => {
    const w = percentileWindow(raw, { low: 2, high: 98 })
    expect(Math.abs((w.metadata.get('percentileWindow:low') as number) - ref.percentile.low)).toBeLessThan(1e-9 * ref.percentile.high)
    expect(Math.abs((w.metadata.get('percentileWindow:high') as number) - ref.percentile.high)).toBeLessThan(1e-9 * ref.percentile.high)
    expect(relError(w, ref.percentile.image)).toBeLessThan(1e-4)
  })
  it('invertMonochrome1: min + max − v', () => {
    const inv = invertMonochrome1(raw)
    expect(relError(inv, ref.invert)).toBeLessThan(1e-4)
    expect(inv.metadata.get('PhotometricInterpretation')).toBe('MONOCHROME2')
  })
  it('deviationIndex = 10 log10(EI / EI_T)', () => {
    for (const [ei, t, di] of ref.deviationIndex) expect(deviationIndex(ei, t)).toBeCloseTo(di, 12)
  })
  for (const c of ref.resize as { input: [number, number]; size: [number, number]; antiAliasing: boolean; image: number[] }[]) {
    it(`resizeAntialiased ${c.input.join('×')} → ${c.size.join('×')} matches skimage resize(order=1, anti_aliasing=${c.antiAliasing})`, () => {
      const [nx, ny] = c.input
      const p = makeImage([nx, ny], { data: field(nx, ny, (x, y) => 0.5 + 0.4 * Math.sin((2 * Math.PI * x) / 2.7) * (y < 60 ? 1 : 0) + 0.3 * Math.cos((2 * Math.PI * (x + y)) / 4.1) + y / 200) })
      const out = resizeAntialiased(p, c.size, c.antiAliasing ? {} : { sigma: 0 })
      expect(out.size).toEqual(c.size)
      expect(relError(out, c.image)).toBeLessThan(1e-4)
    })
  }
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { XrayAcquisitionError, contrastToNoise, lesionContrastToNoise, simulateXrayAcquisition, type XrayAcquisitionOptions } from '../../../src/physics'
import { makeImage } from '../../../src/image'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/physics/xray-acquisition.json'), 'utf8')) as {
  size: [number, number]; spacing: [number, number]; lineIntegrals: number[]
  cases: { options: XrayAcquisitionOptions; primary: number[]; scatter: number[]; spr: number; unsharpnessMm: number }[]
}
const input = () => makeImage(ref.size, { spacing: ref.spacing, data: Float32Array.from(ref.lineIntegrals) })

describe('simulateXrayAcquisition vs numpy + scipy.ndimage (expected images, noise off)', () => {
  for (const [k, c] of ref.cases.entries()) {
    it(`case ${k}: SPR ${c.options.scatterToPrimary}, grid ${c.options.grid ? 'on' : 'off'}, M ${c.options.magnification}, f ${c.options.focalSpotMm} mm`, () => {
      const r = simulateXrayAcquisition(input(), { ...c.options, noise: false })
      const P = r.primary.data as Float32Array
      const S = r.scatter.data as Float32Array
      const maxP = Math.max(...c.primary)
      for (let i = 0; i < P.length; i++) {
        expect(Math.abs(P[i] - c.primary[i])).toBeLessThan(1e-6 * maxP)
        expect(Math.abs(S[i] - c.scatter[i])).toBeLessThan(1e-6 * maxP)
      }
      expect(r.scatterToPrimary).toBeCloseTo(c.spr, 5)
      expect(r.unsharpnessMm).toBeCloseTo(c.unsharpnessMm, 12)
    })
  }
})

describe('simulateXrayAcquisition physics', () => {
  it('detected counts are Poisson: mean and variance equal the expectation on a uniform field', () => {
    const flat = makeImage([128, 128], { spacing: [1, 1], data: new Float32Array(128 * 128).fill(1.5) })
    const r = simulateXrayAcquisition(flat, { photonsPerPixel: 400, seed: 3 })
    const d = r.detected.data as Float32Array
    const n = d.length
    const mean = d.reduce((a, b) => a + b, 0) / n
    const variance = d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
    const expected = 400 * Math.exp(-1.5)
    // standard errors of the sample mean and variance for Poisson(89.25) with 16 384 samples: 0.074 and ~1.0
    expect(Math.abs(mean - expected)).toBeLessThan(0.4)
    expect(Math.abs(variance / expected - 1)).toBeLessThan(0.05)
  })
  it('the log image of the expectation gives back the line integrals without scatter', () => {
    const r = simulateXrayAcquisition(input(), { noise: false })
    const g = r.logImage.data as Float32Array
    ref.lineIntegrals.forEach((l, i) => expect(g[i]).toBeCloseTo(l, 5))
  })
  it('scatter lowers the contrast of a lesion; a grid restores part of it', () => {
    const cnr = (o: XrayAcquisitionOptions) => {
      const r = simulateXrayAcquisition(input(), { photonsPerPixel: 20000, noise: false, ...o })
      const g = r.logImage.data as Float32Array
      return g[8 * 32 + 20] - g[8 * 32 + 12] // inside the small dense ellipse vs beside it
    }
    const none = cnr({})
    const withScatter = cnr({ scatterToPrimary: 2 })
    const withGrid = cnr({ scatterToPrimary: 2, grid: { primaryTransmission: 0.7, scatterTransmission: 0.1 } })
    expect(none).toBeCloseTo(2, 5)
    expect(withScatter).toBeLessThan(0.6 * none)
    expect(withGrid).toBeGreaterThan(withScatter)
    expect(withGrid).toBeLessThan(none)
  })
  it('contrastToNoise = |mean A − mean B| / SD B', () => {
    const img = makeImage([4, 2], { data: Float32Array.from([10, 10, 1, 3, 10, 10, 1, 3]) })
    expect(contrastToNoise(img, [0, 0, 2, 2], [2, 0, 4, 2])).toBeCloseTo(8, 12)
  })
  it('refuses bad input with codes', () => {
    const code = (f: () => unknown) => { try { f(); return 'none' } catch (e) { return e instanceof XrayAcquisitionError ? e.code : 'other' } }
    expect(code(() => simulateXrayAcquisition(makeImage([2, 2, 2])))).toBe('BAD_IMAGE')
    expect(code(() => simulateXrayAcquisition(input(), { magnification: 0.5 }))).toBe('BAD_OPTION')
    expect(code(() => simulateXrayAcquisition(input(), { grid: { primaryTransmission: 0, scatterTransmission: 0.1 } }))).toBe('BAD_OPTION')
  })
})

describe('lesionContrastToNoise', () => {
  // The same line integrals without the small dense ellipse (2.0 added inside it).
  const withoutLesion = () => {
    const img = input()
    const d = img.data as Float32Array
    for (let y = 0; y < 24; y++) for (let x = 0; x < 32; x++) if (((x - 20) / 3) ** 2 + ((y - 8) / 2) ** 2 < 1) d[y * 32 + x] -= 2
    return img
  }
  const q = (o: XrayAcquisitionOptions) =>
    lesionContrastToNoise(simulateXrayAcquisition(input(), { seed: 5, ...o }), simulateXrayAcquisition(withoutLesion(), { ...o, noise: false }), [19, 7, 22, 10])
  it('the contrast is the lesion alone: 2 in the log image without scatter', () => {
    const r = simulateXrayAcquisition(input(), { noise: false })
    const r0 = simulateXrayAcquisition(withoutLesion(), { noise: false })
    // noise-free: SD 0, so the CNR is infinite; the contrast itself is checked through the log images
    expect(lesionContrastToNoise(r, r0, [19, 7, 22, 10])).toBe(Infinity)
    expect((r.logImage.data as Float32Array)[8 * 32 + 20] - (r0.logImage.data as Float32Array)[8 * 32 + 20]).toBeCloseTo(2, 5)
  })
  it('grows as the square root of the dose and falls with scatter', () => {
    const low = q({ photonsPerPixel: 2000 })
    const high = q({ photonsPerPixel: 200000 })
    expect(high / low).toBeGreaterThan(6)
    expect(high / low).toBeLessThan(16)
    expect(q({ photonsPerPixel: 200000, scatterToPrimary: 3 })).toBeLessThan(0.6 * high)
  })
})

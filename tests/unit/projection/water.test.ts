/** Water linearisation: fit and polychromatic projections equal numpy's; the fit removes cupping of a water cylinder. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { applyWaterLinearization, attenuationToHu, fitWaterLinearization, leastSquares, polychromaticProjection, ProjectionError } from '../../../src/projection/index'
import { iradon, radon } from '../../../src/recon/index'

const W = JSON.parse(readFileSync(new URL('../../reference/projection/projection-reference.json', import.meta.url), 'utf8')).water
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)

describe('fitWaterLinearization against numpy', () => {
  const fit = fitWaterLinearization({ degree: W.degree, maxCm: W.maxCm, samples: W.samples })
  it('calibration p(t) within 1e-9 relative; target μ within 1e-9', () => {
    expect(rel(fit.targetMuPerCm, W.targetMuPerCm)).toBeLessThan(1e-9)
    for (let i = 1; i < W.samples; i++) expect(rel(fit.polychromatic[i], W.polychromatic[i])).toBeLessThan(1e-9)
  })
  it('coefficients equal np.linalg.lstsq within 1e-4 relative; same max residual', () => {
    for (let k = 0; k < W.degree; k++) expect(rel(fit.coefficients[k], W.coefficients[k])).toBeLessThan(1e-4)
    expect(rel(fit.maxResidual, W.maxResidual)).toBeLessThan(1e-4)
  })
  it('polychromaticProjection of fixed lengths equals numpy', () => {
    const L = makeImage([W.lengthsCm.length, 1], { data: Float64Array.from(W.lengthsCm) })
    const p = pixelData(polychromaticProjection(L))
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - W.lengthProjections[i])).toBeLessThan(1e-9 * Math.max(1, W.lengthProjections[i]))
  })
})

describe('leastSquares', () => {
  it('solves an exact system and a Vandermonde fit like the normal equations would', () => {
    const x = leastSquares([1, 1, 1, 2, 1, 3], [6, 8, 10], 3, 2)
    expect(x[0]).toBeCloseTo(4, 12)
    expect(x[1]).toBeCloseTo(2, 12)
    expect(() => leastSquares([1, 2, 2, 4], [1, 1], 2, 2)).toThrow(ProjectionError)
  })
})

describe('cupping of a water cylinder', () => {
  // A 30 cm water cylinder on a 128-pixel grid, 0.25 cm pixels.
  const n = 128
  const px = 0.25
  const data = new Float64Array(n * n)
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if ((x - 64) ** 2 + (y - 64) ** 2 <= 60 ** 2) data[y * n + x] = 1
  const cylinder = makeImage([n, n], { data })
  const lengths = radon(cylinder, { angles: Array.from({ length: 90 }, (_, i) => i * 2) })
  const poly = polychromaticProjection(lengths, { cmPerUnit: px })
  const fit = fitWaterLinearization()
  const mu = fit.targetMuPerCm * px
  const mono = pixelData(iradon(makeImage([...lengths.size], { data: pixelData(lengths).map((v) => v * px * fit.targetMuPerCm) })))
  /** Largest |image − monochromatic reconstruction| within 50 pixels of the centre, in HU of the target μ. */
  const worstHu = (img: ReturnType<typeof iradon>) => {
    const v = pixelData(img)
    let d = 0
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if ((x - 64) ** 2 + (y - 64) ** 2 < 50 ** 2) d = Math.max(d, (1000 * Math.abs(v[y * n + x] - mono[y * n + x])) / mu)
    return d
  }
  const centreEdge = (v: ArrayLike<number>) => {
    let c = 0
    let e = 0
    for (let y = 60; y < 68; y++) for (let x = 60; x < 68; x++) c += v[y * n + x] / 64
    for (let y = 60; y < 68; y++) for (let x = 14; x < 22; x++) e += v[y * n + x] / 64
    return (e - c) / e
  }
  it('without linearisation: cupping, the centre darker than the edge by more than 3 % (the ideal image: under 1 %)', () => {
    expect(centreEdge(pixelData(iradon(poly)))).toBeGreaterThan(0.03)
    expect(Math.abs(centreEdge(mono))).toBeLessThan(0.01)
    expect(worstHu(iradon(poly))).toBeGreaterThan(100)
  })
  it('with linearisation: within 10 HU of the monochromatic reconstruction everywhere inside r < 50 px', () => {
    const img = iradon(applyWaterLinearization(poly, fit.coefficients))
    expect(worstHu(img)).toBeLessThan(10)
    expect(Math.abs(centreEdge(pixelData(img)))).toBeLessThan(0.01)
  })
  it('attenuationToHu: water 0, air −1000; bad options rejected', () => {
    const img = makeImage([2, 1], { data: Float64Array.of(0.2, 0) })
    expect(Array.from(pixelData(attenuationToHu(img, { muWater: 0.2 })))).toEqual([0, -1000])
    expect(() => attenuationToHu(img, { muWater: 0 })).toThrow(ProjectionError)
    expect(() => applyWaterLinearization(img, [])).toThrow(ProjectionError)
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  MriPrepError, apodize, applyMask, fft2, homodyne, maskFraction, noiseCovariance, pocs, pointSpread, prewhiten, rssCombine,
  samplingMask, sensitivityCombine, ifft2, coilCompress, hermitianEigen, synthesizeCoils, whiteningMatrix, window1d, zeroFill, complexMagnitude,
} from '../../../src/mri'
import { makeImage, type Image } from '../../../src/image'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/mri-kspace/reference.json'), 'utf8'))
type C = { re: number[]; im: number[] }

const complex = (size: number[], c: C): Image => {
  const d = new Float64Array(2 * c.re.length)
  c.re.forEach((v, i) => { d[2 * i] = v; d[2 * i + 1] = c.im[i] })
  const im = makeImage(size, { data: d, components: 2 })
  ;(im.imageType as { pixelType: string }).pixelType = 'Complex'
  return im
}
const parts = (img: Image) => {
  const d = img.data as Float64Array
  const re: number[] = []
  const im: number[] = []
  for (let i = 0; i < d.length; i += 2) { re.push(d[i]); im.push(d[i + 1]) }
  return { re, im }
}
/** max |a − b| / (max |b| − min |b|) over real and imaginary parts. */
function relErr(a: number[], b: number[]): number {
  let lo = Infinity
  let hi = -Infinity
  let e = 0
  b.forEach((v, i) => { lo = Math.min(lo, v); hi = Math.max(hi, v); e = Math.max(e, Math.abs(a[i] - v)) })
  return e / (hi - lo || 1)
}
const expectClose = (a: C, b: C, tol = 1e-4) => {
  const all = [...b.re, ...b.im]
  expect(relErr([...a.re, ...a.im], all)).toBeLessThan(tol)
}

// The test object of make-reference.py.
const [nx, ny] = ref.size as [number, number]
function testObject(): Image {
  const re: number[] = []
  const im: number[] = []
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const u = (x - nx / 2) / (nx / 2)
    const v = (y - ny / 2) / (ny / 2)
    const m = (u * u / 0.49 + v * v / 0.64 < 1 ? 1 + 0.5 * Math.cos(3 * Math.PI * u) * Math.sin(2 * Math.PI * v) : 0) + 0.3 * Math.exp(-((u - 0.2) ** 2 + (v + 0.1) ** 2) / 0.02)
    const p = 0.9 * u - 0.6 * v + 0.5 * Math.cos(Math.PI * u * v)
    re.push(m * Math.cos(p))
    im.push(m * Math.sin(p))
  }
  return complex([nx, ny], { re, im })
}
const k = fft2(testObject(), { shift: true })
const pfMask = samplingMask([nx, ny], { kind: 'partial-fourier', fraction: 0.625 })
const kpf = applyMask(k, pfMask)

describe('k-space conventions vs bart', () => {
  it('fft2 {shift} = bart fft -u times √N and (−1)^(x+y) (sizes multiple of 4)', () => {
    const p = parts(k)
    const s = Math.sqrt(nx * ny)
    const mine = { re: p.re.map((v, i) => (v / s) * (-1) ** ((i % nx) + Math.floor(i / nx))), im: p.im.map((v, i) => (v / s) * (-1) ** ((i % nx) + Math.floor(i / nx))) }
    expectClose(mine, ref.bartFft)
  })
  it('zeroFill equals bart resize -c', () => {
    const out = zeroFill(complex([7, 5], ref.resize.in), [12, 8])
    expect(out.size).toEqual([12, 8])
    expectClose(parts(out), ref.resize.out, 1e-6)
  })
})

describe('partial Fourier', () => {
  it('the 5/8 mask keeps lines y < 20 of 32', () => {
    const m = pfMask.data as Uint8Array
    expect(m[19 * nx]).toBe(1)
    expect(m[20 * nx]).toBe(0)
    expect(maskFraction(pfMask)).toBeCloseTo(20 / 32, 12)
  })
  for (const [key, opts] of [['default', {}], ['r05', { alpha: 0.5 }], ['clear', {}]] as const) {
    it(`homodyne equals bart homodyne (${key})`, () => {
      const h = parts(homodyne(kpf, { fraction: 0.625, ...opts }))
      expect(relErr(h.re, ref.homodyne[key])).toBeLessThan(1e-4)
      expect(Math.max(...h.im.map(Math.abs))).toBe(0)
    })
  }
  it('POCS equals the numpy implementation and beats zero-filling', () => {
    const p = pocs(kpf, { fraction: 0.625, iterations: 10 })
    expectClose(parts(p), ref.pocs10)
    const mag = complexMagnitude(p).data as Float32Array
    const truth = complexMagnitude(testObject()).data as Float32Array
    const zf = complexMagnitude(ifft2(kpf, { shift: true })).data as Float32Array
    const rm = (a: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - truth[i]) ** 2, 0) / a.length)
    expect(rm(mag)).toBeCloseTo(ref.pocsError, 4)
    expect(rm(zf)).toBeCloseTo(ref.zeroFilledError, 4)
    expect(rm(mag)).toBeLessThan(rm(zf) / 3)
  })
})

describe('windows and PSF', () => {
  it('Hann and Tukey equal scipy.signal.windows (sym=False)', () => {
    const cmp = (a: Float64Array, b: number[]) => b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12))
    cmp(window1d(32, { window: 'hann' }), ref.windows.hann32)
    cmp(window1d(7, { window: 'hann' }), ref.windows.hann7)
    cmp(window1d(32, { window: 'tukey', alpha: 0.5 }), ref.windows.tukey32_05)
    cmp(window1d(48, { window: 'tukey', alpha: 0.3 }), ref.windows.tukey48_03)
    cmp(window1d(9, { window: 'tukey', alpha: 0.8 }), ref.windows.tukey9_08)
  })
  it('apodize multiplies by w(kx)·w(ky): centre unchanged, edge row zero for Hann', () => {
    const a = parts(apodize(k, { window: 'hann' }))
    const p = parts(k)
    const c = (ny / 2) * nx + nx / 2
    expect(a.re[c]).toBeCloseTo(p.re[c], 12)
    expect(Math.abs(a.re[5])).toBe(0)
  })
  it('apodize with an extent windows only the central matrix and zeroes the rest', () => {
    const a = parts(apodize(k, { window: 'hann', extent: [24, 16] }))
    const p = parts(k)
    const c = (ny / 2) * nx + nx / 2
    expect(a.re[c]).toBeCloseTo(p.re[c], 12)
    expect(Math.abs(a.re[(ny / 2) * nx + nx / 2 + 12])).toBe(0) // x = 36, outside 12..35
    expect(Math.abs(a.re[(ny / 2 + 8) * nx + nx / 2])).toBe(0) // y = 24, outside 8..23
    const w = window1d(24, { window: 'hann' })
    expect(a.re[(ny / 2) * nx + nx / 2 + 5] / p.re[(ny / 2) * nx + nx / 2 + 5]).toBeCloseTo(w[17], 10)
    expect(() => apodize(k, { extent: [100, 16] })).toThrow(MriPrepError)
  })
  it('the low-resolution mask keeps the central keep · n samples in each direction', () => {
    const m = samplingMask([nx, ny], { kind: 'low-resolution', keep: 0.5 })
    expect(maskFraction(m)).toBeCloseTo(0.25, 12)
    const d = m.data as Uint8Array
    expect(d[8 * nx + 12]).toBe(1)
    expect(d[8 * nx + 11]).toBe(0)
    expect(d[7 * nx + 12]).toBe(0)
    expect(d[23 * nx + 35]).toBe(1)
  })
  it('the PSF of R = 2 uniform sampling without ACS has a ghost half a FOV away of equal height', () => {
    const psf = pointSpread(samplingMask([nx, ny], { kind: 'uniform', acceleration: 2, acs: 0 })).data as Float64Array
    expect(psf[(ny / 2) * nx + nx / 2]).toBeCloseTo(1, 12)
    expect(psf[0 * nx + nx / 2]).toBeCloseTo(1, 12)
    const full = pointSpread(samplingMask([nx, ny])).data as Float64Array
    expect(full[0 * nx + nx / 2]).toBeCloseTo(0, 12)
  })
  it('uniform R = 4 with 8 ACS lines; variable density hits 1/R and is seeded', () => {
    const u = samplingMask([nx, ny], { kind: 'uniform', acceleration: 4, acs: 8 })
    expect(maskFraction(u)).toBeCloseTo((8 + 6) / 32, 12) // every 4th line from 16: 8 lines; ACS 12..19: 8 lines; 12 and 16 in both
    const vd = samplingMask([64, 64], { kind: 'variable-density', acceleration: 4, seed: 5 })
    expect(Math.abs(maskFraction(vd) - 0.25)).toBeLessThan(0.03)
    expect((vd.data as Uint8Array)[32 * 64 + 32]).toBe(1)
    const again = samplingMask([64, 64], { kind: 'variable-density', acceleration: 4, seed: 5 })
    expect(Array.from(again.data as Uint8Array)).toEqual(Array.from(vd.data as Uint8Array))
    const other = samplingMask([64, 64], { kind: 'variable-density', acceleration: 4, seed: 6 })
    expect(Array.from(other.data as Uint8Array)).not.toEqual(Array.from(vd.data as Uint8Array))
  })
})

describe('multi-coil vs bart whiten / rss', () => {
  const c = ref.coils
  const noise = c.noise.map((n: C) => complex([n.re.length, 1], n))
  const data = c.data.map((d: C) => complex(c.size, d))
  it('noiseCovariance equals bart whiten covariance', () => {
    const psi = noiseCovariance(noise)
    expectClose({ re: Array.from(psi.re), im: Array.from(psi.im) }, c.bartCovariance)
    const W = whiteningMatrix(psi)
    expectClose({ re: Array.from(W.re), im: Array.from(W.im) }, c.numpyWhiteningMatrix)
  })
  it('prewhiten equals bart whiten output', () => {
    const w = prewhiten(data, noiseCovariance(noise))
    w.forEach((img, i) => expectClose(parts(img), c.bartWhitened[i]))
  })
  it('rssCombine equals bart rss 8', () => {
    expect(relErr(Array.from(rssCombine(data).data as Float64Array), c.bartRss)).toBeLessThan(1e-4)
  })
  it('sensitivityCombine equals Roemer in numpy', () => {
    const s = c.sens.map((d: C) => complex(c.size, d))
    expectClose(parts(sensitivityCombine(data, s, { covariance: noiseCovariance(noise) })), c.numpyRoemer, 1e-6)
  })
})

describe('SVD coil compression vs bart cc -S -A', () => {
  const c = ref.compression
  const data = c.data.map((d: C) => complex(c.size, d))
  it('2 virtual coils: their RSS equals bart cc -p 2 -S -A; singular values equal numpy', () => {
    const r = coilCompress(data, { virtualCoils: 2 })
    expect(r.coils.length).toBe(2)
    expect(relErr(Array.from(rssCombine(r.coils).data as Float64Array), c.bartRss2)).toBeLessThan(1e-4)
    c.numpySingularValues.forEach((v: number, i: number) => expect(Math.abs(r.singularValues[i] - v) / c.numpySingularValues[0]).toBeLessThan(1e-6)) // data stored to 7 digits
    expect(r.energy).toBeGreaterThan(0.75)
  })
  it('keeping all coils keeps the RSS; the eigenvectors diagonalise the Gram matrix', () => {
    const all = coilCompress(data, { virtualCoils: 6 })
    expect(relErr(Array.from(rssCombine(all.coils).data as Float64Array), Array.from(rssCombine(data).data as Float64Array))).toBeLessThan(1e-12)
    expect(all.energy).toBeCloseTo(1, 12)
    const g = noiseCovariance(data)
    const { values, vectors: v } = hermitianEigen(g)
    const n = g.n
    // ‖G v_j − λ_j v_j‖ small for every j
    for (let j = 0; j < n; j++) {
      let e = 0
      for (let i = 0; i < n; i++) {
        let sr = 0
        let si = 0
        for (let k2 = 0; k2 < n; k2++) {
          sr += g.re[i * n + k2] * v.re[k2 * n + j] - g.im[i * n + k2] * v.im[k2 * n + j]
          si += g.re[i * n + k2] * v.im[k2 * n + j] + g.im[i * n + k2] * v.re[k2 * n + j]
        }
        e = Math.max(e, Math.hypot(sr - values[j] * v.re[i * n + j], si - values[j] * v.im[i * n + j]))
      }
      expect(e).toBeLessThan(1e-9 * values[0])
    }
    expect(() => coilCompress(data, { virtualCoils: 7 })).toThrow(MriPrepError)
  })
})

describe('synthesizeCoils', () => {
  const mag = makeImage([32, 32], { data: Float64Array.from({ length: 1024 }, (_, i) => ((i % 32) > 8 && (i % 32) < 24 ? 1 : 0.2)) })
  it('the pre-scan noise has the chosen covariance, and whitening makes it the identity', () => {
    const s = synthesizeCoils(mag, { coils: 4, noise: 0.05, correlation: 0.5, noiseSamples: 20000, seed: 2 })
    const psi = noiseCovariance(s.noise)
    for (let i = 0; i < 16; i++) expect(Math.abs(psi.re[i] - s.covariance.re[i])).toBeLessThan(0.05 * s.covariance.re[0] + 1e-4)
    const white = noiseCovariance(prewhiten(s.noise, psi))
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(white.re[i * 4 + j]).toBeCloseTo(i === j ? 1 : 0, 8)
  })
  it('without noise, the Roemer combination returns the object exactly', () => {
    const s = synthesizeCoils(mag, { coils: 8, noise: 0 })
    const r = parts(sensitivityCombine(s.coils, s.sensitivities))
    expectClose(r, parts(s.object), 1e-9)
  })
})

describe('errors', () => {
  it('reports bad options with codes, before allocating', () => {
    expect(() => samplingMask([32, 32], { kind: 'partial-fourier', fraction: 0.3 })).toThrow(MriPrepError)
    expect(() => samplingMask([32, 32], { kind: 'uniform', acceleration: 2.5 })).toThrowError(/integer/)
    expect(() => homodyne(k, { alpha: 2 })).toThrowError(/alpha/)
    try { applyMask(k, samplingMask([8, 8])) } catch (e) { expect((e as MriPrepError).code).toBe('SIZE_MISMATCH') }
    const bad = { n: 2, re: Float64Array.from([1, 2, 2, 1]), im: new Float64Array(4) }
    try { whiteningMatrix(bad) } catch (e) { expect((e as MriPrepError).code).toBe('NOT_POSITIVE_DEFINITE') }
    expect(() => whiteningMatrix(bad)).toThrow(MriPrepError)
  })
})

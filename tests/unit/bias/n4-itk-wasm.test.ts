/**
 * n4BiasFieldCorrection with backend 'itk-wasm': the committed WebAssembly build of ITK 5.2.1's
 * N4 pipeline (public/pipelines/n4-bias-field-correction, scripts/wasm/build-n4.sh) run through
 * itk-wasm's runPipelineNode, against the native ITK 5.2 outputs of tests/reference/bias and
 * against the TypeScript port.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { n4BiasFieldCorrection } from '../../../src/bias/index'
import type { N4Result } from '../../../src/bias/index'
import { makeImage } from '../../../src/image'
import { loadF32, loadLogBias, loadU8, meta, pearson } from './fixture'

const direction = [0, 1, 0, -1, 0, 0, 0, 0, 1] // a rotated grid: the result must not depend on it
const image = makeImage(meta.size, { data: loadF32('image.f32.gz'), spacing: meta.spacing, origin: [-90, 126, -72], direction })
const maskData = loadU8('mask.u8.gz')
const maskImage = makeImage(meta.size, { data: maskData, spacing: meta.spacing })
const logOf = (r: N4Result) => Float64Array.from(r.biasField.data as Float32Array, Math.log)
const wasm = { backend: 'itk-wasm' } as const

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, mask: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) if (mask[i]) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

describe("n4BiasFieldCorrection backend 'itk-wasm' (ITK 5.2.1 compiled to WebAssembly)", () => {
  let withMask: N4Result
  const progress: [number, string | undefined][] = []
  beforeAll(async () => {
    withMask = await n4BiasFieldCorrection(image, {
      ...wasm,
      maskImage,
      shrinkFactor: 2,
      numberOfIterations: [50, 50, 50, 50],
      onProgress: (f, m) => progress.push([f, m]),
    })
  })

  it('matches native ITK 5.2: brain mask, shrink 2, 50×4 levels', () => {
    const itk = loadLogBias('itk_logbias_mask.i16.gz')
    const ours = logOf(withMask)
    // Measured: Pearson 0.99999996, max |Δ log field| 5.2e-5 = the int16 × 1e4 rounding of the
    // stored native field: the same code gives the same field.
    expect(pearson(ours, itk, maskData)).toBeGreaterThan(0.9999)
    expect(maxAbsDiff(ours, itk, maskData)).toBeLessThan(2e-4)
    // The module reports the iterations actually run (ITK's counter reads one more).
    expect(withMask.iterations[3] + 1).toBe(Number(meta.itkMask.iterations_last_level))
    expect(withMask.iterations).toHaveLength(4)
  })

  it('matches native ITK 5.2 without a mask (ITK Otsu mask inside the module), shrink 2, 20×3 levels', async () => {
    const r = await n4BiasFieldCorrection(image, { ...wasm, shrinkFactor: 2, numberOfIterations: [20, 20, 20] })
    const otsu = loadU8('otsu_mask.u8.gz')
    const ours = logOf(r)
    // Measured: Pearson 0.99999992.
    expect(pearson(ours, loadLogBias('itk_logbias_otsu.i16.gz'), otsu)).toBeGreaterThan(0.9999)
    expect(maxAbsDiff(ours, loadLogBias('itk_logbias_otsu.i16.gz'), otsu)).toBeLessThan(2e-4)
    // ITK's last level ran to its maximum (its post-increment counter reports 21).
    expect(r.iterations[2]).toBe(Number(meta.itkOtsu.iterations_last_level) - 1)
  })

  it('matches native ITK 5.2 in 2D (axial slice, shrink 1, 50×3 levels)', async () => {
    const size = meta.itk2d.size
    const sliceMask = loadU8('slice2d_mask.u8.gz')
    const slice = makeImage(size, { data: loadF32('slice2d.f32.gz') })
    const r = await n4BiasFieldCorrection(slice, { ...wasm, maskImage: makeImage(size, { data: sliceMask }), shrinkFactor: 1, numberOfIterations: [50, 50, 50] })
    expect(r.biasField.size).toEqual(size)
    // Measured: Pearson 0.99999991, max |Δ| 5.0e-5.
    expect(pearson(logOf(r), loadLogBias('itk_logbias_2d.i16.gz'), sliceMask)).toBeGreaterThan(0.9999)
  })

  it('agrees with the TypeScript port (same options, shrink 4, default levels)', async () => {
    const options = { maskImage, shrinkFactor: 4, numberOfIterations: [50, 50, 50, 50] }
    const [ts, w] = await Promise.all([n4BiasFieldCorrection(image, options), n4BiasFieldCorrection(image, { ...options, ...wasm })])
    // Measured: Pearson 0.99999956, max |Δ log field| 1.1e-3 (the port keeps the lattice in
    // float64, ITK in float32).
    expect(pearson(logOf(ts), logOf(w), maskData)).toBeGreaterThan(0.9999)
    expect(maxAbsDiff(logOf(ts), logOf(w), maskData)).toBeLessThan(2e-3)
    expect(w.iterations).toEqual(ts.iterations)
    for (let l = 0; l < 3; l++) expect(w.convergence[l]).toBeCloseTo(ts.convergence[l], 5)
  })

  it('returns float32 images with the input geometry, corrected = image / biasField', () => {
    for (const out of [withMask.corrected, withMask.biasField]) {
      expect(out.data).toBeInstanceOf(Float32Array)
      expect(out.size).toEqual(image.size)
      expect(out.spacing).toEqual(image.spacing)
      expect(out.origin).toEqual(image.origin)
      expect(Array.from(out.direction as ArrayLike<number>)).toEqual(direction)
    }
    const src = image.data as Float32Array
    const b = withMask.biasField.data as Float32Array
    const c = withMask.corrected.data as Float32Array
    for (let i = 0; i < src.length; i += 997) expect(c[i]).toBeCloseTo(src[i] / b[i], 3)
  })

  it('reports progress from 0 to 1 with messages', () => {
    expect(progress[0][0]).toBe(0)
    expect(progress[progress.length - 1][0]).toBe(1)
    for (const [, m] of progress) expect(m).toMatch(/ITK wasm/)
  })

  it('fits a one-slice 3D image as 2D, like the TypeScript port', async () => {
    const [nx, ny] = meta.itk2d.size
    const slice = makeImage([nx, ny, 1], { data: loadF32('slice2d.f32.gz'), spacing: [3, 3, 3] })
    const mask = makeImage([nx, ny, 1], { data: loadU8('slice2d_mask.u8.gz') })
    const options = { maskImage: mask, shrinkFactor: 1, numberOfIterations: [50, 50, 50] }
    const [ts, w] = await Promise.all([n4BiasFieldCorrection(slice, options), n4BiasFieldCorrection(slice, { ...options, ...wasm })])
    expect(w.biasField.size).toEqual([nx, ny, 1])
    expect(pearson(logOf(w), logOf(ts), mask.data as Uint8Array)).toBeGreaterThan(0.9999)
  })

  it('rejects bad input with the messages of the TypeScript port', async () => {
    const empty = makeImage(meta.size, { data: new Uint8Array(maskData.length), spacing: meta.spacing })
    await expect(n4BiasFieldCorrection(image, { ...wasm, maskImage: empty, shrinkFactor: 2 })).rejects.toThrow(/mask is empty after shrinking by 2/)
    const tiny = makeImage([3, 3, 3], { data: new Float32Array(27).fill(1) })
    await expect(n4BiasFieldCorrection(tiny, { ...wasm, maskImage: makeImage([3, 3, 3], { data: new Uint8Array(27).fill(1) }), shrinkFactor: 2 })).rejects.toThrow(/fewer than 2 remain/)
    const flat = makeImage([8, 8, 8], { data: new Float32Array(512).fill(5) })
    await expect(n4BiasFieldCorrection(flat, { ...wasm, maskImage: makeImage([8, 8, 8], { data: new Uint8Array(512).fill(1) }), shrinkFactor: 1 })).rejects.toThrow(/constant/)
    const smallMask = makeImage([10, 10, 10], { data: new Uint8Array(1000) })
    await expect(n4BiasFieldCorrection(image, { ...wasm, maskImage: smallMask })).rejects.toThrow(/mask size 10×10×10 differs/)
    // @ts-expect-error an unknown backend
    await expect(n4BiasFieldCorrection(image, { backend: 'gpu' })).rejects.toThrow(/unknown backend 'gpu'/)
  })

  it('rejects with the abort reason when the signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(n4BiasFieldCorrection(image, { ...wasm, signal: controller.signal })).rejects.toThrow(/abort/i)
    // Aborted while the module loads / runs: the promise rejects at once.
    const c2 = new AbortController()
    const p = n4BiasFieldCorrection(image, { ...wasm, maskImage, shrinkFactor: 2, signal: c2.signal })
    c2.abort()
    await expect(p).rejects.toThrow(/abort/i)
  })
})

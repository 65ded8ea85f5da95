import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData, type Image, type NumericArray } from '../../../src/image'
import { coefficientOfVariation, histogram, psnr, ssim, type HistogramOptions, type SsimOptions } from '../../../src/metrics/index'

const dir = fileURLToPath(new URL('../../reference/metrics/', import.meta.url))

interface ArrayDesc {
  file: string
  dtype: 'uint8' | 'int16' | 'float32' | 'float64'
  size: number[]
}
interface Case {
  kind: 'histogram' | 'cv' | 'psnr' | 'psnr-default' | 'ssim'
  input: ArrayDesc
  test?: ArrayDesc
  mask?: ArrayDesc | null
  options?: Record<string, unknown>
  counts?: number[]
  edges?: number[]
  value?: number
  map?: ArrayDesc
}

const ctors = { uint8: Uint8Array, int16: Int16Array, float32: Float32Array, float64: Float64Array }
function read(desc: ArrayDesc): NumericArray {
  const buf = gunzipSync(readFileSync(dir + 'data/' + desc.file))
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice()
  return new ctors[desc.dtype](bytes.buffer)
}
const image = (desc: ArrayDesc): Image => makeImage(desc.size, { data: read(desc) })
const all = JSON.parse(readFileSync(dir + 'cases.json', 'utf8')) as Case[]
const name = (c: Case) => `${c.input.file.replace('.bin.gz', '')}${c.test ? ' / ' + c.test.file.replace('.bin.gz', '') : ''}${c.mask ? ' masked' : ''} ${JSON.stringify(c.options ?? {})}`
const close = (actual: number, expected: number, rel = 1e-6) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)))

describe('histogram vs numpy.histogram', () => {
  for (const c of all.filter((c) => c.kind === 'histogram')) {
    it(name(c), () => {
      const r = histogram(image(c.input), { ...(c.options as HistogramOptions), maskImage: c.mask ? image(c.mask) : undefined })
      expect(Array.from(r.counts)).toEqual(c.counts)
      expect(Array.from(r.edges)).toEqual(c.edges)
      const e = c.edges!
      close(r.binWidth, (e[e.length - 1] - e[0]) / (e.length - 1))
    })
  }
})

describe('coefficientOfVariation vs numpy std/mean', () => {
  for (const c of all.filter((c) => c.kind === 'cv')) {
    it(name(c), () => close(coefficientOfVariation(image(c.input), { maskImage: c.mask ? image(c.mask) : undefined }), c.value!))
  }
})

describe('psnr vs skimage.metrics.peak_signal_noise_ratio', () => {
  for (const c of all.filter((c) => c.kind === 'psnr')) {
    it(name(c), () => close(psnr(image(c.input), image(c.test!), c.options), c.value!))
  }
  for (const c of all.filter((c) => c.kind === 'psnr-default')) {
    it(`skimage's default data range: ${name(c)}`, () => close(psnr(image(c.input), image(c.test!)), c.value!))
  }
  it('is +Infinity for identical images', () => {
    const c = all.find((c) => c.kind === 'psnr')!
    expect(psnr(image(c.input), image(c.input), { dataRange: 100 })).toBe(Infinity)
  })
})

describe('ssim vs skimage.metrics.structural_similarity', () => {
  for (const c of all.filter((c) => c.kind === 'ssim')) {
    it(name(c), () => {
      const r = ssim(image(c.input), image(c.test!), c.options as SsimOptions)
      close(r.mssim, c.value!)
      if (c.map) {
        const expected = read(c.map)
        const got = pixelData(r.map!)
        expect(got.length).toBe(expected.length)
        let worst = 0
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]))
        expect(worst).toBeLessThan(1e-6)
      }
    })
  }
  it('is 1 for identical images', () => {
    const c = all.find((c) => c.kind === 'ssim')!
    close(ssim(image(c.input), image(c.input)).mssim, 1, 1e-12)
  })
})

describe('errors', () => {
  const a = makeImage([12, 12], { data: Float64Array.from({ length: 144 }, (_, i) => i) })
  const b = makeImage([12, 11])
  it('throws clear errors', () => {
    expect(() => psnr(a, b)).toThrow(/12×11 but the image is 12×12/)
    expect(() => ssim(a, b)).toThrow(/12×11/)
    expect(() => ssim(makeImage([8, 30]), makeImage([8, 30]), { dataRange: 1 })).toThrow(/window exceeds/)
    expect(() => ssim(a, a, { gaussian: false, winSize: 4 })).toThrow(/odd/)
    expect(() => histogram(a, { bins: 0 })).toThrow(/bins/)
    expect(() => histogram(a, { min: 5, max: 1 })).toThrow(/greater than max/)
    expect(() => histogram(a, { maskImage: makeImage([12, 12]) })).toThrow(/mask is empty/)
    expect(() => coefficientOfVariation(a, { maskImage: b })).toThrow(/mask is 12×11/)
    expect(() => histogram(makeImage([2, 2], { data: Float32Array.of(1, NaN, 2, 3) }))).toThrow(/NaN/)
    const flat = makeImage([3, 3], { data: new Float32Array(9).fill(5) })
    expect(() => psnr(flat, flat)).toThrow(/constant/)
    expect(() => psnr(a, a, { dataRange: -1 })).toThrow(/dataRange/)
  })
  it('ignores NaN outside an explicit range like numpy', () => {
    const r = histogram(makeImage([2, 2], { data: Float32Array.of(1, NaN, 2, 3) }), { bins: 2, min: 0, max: 4 })
    expect(Array.from(r.counts)).toEqual([1, 2])
  })
})

describe('default data range for data skimage refuses', () => {
  it('uses max − min of the reference for float data outside [−1, 1] (e.g. Hounsfield units)', () => {
    const a = makeImage([12, 12], { data: Float32Array.from({ length: 144 }, (_, i) => i * 10 - 500) })
    const b = makeImage([12, 12], { data: Float32Array.from({ length: 144 }, (_, i) => i * 10 - 500 + (i % 3) - 1) })
    const mse = 96 / 144
    close(psnr(a, b), 10 * Math.log10(1430 ** 2 / mse))
    close(ssim(a, b).mssim, ssim(a, b, { dataRange: 1430 }).mssim, 1e-12)
  })
})

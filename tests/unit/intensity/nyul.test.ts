import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { NyulError, nyulLandmarks, nyulPercentiles, nyulTrain, nyulTransform } from '../../../src/intensity/nyul'
import { simulateScannerChange } from '../../../src/intensity/scanner-change'
import { compareNormalizations } from '../../../src/intensity/normalization-comparison'

const dir = join(__dirname, '../../reference/intensity')
const ref = JSON.parse(readFileSync(join(dir, 'nyul-reference.json'), 'utf8')) as any

/** Largest |a − e| / max(1, |e|). */
function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])))
  return worst
}

const syn = ref.synthetic
const img = (values: number[]) => makeImage(syn.shape, { data: Float32Array.from(values) })
const trainImages = (syn.train as number[][]).map(img)
const test = img(syn.test)
const maskTest = makeImage(syn.shape, { data: Uint8Array.from(syn.maskTest) })

describe('Nyúl–Udupa vs the numpy reference (synthetic volumes)', () => {
  for (const c of syn.cases) {
    const name = Object.keys(c.params).length ? JSON.stringify(c.params) : 'defaults (1, deciles, 99; s 1..100)'
    it(`trains the standard scale: ${name}`, () => {
      const model = nyulTrain(trainImages, c.params)
      expect(model.percentiles).toEqual(c.percentiles)
      expect(worstRelative(model.standardScale, c.standardScale)).toBeLessThan(1e-12)
      expect(worstRelative(nyulLandmarks(test, c.params), c.testLandmarks)).toBeLessThan(1e-12)
    })
    it(`transforms every voxel, extrapolating outside the landmarks: ${name}`, () => {
      const model = nyulTrain(trainImages, c.params)
      const out = nyulTransform(test, model)
      expect(out.imageType.componentType).toBe('float32')
      expect(worstRelative(out.data as Float32Array, c.transformed)).toBeLessThan(1e-5)
      const masked = nyulTransform(test, model, { maskImage: maskTest })
      expect(worstRelative(masked.data as Float32Array, c.transformedMasked)).toBeLessThan(1e-5)
    })
  }
})

describe('Nyúl–Udupa on Colin27 (ch2bet, stride 2) and a gain-and-gamma scanner change', () => {
  const c = ref.ch2bet
  const raw = new Uint8Array(gunzipSync(readFileSync(join(dir, 'ch2bet-stride2.u8.gz'))))
  const a = makeImage([91, 109, 91], { data: raw })
  const b = simulateScannerChange(a, { gain: c.gain, gamma: c.gamma })
  const mask = makeImage([91, 109, 91], { data: Uint8Array.from(raw, (v, i) => (v > 0 && (b.data as Float32Array)[i] > 0 ? 1 : 0)) })
  const model = nyulTrain([a, b], { maskImages: [mask, mask] })
  it('matches numpy landmarks, standard scale and the mapped voxels at 1e-5', () => {
    expect(worstRelative(nyulLandmarks(a, {}, { maskImage: mask }), c.landmarksA)).toBeLessThan(1e-12)
    expect(worstRelative(nyulLandmarks(b, {}, { maskImage: mask }), c.landmarksB)).toBeLessThan(1e-5)
    expect(worstRelative(model.standardScale, c.standardScale)).toBeLessThan(1e-5)
    const ta = nyulTransform(a, model, { maskImage: mask }).data as Float32Array
    const tb = nyulTransform(b, model, { maskImage: mask }).data as Float32Array
    const idx = c.sampleIndices as number[]
    expect(worstRelative(idx.map((i) => ta[i]), c.sampleA)).toBeLessThan(1e-5)
    expect(worstRelative(idx.map((i) => tb[i]), c.sampleB)).toBeLessThan(1e-5)
    let sa = 0
    let sb = 0
    let n = 0
    let worst = 0
    for (let i = 0; i < raw.length; i++) {
      if (!(mask.data as Uint8Array)[i]) continue
      sa += ta[i]
      sb += tb[i]
      n++
      worst = Math.max(worst, Math.abs(ta[i] - tb[i]))
    }
    expect(Math.abs(sa / n - c.foregroundMeanA) / c.foregroundMeanA).toBeLessThan(1e-5)
    expect(Math.abs(sb / n - c.foregroundMeanB) / c.foregroundMeanB).toBeLessThan(1e-5)
    expect(Math.abs(worst - c.maxAbsDiffForeground)).toBeLessThan(1e-3)
  })
  it('maps both scans\' own landmarks exactly onto the standard scale', () => {
    for (const image of [a, b]) {
      const x = nyulLandmarks(image, {}, { maskImage: mask })
      const probe = makeImage([x.length], { data: Float64Array.from(x) })
      // The probe's own landmarks differ; map with the scan's landmarks by transforming the scan.
      const t = nyulTransform(image, model, { maskImage: mask })
      const y = nyulLandmarks(t, {}, { maskImage: mask })
      expect(probe.size[0]).toBe(11)
      // Percentiles commute with an increasing map: the transformed scan's landmarks are the scale.
      expect(worstRelative(y, model.standardScale)).toBeLessThan(1e-4)
    }
  })
})

describe('simulateScannerChange', () => {
  const a = makeImage([4, 3], { data: Uint8Array.from([0, 10, 20, 40, 80, 160, 200, 255, 0, 1, 2, 3]) })
  it('is the identity at gain 1, gamma 1, no noise, and keeps the background 0', () => {
    expect(Array.from(simulateScannerChange(a).data as Float32Array)).toEqual(Array.from(a.data as Uint8Array))
  })
  it('applies gain · M · (x/M)^gamma and is strictly increasing without noise', () => {
    const out = simulateScannerChange(a, { gain: 2, gamma: 0.5 }).data as Float32Array
    expect(out[3]).toBeCloseTo(2 * 255 * Math.sqrt(40 / 255), 4)
    const order = [9, 10, 11, 1, 2, 3, 4, 5, 6, 7]
    for (let k = 1; k < order.length; k++) expect(out[order[k]]).toBeGreaterThan(out[order[k - 1]])
  })
  it('adds seeded noise of the asked SD: same seed, same image; another seed, another', () => {
    const flat = makeImage([20000], { data: new Float32Array(20000).fill(100) })
    const n1 = simulateScannerChange(flat, { noise: 0.05, seed: 3 }).data as Float32Array
    const n2 = simulateScannerChange(flat, { noise: 0.05, seed: 3 }).data as Float32Array
    const n3 = simulateScannerChange(flat, { noise: 0.05, seed: 4 }).data as Float32Array
    expect(Array.from(n1)).toEqual(Array.from(n2))
    expect(Array.from(n1)).not.toEqual(Array.from(n3))
    let s = 0
    let ss = 0
    for (const v of n1) {
      s += v
      ss += v * v
    }
    const mean = s / n1.length
    const sd = Math.sqrt(ss / n1.length - mean * mean)
    expect(Math.abs(mean - 100)).toBeLessThan(0.15)
    expect(Math.abs(sd - 5) / 5).toBeLessThan(0.03)
  })
  it('rejects bad parameters with a clear message', () => {
    expect(() => simulateScannerChange(a, { gain: 0 })).toThrow(/gain must be a positive/)
    expect(() => simulateScannerChange(a, { gamma: -1 })).toThrow(/gamma must be a positive/)
    expect(() => simulateScannerChange(a, { noise: -0.1 })).toThrow(/noise must be/)
    expect(() => simulateScannerChange(makeImage([3], { data: new Float32Array(3) }))).toThrow(/no positive voxel/)
  })
})

describe('Nyúl–Udupa input errors carry codes', () => {
  const code = (f: () => unknown) => {
    try {
      f()
    } catch (e) {
      expect(e).toBeInstanceOf(NyulError)
      return (e as NyulError).code
    }
    return 'no error'
  }
  it('rejects bad percentiles, scales, sets, masks and flat histograms', () => {
    expect(code(() => nyulPercentiles({ minPercentile: 50 }))).toBe('INVALID_PARAMETERS')
    expect(code(() => nyulPercentiles({ maxPercentile: 101 }))).toBe('INVALID_PARAMETERS')
    expect(code(() => nyulTrain(trainImages, { standardMin: 5, standardMax: 5 }))).toBe('INVALID_PARAMETERS')
    expect(code(() => nyulTrain([]))).toBe('INVALID_TRAINING_SET')
    expect(code(() => nyulTrain(trainImages, { maskImages: [maskTest] }))).toBe('INVALID_TRAINING_SET')
    expect(code(() => nyulLandmarks(test, {}, { maskImage: makeImage([2, 2, 2]) }))).toBe('MASK_SIZE_MISMATCH')
    expect(code(() => nyulLandmarks(makeImage([5], { data: new Float32Array(5) })))).toBe('EMPTY_FOREGROUND')
    const model = nyulTrain(trainImages)
    const twoLevels = makeImage([100], { data: Float32Array.from({ length: 100 }, (_, i) => (i < 50 ? 1 : 2)) })
    expect(code(() => nyulTransform(twoLevels, model))).toBe('TIED_LANDMARKS')
    expect(code(() => nyulTransform(test, { percentiles: [1, 99], standardScale: [5, 1] }))).toBe('INVALID_PARAMETERS')
  })
})

describe('compareNormalizations (the figure\'s computation)', () => {
  const raw = new Uint8Array(gunzipSync(readFileSync(join(dir, 'ch2bet-stride2.u8.gz'))))
  const a = makeImage([91, 109, 91], { data: raw })
  it('a pure gain leaves min–max, z-score and Nyúl–Udupa with no mismatch; raw does not', async () => {
    const r = await compareNormalizations(a, simulateScannerChange(a, { gain: 1.7 }))
    const by = Object.fromEntries(r.methods.map((m) => [m.method, m]))
    expect(by.raw.mismatch).toBeGreaterThan(0.5)
    for (const m of ['minMax', 'zScore', 'nyul']) expect(by[m].mismatch, m).toBeLessThan(1e-5)
    expect(r.foregroundVoxels).toBe(raw.filter((v) => v > 0).length)
  })
  it('a gamma change: Nyúl–Udupa leaves the smallest mismatch of the linear methods', async () => {
    const r = await compareNormalizations(a, simulateScannerChange(a, { gain: 1.2, gamma: 1.5, noise: 0.01, seed: 7 }))
    const by = Object.fromEntries(r.methods.map((m) => [m.method, m.mismatch]))
    expect(by.nyul).toBeLessThan(by.zScore)
    expect(by.nyul).toBeLessThan(by.minMax)
    for (const m of r.methods) {
      expect(m.countsA.reduce((s, v) => s + v, 0)).toBeGreaterThan(0.99 * r.foregroundVoxels)
      expect(m.edges.length).toBe(81)
    }
  })
  it('methods: two calls on subsets give the entries of one full call; an unknown method is refused', async () => {
    const b = simulateScannerChange(a, { gain: 1.3, gamma: 1.4, noise: 0.01, seed: 1 })
    const full = await compareNormalizations(a, b)
    const first = await compareNormalizations(a, b, { methods: ['raw', 'minMax', 'zScore', 'nyul'] })
    const second = await compareNormalizations(a, b, { methods: ['whiteStripe'] })
    expect([...first.methods, ...second.methods].map((m) => m.method)).toEqual(['raw', 'minMax', 'zScore', 'nyul', 'whiteStripe'])
    for (const m of [...first.methods, ...second.methods]) expect(m).toEqual(full.methods.find((x) => x.method === m.method))
    expect(first.nyulModel).toEqual(full.nyulModel)
    expect(first.landmarksB).toEqual(full.landmarksB)
    expect(second.nyulModel).toBeUndefined()
    await expect(compareNormalizations(a, b, { methods: ['zScore', 'histogramMatching' as never] })).rejects.toThrow(/histogramMatching/)
    await expect(compareNormalizations(a, b, { methods: [] })).rejects.toThrow(/non-empty/)
  })
})

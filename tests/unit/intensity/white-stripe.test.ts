import { mulberry32 } from '../../../src/random'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeImage, type Image } from '../../../src/image'
import { whiteStripe, whiteStripeForeground } from '../../../src/intensity/white-stripe'

const dir = join(__dirname, '../../reference/intensity')
interface RWhiteStripe {
  mode: number; modeQuantile: number; stripeRange: [number, number]; stripeVoxels: number
  mean: number; std: number; fittedBins: number; logLambda: number
}
const meta = JSON.parse(readFileSync(join(dir, 'ch2bet-stride2.json'), 'utf8')) as {
  size: number[]; spacing: number[]; kmeansCentres: number[]; wmThreshold: number; wmMean: number
  whiteStripeT1: Record<'aboveMean' | 'positive' | 'mask' | 'width0.1', RWhiteStripe>
}
const raw = new Uint8Array(gunzipSync(readFileSync(join(dir, 'ch2bet-stride2.u8.gz'))))
const brain = makeImage(meta.size, { data: raw, spacing: meta.spacing })

/** Deterministic normal samples (mulberry32 + Box–Muller). */
function normals(seed: number) {
  const u = mulberry32(seed)
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())
}

/** A "brain" with three tissue classes at known intensities (CSF 30, GM 70, WM 110; sd 4). */
function mixture(weights: [number, number, number], n = 120_000): Image {
  const g = normals(12345)
  const data = new Float64Array(n)
  const means = [30, 70, 110]
  let i = 0
  for (let c = 0; c < 3; c++) {
    const m = Math.round(weights[c] * n)
    for (let j = 0; j < m && i < n; j++) data[i++] = means[c] + 4 * g()
  }
  while (i < n) data[i++] = means[2] + 4 * g()
  return makeImage([n], { data })
}

describe('whiteStripe on Colin27 (ch2bet, stride 2)', () => {
  it('finds the white-matter peak and a stripe inside white matter (k-means reference)', async () => {
    const r = await whiteStripe(brain)
    // Independent reference: 3-class k-means of the brain voxels (make-whitestripe-reference.py).
    expect(r.mode).toBeGreaterThan(meta.wmThreshold)
    expect(r.mean).toBeGreaterThan(meta.wmThreshold)
    expect(Math.abs(r.mean - meta.wmMean) / meta.wmMean).toBeLessThan(0.05)
    expect(r.stripeRange[0]).toBeGreaterThan(meta.kmeansCentres[1])
    const stripe = r.stripeMask.data as Uint8Array
    let inWm = 0
    for (let i = 0; i < raw.length; i++) if (stripe[i] && raw[i] > meta.wmThreshold) inWm++
    expect(r.stripeVoxels).toBeGreaterThan(1000)
    expect(inWm / r.stripeVoxels).toBeGreaterThan(0.99)
    // Stripe statistics are R's mean and sample sd: the normalised stripe has mean 0 and sd 1.
    const z = r.normalized.data as Float32Array
    let s = 0
    let ss = 0
    for (let i = 0; i < z.length; i++) if (stripe[i]) { s += z[i]; ss += z[i] * z[i] }
    expect(s / r.stripeVoxels).toBeCloseTo(0, 4)
    expect(Math.sqrt((ss - (s * s) / r.stripeVoxels) / (r.stripeVoxels - 1))).toBeCloseTo(1, 4)
    expect(r.normalized.imageType.componentType).toBe('float32')
    expect(r.normalized.spacing).toEqual(meta.spacing)
    // R's hist(breaks = 2000) on 8-bit values 23..255: pretty() makes 2140 bins of width 0.05 from 22.
    expect(r.histogram?.mids.length).toBe(2140)
    expect(r.histogram?.breaks[0]).toBe(22)
    expect(r.histogram?.breaks[1]).toBe(22.05)
    expect(r.histogram?.breaks[2140]).toBe(129)
  })

  it("breaks 'equal': matches the R package's algorithm on 2000 equal bins, run in numpy + 60-digit smooth_hist (make-whitestripe-reference.py)", async () => {
    const mask = makeImage(meta.size, { data: Uint8Array.from(raw, (v) => (v > 0 ? 1 : 0)) })
    const equal = { breaks: 'equal' } as const
    const runs = {
      aboveMean: await whiteStripe(brain, equal),
      positive: await whiteStripe(brain, { ...equal, foreground: 'positive' }),
      mask: await whiteStripe(brain, { ...equal, maskImage: mask }),
      'width0.1': await whiteStripe(brain, { ...equal, width: 0.1 }),
    }
    for (const [name, r] of Object.entries(runs)) {
      const e = meta.whiteStripeT1[name as keyof typeof runs]
      expect(r.histogram?.fittedBins.length, name).toBe(e.fittedBins)
      expect(r.mode, name).toBeCloseTo(e.mode, 9)
      expect(r.modeQuantile, name).toBeCloseTo(e.modeQuantile, 12)
      expect(r.stripeRange, name).toEqual(e.stripeRange)
      expect(r.stripeVoxels, name).toBe(e.stripeVoxels)
      expect(r.mean, name).toBeCloseTo(e.mean, 9)
      expect(r.std, name).toBeCloseTo(e.std, 9)
    }
  })

  it('gives the same stripe with a brain mask or the skull-stripped (> 0) foreground', async () => {
    const mask = makeImage(meta.size, { data: Uint8Array.from(raw, (v) => (v > 0 ? 1 : 0)) })
    const withMask = await whiteStripe(brain, { maskImage: mask })
    const positive = await whiteStripe(brain, { foreground: 'positive' })
    for (const r of [withMask, positive]) {
      expect(r.mean).toBeGreaterThan(meta.wmThreshold)
      expect(Math.abs(r.mean - meta.wmMean) / meta.wmMean).toBeLessThan(0.05)
    }
  })

  it("breaks 'equal': exactly invariant to a linear intensity change (×2.7 + 100), the point of White Stripe", async () => {
    const equal = { breaks: 'equal' } as const
    const a = await whiteStripe(brain, equal)
    const b = await whiteStripe(makeImage(meta.size, { data: Float64Array.from(raw, (v) => v * 2.7 + 100) }), equal)
    expect(b.stripeVoxels).toBe(a.stripeVoxels)
    expect(b.mean).toBeCloseTo(a.mean * 2.7 + 100, 8)
    expect(b.std).toBeCloseTo(a.std * 2.7, 8)
    const za = a.normalized.data as Float32Array
    const zb = b.normalized.data as Float32Array
    let worst = 0
    for (let i = 0; i < za.length; i++) worst = Math.max(worst, Math.abs(za[i] - zb[i]))
    expect(worst).toBeLessThan(1e-4)
    // float32 input: the rescaled values themselves are rounded, so allow float32-level relative error.
    const c = await whiteStripe(makeImage(meta.size, { data: Float32Array.from(raw, (v) => v * 2.7 + 100) }), equal)
    expect(c.stripeVoxels).toBe(a.stripeVoxels)
    const zc = c.normalized.data as Float32Array
    for (let i = 0; i < za.length; i++) {
      if (Math.abs(za[i] - zc[i]) > 1e-4 + 2e-6 * Math.abs(za[i])) throw new Error(`voxel ${i}: ${za[i]} vs ${zc[i]}`)
    }
  })
})

describe("whiteStripe with R's pretty breaks (the default) under a linear intensity change", () => {
  it('× 2.7 + 100: other bins (width 0.2 from 160, not 0.05 from 22), the mode one rescaled bin from 2.7 × mode + 100, the same stripe here', async () => {
    const a = await whiteStripe(brain)
    const b = await whiteStripe(makeImage(meta.size, { data: Float64Array.from(raw, (v) => v * 2.7 + 100) }))
    expect(b.histogram!.breaks[1] - b.histogram!.breaks[0]).toBeCloseTo(0.2, 12)
    // R (whitestripe-r-reference.json): modes 112.975 and 405.1; 2.7 × 112.975 + 100 = 405.0325.
    expect(a.mode).toBe(112.975)
    expect(b.mode).toBe(405.1)
    expect(Math.abs(b.mode - (2.7 * a.mode + 100))).toBeLessThan(0.2)
    // Both modes fall between the same two grey levels (112 and 113), so the stripes agree.
    expect(b.stripeVoxels).toBe(a.stripeVoxels)
    expect(b.mean).toBeCloseTo(a.mean * 2.7 + 100, 8)
  })
})

describe('whiteStripe on a synthetic histogram with known modes', () => {
  it('T1: the last peak (110)', async () => {
    const img = mixture([0.25, 0.45, 0.3])
    const all = makeImage(img.size, { data: new Uint8Array(img.size[0]).fill(1) })
    const r = await whiteStripe(img, { maskImage: all })
    expect(Math.abs(r.mode - 110)).toBeLessThan(0.5)
    expect(Math.abs(r.mean - 110)).toBeLessThan(0.5)
    // The stripe holds ±5% of the voxels around the mode's quantile (0.7 + 0.3/2 = 0.85).
    expect(r.modeQuantile).toBeCloseTo(0.85, 2)
    expect(r.stripeVoxels / img.size[0]).toBeCloseTo(0.1, 2)
  })

  it('T2 / FLAIR: the largest peak (70)', async () => {
    const img = mixture([0.25, 0.45, 0.3])
    const all = makeImage(img.size, { data: new Uint8Array(img.size[0]).fill(1) })
    for (const contrast of ['T2', 'FLAIR'] as const) {
      const r = await whiteStripe(img, { contrast, maskImage: all })
      expect(Math.abs(r.mode - 70)).toBeLessThan(0.5)
      expect(Math.abs(r.mean - 70)).toBeLessThan(0.5)
    }
  })

  it('T1 default foreground (> image mean) still finds 110', async () => {
    const r = await whiteStripe(mixture([0.2, 0.4, 0.4]), { width: 0.1 })
    expect(Math.abs(r.mode - 110)).toBeLessThan(0.5)
  })
})

describe('whiteStripe input checks', () => {
  it('rejects bad input with specific messages', async () => {
    await expect(whiteStripe(brain, { maskImage: makeImage(meta.size, { componentType: 'uint8' }) })).rejects.toThrow(/mask is empty/)
    await expect(whiteStripe(brain, { maskImage: makeImage([3, 3, 3], { componentType: 'uint8' }) })).rejects.toThrow(/does not match/)
    await expect(whiteStripe(makeImage([10], { data: new Float32Array(10).fill(5) }), { foreground: 'positive' })).rejects.toThrow(/constant/)
    await expect(whiteStripe(brain, { contrast: 'PD' as 'T1' })).rejects.toThrow(/unknown contrast/)
    await expect(whiteStripe(brain, { width: 1.5 })).rejects.toThrow(/width/)
    const ac = new AbortController()
    ac.abort()
    await expect(whiteStripe(brain, { signal: ac.signal })).rejects.toThrow()
  })

  it('reports progress up to 1', async () => {
    const seen: number[] = []
    await whiteStripe(brain, { onProgress: (f) => seen.push(f) })
    expect(seen.length).toBeGreaterThan(2)
    expect(seen[seen.length - 1]).toBe(1)
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true)
  })
})

describe('whiteStripeForeground', () => {
  it('is the foreground whiteStripe uses without a mask: above the mean, or above 0', async () => {
    let sum = 0
    for (let i = 0; i < raw.length; i++) sum += raw[i]
    const mean = sum / raw.length
    for (const foreground of ['aboveMean', 'positive'] as const) {
      const mask = whiteStripeForeground(brain, { foreground }).data as Uint8Array
      const cut = foreground === 'aboveMean' ? mean : 0
      let expected = 0
      for (let i = 0; i < raw.length; i++) {
        expect(mask[i]).toBe(raw[i] > cut ? 1 : 0)
        expected += raw[i] > cut ? 1 : 0
      }
      const r = await whiteStripe(brain, { foreground })
      expect(r.foregroundVoxels).toBe(expected)
      // The same stripe with the mask given explicitly.
      const masked = await whiteStripe(brain, { maskImage: whiteStripeForeground(brain, { foreground }) })
      expect(masked.stripeVoxels).toBe(r.stripeVoxels)
      expect(masked.mean).toBe(r.mean)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../src/random'
import { sharpenLogImage } from '../../../src/bias/sharpen'

// Deterministic standard normal samples (Box–Muller on a mulberry32 stream).
function normals(n: number, seed: number): Float64Array {
  const next = mulberry32(seed)
  // Shifted by half a step so that log() never sees 0.
  const uni = () => next() + 0.5 / 4294967296
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(uni())) * Math.cos(2 * Math.PI * uni())
  return out
}

const options = { numberOfHistogramBins: 200, biasFieldFullWidthAtHalfMaximum: 0.15, wienerFilterNoise: 0.01 }

describe('sharpenLogImage (N4 histogram sharpening)', () => {
  it('pulls two blurred classes back towards their means and keeps their order', () => {
    // Two tissue classes at log 4.0 and 4.5, blurred by a Gaussian of FWHM 0.15 (σ = 0.064).
    const n = 20000
    const noise = normals(n, 3)
    const values = new Float64Array(n)
    for (let i = 0; i < n; i++) values[i] = (i % 2 ? 4.5 : 4.0) + 0.064 * noise[i]
    const out = new Float64Array(n)
    const indices = Int32Array.from({ length: n }, (_, i) => i)
    sharpenLogImage(values, indices, out, options)
    const spread = (arr: Float64Array, cls: number) => {
      let s = 0
      let s2 = 0
      let c = 0
      for (let i = cls; i < n; i += 2) {
        s += arr[i]
        s2 += arr[i] * arr[i]
        c++
      }
      return { mean: s / c, sd: Math.sqrt(s2 / c - (s / c) ** 2) }
    }
    for (const cls of [0, 1]) {
      const before = spread(values, cls)
      const after = spread(out, cls)
      expect(after.sd).toBeLessThan(0.8 * before.sd)
      expect(Math.abs(after.mean - before.mean)).toBeLessThan(0.05)
    }
    // E[u|v] is monotone here: sorting by input keeps the order of the output.
    const order = Array.from(indices).sort((a, b) => values[a] - values[b])
    let inversions = 0
    for (let k = 1; k < n; k++) if (out[order[k]] < out[order[k - 1]] - 1e-9) inversions++
    expect(inversions).toBe(0)
  })

  it('writes only the listed voxels', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => Math.log(10 + i))
    const out = new Float64Array(100).fill(-7)
    const indices = Int32Array.from({ length: 50 }, (_, i) => 2 * i)
    sharpenLogImage(values, indices, out, options)
    for (let i = 0; i < 100; i++) {
      if (i % 2) expect(out[i]).toBe(-7)
      else expect(Number.isFinite(out[i])).toBe(true)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../src/random'
import { fftInPlace } from '../../../src/bias/fft'

function naiveDft(re: Float64Array, im: Float64Array, sign: number): [Float64Array, Float64Array] {
  const n = re.length
  const or = new Float64Array(n)
  const oi = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    let sr = 0
    let si = 0
    for (let t = 0; t < n; t++) {
      const a = (sign * 2 * Math.PI * k * t) / n
      sr += re[t] * Math.cos(a) - im[t] * Math.sin(a)
      si += re[t] * Math.sin(a) + im[t] * Math.cos(a)
    }
    or[k] = sr
    oi[k] = si
  }
  return [or, oi]
}

// Deterministic pseudo-random numbers in [-0.5, 0.5).
function rng(seed: number): () => number {
  const next = mulberry32(seed)
  return () => next() - 0.5
}

describe('fftInPlace (radix-2)', () => {
  for (const n of [1, 2, 4, 8, 64, 512]) {
    it(`matches a naive DFT forward and backward for N = ${n}`, () => {
      const r = rng(n)
      const re = Float64Array.from({ length: n }, r)
      const im = Float64Array.from({ length: n }, r)
      for (const inverse of [false, true]) {
        const [er, ei] = naiveDft(re, im, inverse ? 1 : -1)
        const ar = Float64Array.from(re)
        const ai = Float64Array.from(im)
        fftInPlace(ar, ai, inverse)
        for (let k = 0; k < n; k++) {
          expect(ar[k]).toBeCloseTo(er[k], 9)
          expect(ai[k]).toBeCloseTo(ei[k], 9)
        }
      }
    })
  }

  it('backward transform is the unnormalised inverse (vnl_fft_1d convention)', () => {
    const r = rng(7)
    const re = Float64Array.from({ length: 256 }, r)
    const im = new Float64Array(256)
    const ar = Float64Array.from(re)
    const ai = Float64Array.from(im)
    fftInPlace(ar, ai)
    fftInPlace(ar, ai, true)
    for (let k = 0; k < 256; k++) {
      expect(ar[k] / 256).toBeCloseTo(re[k], 12)
      expect(ai[k] / 256).toBeCloseTo(0, 12)
    }
  })

  it('rejects lengths that are not powers of two', () => {
    expect(() => fftInPlace(new Float64Array(6), new Float64Array(6))).toThrow(/power of two/)
    expect(() => fftInPlace(new Float64Array(8), new Float64Array(4))).toThrow(/imaginary/)
  })
})

describe('fftInPlace with a twiddle table (fftTwiddles)', () => {
  it('equals the untabled transform, forward and inverse, for lengths 2 to 4096', async () => {
    const { fftInPlace: fft, fftTwiddles } = await import('../../../src/bias/fft')
    for (let n = 2; n <= 4096; n *= 2) {
      const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + (i % 5))
      const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.11))
      for (const inverse of [false, true]) {
        const a = [re.slice(), im.slice()]
        const b = [re.slice(), im.slice()]
        fft(a[0], a[1], inverse)
        fft(b[0], b[1], inverse, fftTwiddles(n))
        let worst = 0
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[0][i] - b[0][i]), Math.abs(a[1][i] - b[1][i]))
        expect(worst).toBeLessThan(1e-12 * n)
      }
    }
  })
})

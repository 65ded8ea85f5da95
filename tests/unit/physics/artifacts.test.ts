import { describe, expect, it } from 'vitest'
import { ArtifactError, simulateArtifact } from '../../../src/physics'
import { fft2 } from '../../../src/mri'
import { makeImage, type Image } from '../../../src/image'

const N = 64
const img = (f: (x: number, y: number) => number, n = N) => makeImage([n, n], { data: Float32Array.from({ length: n * n }, (_, i) => f(i % n, Math.floor(i / n))) })
const at = (im: Image, x: number, y: number) => (im.data as Float32Array)[y * im.size[0] + x]

describe('MRI artifacts (k-space)', () => {
  it('gibbs: a step edge overshoots by about 9 % (the Gibbs phenomenon)', () => {
    // a smooth-ended plateau so that the periodic DFT sees two edges, far apart
    const step = img((x) => (x >= 16 && x < 48 ? 1 : 0))
    const out = simulateArtifact(step, 'gibbs', { strength: 0.25 })
    const row = Array.from({ length: N }, (_, x) => at(out, x, 32))
    const max = Math.max(...row)
    expect(max).toBeGreaterThan(1.05)
    expect(max).toBeLessThan(1.14)
  })
  it('wrap (R = 2): the image folds at half the field of view, x[y] + x[y + N/2]', () => {
    const src = img((x, y) => (y < 20 ? 1 + x / N : 0) + (y > 40 && y < 50 ? 0.5 : 0))
    const out = simulateArtifact(src, 'wrap', { strength: 2 })
    for (let y = 0; y < N; y++) for (let x = 0; x < N; x += 7) {
      const expected = at(src, x, y) + at(src, x, (y + N / 2) % N)
      expect(Math.abs(at(out, x, y) - expected)).toBeLessThan(1e-4)
    }
  })
  it('motion: no shift changes nothing; a shift puts ghosts where the object is not', () => {
    const src = img((x, y) => (Math.hypot(x - 32, y - 32) < 12 ? 1 : 0))
    const still = simulateArtifact(src, 'motion', { strength: 0 })
    const moved = simulateArtifact(src, 'motion', { strength: 5 })
    let ghost = 0
    let maxStill = 0
    for (let y = 0; y < 12; y++) for (let x = 0; x < N; x++) {
      ghost = Math.max(ghost, at(moved, x, y))
      maxStill = Math.max(maxStill, Math.abs(at(still, x, y) - at(src, x, y)))
    }
    expect(maxStill).toBeLessThan(1e-5)
    expect(ghost).toBeGreaterThan(0.05)
  })
  it('spike: the corrupted image carries a stripe at the spike frequency', () => {
    const src = img((x, y) => (Math.hypot(x - 32, y - 32) < 20 ? 1 : 0.1))
    const out = simulateArtifact(src, 'spike', { strength: 0.5 })
    const k = fft2(out, { shift: true }).data as Float64Array
    const mag = (x: number, y: number) => Math.hypot(k[2 * (y * N + x)], k[2 * (y * N + x) + 1])
    const sx = 32 + Math.round(N / 5)
    const sy = 32 + Math.round(N / 7)
    expect(mag(sx, sy)).toBeGreaterThan(5 * mag(sx + 3, sy + 3))
  })
})

describe('CT artifacts (sinogram)', () => {
  const disk = img((x, y) => (Math.hypot(x - 31.5, y - 31.5) < 24 ? 1 : 0))
  it('ring: a bad detector channel gives a ring at its distance from the centre', () => {
    const clean = simulateArtifact(disk, 'ring', { strength: 0, channel: 16 })
    const bad = simulateArtifact(disk, 'ring', { strength: 0.1, channel: 16 })
    // radial profile of |bad − clean|
    const prof = new Float64Array(33)
    const cnt = new Float64Array(33)
    for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
      const r = Math.round(Math.hypot(x - 32, y - 32))
      if (r > 32) continue
      prof[r] += Math.abs(at(bad, x, y) - at(clean, x, y))
      cnt[r]++
    }
    const mean = Array.from(prof, (p, r) => (cnt[r] ? p / cnt[r] : 0))
    const peak = mean.indexOf(Math.max(...mean))
    expect(Math.abs(peak - 16)).toBeLessThanOrEqual(1) // channel 16 is 16 bins from the centre bin 32
  })
  it('noise: 100 times fewer photons give about 10 times the noise', () => {
    const sd = (photons: number) => {
      const out = simulateArtifact(disk, 'noise', { strength: photons, seed: 3 })
      const v: number[] = []
      for (let y = 24; y < 40; y++) for (let x = 24; x < 40; x++) v.push(at(out, x, y))
      const m = v.reduce((a, b) => a + b) / v.length
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)
    }
    const r = sd(1e3) / sd(1e5)
    expect(r).toBeGreaterThan(5)
    expect(r).toBeLessThan(20)
  })
  it('ct-motion: the error grows with the shift', () => {
    const clean = simulateArtifact(disk, 'ct-motion', { strength: 0 })
    const err = (s: number) => {
      const out = simulateArtifact(disk, 'ct-motion', { strength: s })
      let e = 0
      for (let i = 0; i < N * N; i++) e += ((out.data as Float32Array)[i] - (clean.data as Float32Array)[i]) ** 2
      return Math.sqrt(e / (N * N))
    }
    expect(err(2)).toBeGreaterThan(0.01)
    expect(err(8)).toBeGreaterThan(2 * err(2))
  })
  it('refuses bad input with codes', () => {
    const code = (f: () => unknown) => { try { f(); return 'none' } catch (e) { return e instanceof ArtifactError ? e.code : 'other' } }
    expect(code(() => simulateArtifact(makeImage([4, 4, 4]), 'gibbs'))).toBe('BAD_IMAGE')
    expect(code(() => simulateArtifact(disk, 'gibbs', { strength: 2 }))).toBe('BAD_OPTION')
    expect(code(() => simulateArtifact(img(() => 1, 16), 'wrap', { strength: 7 }))).toBe('BAD_OPTION')
    expect(code(() => simulateArtifact(makeImage([8, 6]), 'ring'))).toBe('BAD_OPTION')
    expect(code(() => simulateArtifact(disk, 'nonsense' as never))).toBe('BAD_OPTION')
  })
})

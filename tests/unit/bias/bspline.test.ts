import { describe, expect, it } from 'vitest'
import { axisWeights, bsplineKernel, evaluateLatticeOnGrid, fitLatticeOnGrid, refineLattice } from '../../../src/bias/bspline'

/**
 * Direct port of ITK BSplineScatteredDataPointSetToImageFilter::ThreadedGenerateDataForFitting
 * + AfterThreadedGenerateData for unit weights (a (k+1)^3 loop per point), to check the
 * separable implementation against.
 */
function naiveItkFit(values: Float64Array, mask: Uint8Array, n: number[], L: number[], order: number): Float64Array {
  const delta = new Float64Array(L[0] * L[1] * L[2])
  const omega = new Float64Array(L[0] * L[1] * L[2])
  const k1 = order + 1
  for (let z = 0; z < n[2]; z++) {
    for (let y = 0; y < n[1]; y++) {
      for (let x = 0; x < n[0]; x++) {
        const i = x + n[0] * (y + n[1] * z)
        if (!mask[i]) continue
        const idx = [x, y, z]
        const p = idx.map((v, a) => {
          const spans = L[a] - order
          let u = (v * spans) / (n[a] - 1)
          const eps = (spans / (n[a] - 1)) * 1e-3
          if (Math.abs(u - spans) <= eps) u = spans - eps
          return u
        })
        const B = new Float64Array(k1 ** 3)
        let w2 = 0
        for (let c = 0; c < k1 ** 3; c++) {
          const off = [c % k1, Math.floor(c / k1) % k1, Math.floor(c / k1 / k1)]
          let b = 1
          for (let a = 0; a < 3; a++) b *= bsplineKernel(order, p[a] - Math.floor(p[a]) - off[a] + 0.5 * (order - 1))
          B[c] = b
          w2 += b * b
        }
        for (let c = 0; c < k1 ** 3; c++) {
          const off = [c % k1, Math.floor(c / k1) % k1, Math.floor(c / k1 / k1)]
          const l = off.map((o, a) => Math.floor(p[a]) + o)
          const li = l[0] + L[0] * (l[1] + L[1] * l[2])
          omega[li] += B[c] * B[c]
          delta[li] += (values[i] * B[c] ** 3) / w2
        }
      }
    }
  }
  return delta.map((d, l) => (omega[l] !== 0 ? d / omega[l] : 0))
}

/** Control points of a 1D cubic on a one-span lattice: solve the 4×4 system at 4 samples. */
function cubicCoefficients1d(poly: (u: number) => number): Float64Array {
  const samples = [0, 0.3, 0.6, 0.95]
  const A = samples.map((u) => [0, 1, 2, 3].map((j) => bsplineKernel(3, u - j + 1)))
  const b = samples.map(poly)
  // Gaussian elimination
  for (let c = 0; c < 4; c++) {
    let piv = c
    for (let r = c + 1; r < 4; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r
    ;[A[c], A[piv]] = [A[piv], A[c]]
    ;[b[c], b[piv]] = [b[piv], b[c]]
    for (let r = 0; r < 4; r++) {
      if (r === c) continue
      const f = A[r][c] / A[c][c]
      for (let k = c; k < 4; k++) A[r][k] -= f * A[c][k]
      b[r] -= f * b[c]
    }
  }
  return Float64Array.from(b.map((v, i) => v / A[i][i]))
}

describe('bsplineKernel', () => {
  it('is ITK\'s centred B-spline: partition of unity and known values', () => {
    for (const order of [1, 2, 3, 4, 5]) {
      for (const t of [0, 0.1, 0.5, 0.77]) {
        let s = 0
        for (let j = 0; j <= order; j++) s += bsplineKernel(order, t - j + 0.5 * (order - 1))
        expect(s).toBeCloseTo(1, 12)
      }
    }
    expect(bsplineKernel(3, 0)).toBeCloseTo(2 / 3, 15)
    expect(bsplineKernel(3, 1)).toBeCloseTo(1 / 6, 15)
    expect(bsplineKernel(3, 2)).toBe(0)
    expect(bsplineKernel(2, 0)).toBeCloseTo(0.75, 15)
    // General formula agrees with the closed forms.
    expect(bsplineKernel(4, 0)).toBeCloseTo(115 / 192, 12)
  })
})

describe('fitLatticeOnGrid (Lee–Wolberg–Shin, one level)', () => {
  it('equals a direct port of ITK\'s per-point fitting loop', () => {
    const n = [13, 11, 9]
    const L = [5, 7, 4]
    const values = new Float64Array(n[0] * n[1] * n[2])
    const mask = new Uint8Array(values.length)
    for (let i = 0; i < values.length; i++) {
      values[i] = Math.sin(i * 0.37) + 0.01 * i
      mask[i] = (i * 7) % 5 === 0 ? 0 : 1
    }
    const ours = fitLatticeOnGrid(values, mask, axisWeights(n[0], L[0], 3), axisWeights(n[1], L[1], 3), axisWeights(n[2], L[2], 3))
    const ref = naiveItkFit(values, mask, n, L, 3)
    expect(ours.length).toBe(ref.length)
    for (let l = 0; l < ref.length; l++) expect(ours[l]).toBeCloseTo(ref[l], 12)
  })

  it('repeated fitting of the residual shrinks it (the N4 update)', () => {
    const n = [15, 12, 10]
    const values = new Float64Array(n[0] * n[1] * n[2])
    const mask = new Uint8Array(values.length).fill(1)
    for (let z = 0; z < n[2]; z++) for (let y = 0; y < n[1]; y++) for (let x = 0; x < n[0]; x++) values[x + n[0] * (y + n[1] * z)] = 0.2 * x - 0.01 * y * y + 0.001 * x * y * z
    const w = [axisWeights(n[0], 5, 3), axisWeights(n[1], 5, 3), axisWeights(n[2], 5, 3)] as const
    const lattice = new Float64Array(125)
    const residual = Float64Array.from(values)
    const fit = new Float64Array(values.length)
    let previous = Infinity
    for (let it = 0; it < 5; it++) {
      const inc = fitLatticeOnGrid(residual, mask, ...w)
      for (let l = 0; l < 125; l++) lattice[l] += inc[l]
      evaluateLatticeOnGrid(lattice, ...w, fit)
      let rms = 0
      for (let i = 0; i < values.length; i++) {
        residual[i] = values[i] - fit[i]
        rms += residual[i] ** 2
      }
      expect(rms).toBeLessThan(previous)
      previous = rms
    }
  })
})

describe('lattice evaluation and refinement', () => {
  // p(u, v, w) on the parametric domain [0, 1]³ (one span per axis): degree ≤ 3 per axis.
  const px = (u: number) => 0.5 - 1.2 * u + 0.7 * u ** 3
  const py = (v: number) => 0.1 + v * v
  const pz = (w: number) => 2 - w + 0.3 * w ** 2 - 0.2 * w ** 3
  const qx = (u: number) => u
  const qz = (w: number) => w * w

  it('reproduces a cubic polynomial exactly, before and after refining the lattice twice', () => {
    // p = px·py·pz + qx·qz (sums of tensor products are represented exactly by linearity).
    const c = [cubicCoefficients1d(px), cubicCoefficients1d(py), cubicCoefficients1d(pz)]
    const d = [cubicCoefficients1d(qx), cubicCoefficients1d(() => 1), cubicCoefficients1d(qz)]
    let lattice: Float64Array = new Float64Array(64)
    for (let k = 0; k < 4; k++) for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) lattice[i + 4 * (j + 4 * k)] = c[0][i] * c[1][j] * c[2][k] + d[0][i] * d[1][j] * d[2][k]
    let size: [number, number, number] = [4, 4, 4]
    const n = [21, 17, 12]
    const exact = (x: number, y: number, z: number) => {
      const u = x / (n[0] - 1)
      const v = y / (n[1] - 1)
      const w = z / (n[2] - 1)
      return px(u) * py(v) * pz(w) + qx(u) * qz(w)
    }
    for (let level = 0; level < 3; level++) {
      const out = new Float64Array(n[0] * n[1] * n[2])
      evaluateLatticeOnGrid(lattice, axisWeights(n[0], size[0], 3), axisWeights(n[1], size[1], 3), axisWeights(n[2], size[2], 3), out)
      let maxErr = 0
      for (let z = 0; z < n[2]; z++) for (let y = 0; y < n[1]; y++) for (let x = 0; x < n[0]; x++) maxErr = Math.max(maxErr, Math.abs(out[x + n[0] * (y + n[1] * z)] - exact(x, y, z)))
      // The last voxel of each axis sits at u = spans − 1e-3·spans/(n−1) (ITK's epsilon), so compare there loosely.
      expect(maxErr).toBeLessThan(1e-3)
      let interiorErr = 0
      for (let z = 0; z < n[2] - 1; z++) for (let y = 0; y < n[1] - 1; y++) for (let x = 0; x < n[0] - 1; x++) interiorErr = Math.max(interiorErr, Math.abs(out[x + n[0] * (y + n[1] * z)] - exact(x, y, z)))
      expect(interiorErr).toBeLessThan(1e-12)
      const refined = refineLattice(lattice, size, 3, [true, true, true])
      expect(refined.size).toEqual(size.map((s) => 2 * s - 3))
      lattice = refined.lattice
      size = refined.size
    }
  })

  it('refinement keeps the spline identical for orders 1–4 and can skip an axis', () => {
    for (const order of [1, 2, 3, 4]) {
      const size: [number, number, number] = [order + 2, order + 1, order + 3]
      const lattice = Float64Array.from({ length: size[0] * size[1] * size[2] }, (_, i) => Math.cos(i * 1.3))
      const n = [19, 14, 11]
      const before = new Float64Array(n[0] * n[1] * n[2])
      evaluateLatticeOnGrid(lattice, axisWeights(n[0], size[0], order), axisWeights(n[1], size[1], order), axisWeights(n[2], size[2], order), before)
      const r = refineLattice(lattice, size, order, [true, false, true])
      expect(r.size).toEqual([2 * size[0] - order, size[1], 2 * size[2] - order])
      const after = new Float64Array(before.length)
      evaluateLatticeOnGrid(r.lattice, axisWeights(n[0], r.size[0], order), axisWeights(n[1], r.size[1], order), axisWeights(n[2], r.size[2], order), after)
      // Same function; the epsilon pull-in at the far end differs between lattices by < 1e-3 of a voxel.
      for (let i = 0; i < before.length; i++) expect(after[i]).toBeCloseTo(before[i], 2)
      let interior = 0
      for (let z = 0; z < n[2] - 1; z++) for (let y = 0; y < n[1] - 1; y++) for (let x = 0; x < n[0] - 1; x++) {
        const i = x + n[0] * (y + n[1] * z)
        interior = Math.max(interior, Math.abs(after[i] - before[i]))
      }
      expect(interior).toBeLessThan(1e-12)
    }
  })

  it('rejects too few voxels or control points', () => {
    expect(() => axisWeights(1, 4, 3)).toThrow(/at least 2 voxels/)
    expect(() => axisWeights(10, 3, 3)).toThrow(/more than 3 control points/)
  })
})

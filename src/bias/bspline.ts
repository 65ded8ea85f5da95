/**
 * Uniform B-spline pieces of ITK's BSplineScatteredDataPointSetToImageFilter (Lee, Wolberg &
 * Shin 1997, "Scattered data interpolation with multilevel B-splines", IEEE TVCG 3(3)) and
 * BSplineControlPointImageFilter, specialised to data on an image grid so every operation is a
 * separable tensor-product contraction with precomputed per-axis weights.
 *
 * Conventions (ITK's): a lattice of L control points along an axis of order k has L − k spans;
 * grid voxel i of n maps to the parametric coordinate u = spans · i / (n − 1) (the image extent
 * in index space; origin, spacing and direction cancel out, as in ITK); control point
 * floor(u) + j (j = 0..k) has weight B_k(u − floor(u) − j + (k − 1)/2), B_k the centred
 * B-spline of order k. Lattices are stored x fastest. 2D lattices are handled as 3D lattices
 * with one control point along z (weight 1), which is algebraically identical.
 */

/** Per-axis weights of a grid of `n` voxels on a lattice of `latticeSize` control points. */
export interface AxisWeights {
  /** Number of grid voxels along the axis. */
  n: number
  /** Number of control points along the axis. */
  latticeSize: number
  /** Control points touching each voxel (spline order + 1; 1 on a degenerate axis). */
  support: number
  /** First control point index of voxel i. */
  base: Int32Array
  /** Weight of control point base[i] + j for voxel i at [i * support + j]. */
  weight: Float64Array
}

/** ITK's BSplineEpsilon: points at the far end of the domain are pulled just inside it. */
const BSPLINE_EPSILON = 1e-3

/**
 * Centred B-spline kernel of order `order` (ITK BSplineKernelFunction; orders 0–3 use ITK's
 * closed forms, higher orders the truncated-power formula).
 */
export function bsplineKernel(order: number, u: number): number {
  const a = Math.abs(u)
  switch (order) {
    case 0:
      return a < 0.5 ? 1 : a === 0.5 ? 0.5 : 0
    case 1:
      return a < 1 ? 1 - a : 0
    case 2:
      if (a < 0.5) return 0.75 - a * a
      if (a < 1.5) return (9 - 12 * a + 4 * a * a) / 8
      return 0
    case 3:
      if (a < 1) return (4 - 6 * a * a + 3 * a * a * a) / 6
      if (a < 2) return (8 - 12 * a + 6 * a * a - a * a * a) / 6
      return 0
    default: {
      // B_n(x) = 1/n! Σ_k (−1)^k C(n+1, k) (x + (n+1)/2 − k)_+^n
      const half = (order + 1) / 2
      if (a >= half) return 0
      let sum = 0
      let binom = 1
      let fact = 1
      for (let i = 2; i <= order; i++) fact *= i
      for (let k = 0; k <= order + 1; k++) {
        const t = u + half - k
        if (t > 0) sum += (k % 2 === 0 ? 1 : -1) * binom * Math.pow(t, order)
        binom = (binom * (order + 1 - k)) / (k + 1)
      }
      return sum / fact
    }
  }
}

/**
 * Weights of the `n` grid voxels of one axis on a lattice of `latticeSize` control points of
 * order `order` (ITK's reparameterisation, including its epsilon clamp at the far end).
 * `n = 1` with `latticeSize = 1` is a degenerate axis (2D images): weight 1.
 */
export function axisWeights(n: number, latticeSize: number, order: number): AxisWeights {
  if (n === 1 && latticeSize === 1) {
    return { n, latticeSize, support: 1, base: new Int32Array(1), weight: Float64Array.of(1) }
  }
  if (n < 2) throw new Error(`B-spline fitting needs at least 2 voxels along every axis, got ${n}`)
  const spans = latticeSize - order
  if (spans < 1) throw new Error(`A B-spline lattice of order ${order} needs more than ${order} control points, got ${latticeSize}`)
  const support = order + 1
  const base = new Int32Array(n)
  const weight = new Float64Array(n * support)
  const scale = spans / (n - 1)
  const epsilon = scale * BSPLINE_EPSILON
  const shift = 0.5 * (order - 1)
  for (let i = 0; i < n; i++) {
    let u = scale * i
    if (Math.abs(u - spans) <= epsilon) u = spans - epsilon
    if (u < 0 && Math.abs(u) <= epsilon) u = 0
    const b = Math.floor(u)
    base[i] = b
    const t = u - b
    for (let j = 0; j < support; j++) weight[i * support + j] = bsplineKernel(order, t - j + shift)
  }
  return { n, latticeSize, support, base, weight }
}

/**
 * One level of the Lee–Wolberg–Shin B-spline approximation of gridded data (ITK
 * BSplineScatteredDataPointSetToImageFilter with one fitting level and unit point weights):
 * every voxel listed in `indices` is a data point with value `values[index]`; returns the
 * control-point lattice φ = Σ_c w_c³/Σw² · v_c / Σ_c w_c² (Lee et al. eq. 5), 0 where no point
 * contributes. Because the point weights are tensor products, both sums are computed as three
 * separable contractions instead of a (k+1)^d loop per point.
 *
 * `inMask` flags the data points (1) of the grid; values elsewhere are ignored.
 */
export function fitLatticeOnGrid(
  values: ArrayLike<number>,
  inMask: Uint8Array,
  ax: AxisWeights,
  ay: AxisWeights,
  az: AxisWeights,
): Float64Array {
  const nx = ax.n
  const ny = ay.n
  const nz = az.n
  const lx = ax.latticeSize
  const ly = ay.latticeSize
  const lz = az.latticeSize
  // Per-axis factors: delta uses B³ / Σ_j B_j², omega uses B².
  const cube = (a: AxisWeights): Float64Array => {
    const out = new Float64Array(a.weight.length)
    for (let i = 0; i < a.n; i++) {
      let s2 = 0
      for (let j = 0; j < a.support; j++) s2 += a.weight[i * a.support + j] ** 2
      for (let j = 0; j < a.support; j++) out[i * a.support + j] = a.weight[i * a.support + j] ** 3 / s2
    }
    return out
  }
  const sq = (a: AxisWeights): Float64Array => a.weight.map((w) => w * w)
  const cx = cube(ax)
  const cy = cube(ay)
  const cz = cube(az)
  const qx = sq(ax)
  const qy = sq(ay)
  const qz = sq(az)
  const sx = ax.support
  const sy = ay.support
  const sz = az.support

  // Pass 1 (x): T[z][y][lx]
  const d1 = new Float64Array(nz * ny * lx)
  const o1 = new Float64Array(nz * ny * lx)
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = (z * ny + y) * nx
      const trow = (z * ny + y) * lx
      for (let x = 0; x < nx; x++) {
        if (inMask[row + x] === 0) continue
        const v = values[row + x]
        const b = trow + ax.base[x]
        const w = x * sx
        for (let j = 0; j < sx; j++) {
          d1[b + j] += v * cx[w + j]
          o1[b + j] += qx[w + j]
        }
      }
    }
  }
  // Pass 2 (y): T[z][ly][lx]
  const d2 = new Float64Array(nz * ly * lx)
  const o2 = new Float64Array(nz * ly * lx)
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const src = (z * ny + y) * lx
      for (let j = 0; j < sy; j++) {
        const wd = cy[y * sy + j]
        const wo = qy[y * sy + j]
        const dst = (z * ly + ay.base[y] + j) * lx
        for (let l = 0; l < lx; l++) {
          d2[dst + l] += d1[src + l] * wd
          o2[dst + l] += o1[src + l] * wo
        }
      }
    }
  }
  // Pass 3 (z): lattice[lz][ly][lx]
  const plane = ly * lx
  const d3 = new Float64Array(lz * plane)
  const o3 = new Float64Array(lz * plane)
  for (let z = 0; z < nz; z++) {
    const src = z * plane
    for (let j = 0; j < sz; j++) {
      const wd = cz[z * sz + j]
      const wo = qz[z * sz + j]
      const dst = (az.base[z] + j) * plane
      for (let l = 0; l < plane; l++) {
        d3[dst + l] += d2[src + l] * wd
        o3[dst + l] += o2[src + l] * wo
      }
    }
  }
  for (let l = 0; l < d3.length; l++) {
    const o = o3[l]
    const p = o !== 0 ? d3[l] / o : 0
    d3[l] = Number.isFinite(p) ? p : 0
  }
  return d3
}

/**
 * Evaluates a control-point lattice on a grid (ITK BSplineControlPointImageFilter): three
 * separable contractions, 〈k+1〉 multiply-adds per voxel. Writes into `out` (x fastest).
 */
export function evaluateLatticeOnGrid(
  lattice: Float64Array,
  ax: AxisWeights,
  ay: AxisWeights,
  az: AxisWeights,
  out: Float32Array | Float64Array,
): void {
  const nx = ax.n
  const ny = ay.n
  const nz = az.n
  const lx = ax.latticeSize
  const ly = ay.latticeSize
  const sx = ax.support
  const sy = ay.support
  const sz = az.support
  const plane = lx * ly
  const p1 = new Float64Array(plane)
  const p2 = new Float64Array(lx)
  for (let z = 0; z < nz; z++) {
    p1.fill(0)
    for (let j = 0; j < sz; j++) {
      const w = az.weight[z * sz + j]
      const src = (az.base[z] + j) * plane
      for (let l = 0; l < plane; l++) p1[l] += w * lattice[src + l]
    }
    for (let y = 0; y < ny; y++) {
      p2.fill(0)
      for (let j = 0; j < sy; j++) {
        const w = ay.weight[y * sy + j]
        const src = (ay.base[y] + j) * lx
        for (let l = 0; l < lx; l++) p2[l] += w * p1[src + l]
      }
      const row = (z * ny + y) * nx
      for (let x = 0; x < nx; x++) {
        const b = ax.base[x]
        const w = x * sx
        let s = 0
        for (let j = 0; j < sx; j++) s += ax.weight[w + j] * p2[b + j]
        out[row + x] = s
      }
    }
  }
}

/**
 * Doubles the number of spans of a lattice along each axis flagged in `refine` (ITK
 * BSplineControlPointImageFilter::RefineControlPointLattice with 2 levels): L → 2L − k control
 * points, each new one a binomial combination of its parents, 2^−k · C(k+1, off − 2j + k), the
 * two-scale relation of the uniform B-spline, so the refined spline is the same function.
 * Separable: applied axis by axis. Returns the new lattice and its size.
 */
export function refineLattice(
  lattice: Float64Array,
  size: [number, number, number],
  order: number,
  refine: [boolean, boolean, boolean],
): { lattice: Float64Array; size: [number, number, number] } {
  const coeff = [new Float64Array(order + 1), new Float64Array(order + 1)]
  const binom = (n: number, k: number): number => {
    if (k < 0 || k > n) return 0
    let r = 1
    for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i
    return r
  }
  for (let off = 0; off < 2; off++) {
    for (let j = 0; j <= order; j++) coeff[off][j] = binom(order + 1, off - 2 * j + order) / 2 ** order
  }
  let cur = lattice
  const dims: [number, number, number] = [...size]
  for (let axis = 0; axis < 3; axis++) {
    if (!refine[axis]) continue
    const oldL = dims[axis]
    const newL = 2 * oldL - order
    const newDims: [number, number, number] = [...dims]
    newDims[axis] = newL
    const next = new Float64Array(newDims[0] * newDims[1] * newDims[2])
    const strideOld = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1]
    const strideNew = axis === 0 ? 1 : axis === 1 ? newDims[0] : newDims[0] * newDims[1]
    // Iterate over all lines along `axis`.
    const outer = axis === 2 ? 1 : axis === 1 ? dims[2] : dims[1] * dims[2]
    const inner = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1]
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const baseOld = axis === 0 ? o * oldL : axis === 1 ? o * oldL * dims[0] + i : i
        const baseNew = axis === 0 ? o * newL : axis === 1 ? o * newL * dims[0] + i : i
        for (let m = 0; m < newL; m++) {
          const p = m >> 1
          const c = coeff[m & 1]
          let s = 0
          for (let j = 0; j <= order && p + j < oldL; j++) s += c[j] * cur[baseOld + (p + j) * strideOld]
          next[baseNew + m * strideNew] = s
        }
      }
    }
    cur = next
    dims[axis] = newL
  }
  return { lattice: cur, size: dims }
}

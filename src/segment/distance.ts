/**
 * Thresholded exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012,
 * "Distance Transforms of Sampled Functions", Theory of Computing 8:415–428): the squared
 * distance from every voxel to the nearest seed voxel, computed by separable 1D lower
 * envelopes of parabolas along x, y and z.
 *
 * Morphology only needs to know whether that distance is ≤ R², so values above R² are
 * clamped to +∞ after every pass (distances only grow in later passes): the buffer can be
 * float32 without losing the decision, and the far-from-seed parts of lines cost nothing.
 */
import type { Dims3 } from './volume'
import type { ProgressOptions } from './volume'

/**
 * Squared distance (with per-axis weights w = spacing² or 1) from each voxel to the nearest
 * voxel whose `seeds` byte equals `seedValue`, or +∞ when it is larger than `limit`.
 * `axes` = 2 skips the z pass (in-plane distance, slice by slice).
 */
export function clampedSquaredDistance(
  seeds: Uint8Array,
  seedValue: number,
  dims: Dims3,
  weights: [number, number, number],
  limit: number,
  axes: 2 | 3,
  progress: ProgressOptions & { from: number; to: number } = { from: 0, to: 1 },
): Float32Array {
  const [nx, ny, nz] = dims
  const n = nx * ny * nz
  const d = new Float32Array(n)
  const passes = axes === 3 && nz > 1 ? 3 : 2
  const step = (progress.to - progress.from) / passes
  const { onProgress, signal } = progress

  // Pass 1 (x): distance along the row to the nearest seed, by a forward and a backward sweep.
  const wx = weights[0]
  for (let z = 0; z < nz; z++) {
    signal?.throwIfAborted()
    for (let y = 0; y < ny; y++) {
      const base = (y + ny * z) * nx
      let last = -Infinity
      for (let x = 0; x < nx; x++) {
        if (seeds[base + x] === seedValue) last = x
        const k = x - last
        const v = wx * k * k
        d[base + x] = v <= limit ? v : Infinity
      }
      last = Infinity
      for (let x = nx - 1; x >= 0; x--) {
        if (seeds[base + x] === seedValue) last = x
        const k = last - x
        const v = wx * k * k
        if (v < d[base + x]) d[base + x] = v
      }
    }
    onProgress?.(progress.from + (step * (z + 1)) / nz, 'distance transform')
  }

  const len = Math.max(ny, nz)
  const f = new Float64Array(len)
  const out = new Float64Array(len)
  const v = new Int32Array(len)
  const zb = new Float64Array(len + 1)
  const fv = new Float64Array(len) // f[q] + w·q² of the envelope's parabolas
  const fk = new Float64Array(len) // f[q] of the envelope's parabolas

  /** 1D lower envelope of parabolas w·(p − q)² + f[q] over the finite f[q]. */
  const envelope = (m: number, w: number): boolean => {
    let k = 0
    for (let q = 0; q < m; q++) {
      const fq = f[q]
      if (fq === Infinity) continue
      const hq = fq + w * q * q
      let s = -Infinity
      while (k > 0) {
        const p = v[k - 1]
        s = (hq - fv[k - 1]) / (2 * w * (q - p))
        if (s <= zb[k - 1]) k--
        else break
      }
      if (k === 0) s = -Infinity
      v[k] = q
      fv[k] = hq
      fk[k] = fq
      zb[k] = s
      k++
    }
    if (k === 0) return false
    let j = 0
    for (let p = 0; p < m; p++) {
      while (j + 1 < k && zb[j + 1] < p) j++
      const dq = p - v[j]
      const val = w * dq * dq + fk[j]
      out[p] = val <= limit ? val : Infinity
    }
    return true
  }

  // Pass 2 (y), slice by slice.
  const wy = weights[1]
  for (let z = 0; z < nz; z++) {
    signal?.throwIfAborted()
    const sbase = z * nx * ny
    for (let x = 0; x < nx; x++) {
      let any = false
      for (let y = 0; y < ny; y++) {
        const val = d[sbase + x + y * nx]
        f[y] = val
        if (val !== Infinity) any = true
      }
      if (!any) continue
      envelope(ny, wy)
      for (let y = 0; y < ny; y++) d[sbase + x + y * nx] = out[y]
    }
    onProgress?.(progress.from + step + (step * (z + 1)) / nz, 'distance transform')
  }

  // Pass 3 (z).
  if (passes === 3) {
    const wz = weights[2]
    const plane = nx * ny
    for (let y = 0; y < ny; y++) {
      signal?.throwIfAborted()
      for (let x = 0; x < nx; x++) {
        const base = x + y * nx
        let any = false
        let all = true
        for (let z = 0; z < nz; z++) {
          const val = d[base + z * plane]
          f[z] = val
          if (val !== Infinity) any = true
          if (val !== 0) all = false
        }
        if (!any || all) continue
        envelope(nz, wz)
        for (let z = 0; z < nz; z++) d[base + z * plane] = out[z]
      }
      onProgress?.(progress.from + 2 * step + (step * (y + 1)) / ny, 'distance transform')
    }
  }
  return d
}

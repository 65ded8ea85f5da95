/**
 * Thresholded exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012,
 * "Distance Transforms of Sampled Functions", Theory of Computing 8:415–428): the squared
 * distance from every voxel to the nearest seed voxel, computed by separable 1D lower
 * envelopes of parabolas along x, y and z.
 *
 * Morphology only needs to know whether that distance is ≤ R², so values above R² are not
 * kept exact (distances only grow in later passes): the envelope passes clamp them to +∞,
 * which makes far-from-seed lines free, and for a short reach (small radius) the y and z
 * passes become a direct minimum over the 2k + 1 offsets on whole rows / planes. The buffer
 * can be float32 without changing any decision (integer squared distances are exact).
 */
import type { Dims3, ProgressOptions } from './volume'

/** Up to this reach (voxels) along an axis the y / z passes use a direct windowed minimum. */
export const WINDOWED_MAX_REACH = 6

/**
 * Squared distance (with per-axis weights w = spacing² or 1) from each voxel to the nearest
 * voxel whose `seeds` byte equals `seedValue` where it is ≤ `limit`; some value > `limit`
 * (possibly +∞) elsewhere.
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
): Float32Array | Uint8Array {
  const [nx, ny, nz] = dims
  const n = nx * ny * nz
  const passes = axes === 3 && nz > 1 ? 3 : 2
  const step = (progress.to - progress.from) / passes
  const { onProgress, signal } = progress
  const reach = (w: number) => Math.floor(Math.sqrt(limit / w))
  const short = weights.every((w, a) => a >= axes || reach(w) <= WINDOWED_MAX_REACH)
  // Unit weights and a short reach: squared distances are small integers, so bytes suffice
  // (255 = beyond the limit) and the passes move a quarter of the memory.
  const bytes = short && weights.every((w) => w === 1) && limit < 255
  const d = bytes ? new Uint8Array(n) : new Float32Array(n)
  const far = bytes ? 255 : Infinity

  const wx = weights[0]
  const rx = reach(wx)
  if (rx <= WINDOWED_MAX_REACH) {
    // Pass 1 (x), short reach: zero on seed runs, k² on the rx voxels either side of each run.
    d.fill(far)
    for (let z = 0; z < nz; z++) {
      signal?.throwIfAborted()
      for (let y = 0; y < ny; y++) {
        const base = (y + ny * z) * nx
        let x = 0
        while (x < nx) {
          while (x < nx && seeds[base + x] !== seedValue) x++
          if (x === nx) break
          const s = x
          while (x < nx && seeds[base + x] === seedValue) x++
          d.fill(0, base + s, base + x)
          for (let k = 1; k <= rx; k++) {
            const v = wx * k * k
            if (s - k >= 0 && v < d[base + s - k]) d[base + s - k] = v
            if (x - 1 + k < nx && v < d[base + x - 1 + k]) d[base + x - 1 + k] = v
          }
        }
      }
      onProgress?.(progress.from + (step * (z + 1)) / nz, 'distance transform')
    }
  } else {
    // Pass 1 (x): distance along the row to the nearest seed, by a forward and a backward sweep.
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

  // Short reach along an axis (small radius): a direct min over the 2k + 1 offsets, on whole
  // rows / planes at a time (contiguous memory), beats the envelope's strided line gathers.
  const wy = weights[1]
  const ry = reach(wy)
  if (ry <= WINDOWED_MAX_REACH) {
    const tmp = bytes ? new Uint8Array(nx * ny) : new Float32Array(nx * ny)
    for (let z = 0; z < nz; z++) {
      signal?.throwIfAborted()
      const sbase = z * nx * ny
      tmp.set(d.subarray(sbase, sbase + nx * ny))
      for (let y = 0; y < ny; y++) {
        const row = sbase + y * nx
        for (let dy = -ry; dy <= ry; dy++) {
          const yy = y + dy
          if (dy === 0 || yy < 0 || yy >= ny) continue
          const c = wy * dy * dy
          const src = yy * nx
          for (let x = 0; x < nx; x++) {
            const val = tmp[src + x] + c
            if (val < d[row + x]) d[row + x] = val
          }
        }
      }
      onProgress?.(progress.from + step + (step * (z + 1)) / nz, 'distance transform')
    }
  } else for (let z = 0; z < nz; z++) {
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
  const wz = weights[2]
  const rz = reach(wz)
  if (passes === 3 && rz <= WINDOWED_MAX_REACH) {
    const plane = nx * ny
    // Original values of the planes already overwritten (z − rz .. z − 1), in a ring.
    const ring = bytes ? new Uint8Array(Math.max(1, rz) * plane) : new Float32Array(Math.max(1, rz) * plane)
    const outPlane = bytes ? new Uint8Array(plane) : new Float32Array(plane)
    for (let z = 0; z < nz; z++) {
      signal?.throwIfAborted()
      const base = z * plane
      outPlane.set(d.subarray(base, base + plane))
      for (let dz = -rz; dz <= rz; dz++) {
        const zz = z + dz
        if (dz === 0 || zz < 0 || zz >= nz) continue
        const c = wz * dz * dz
        const src = dz < 0 ? ring : d
        const off = dz < 0 ? (zz % rz) * plane : zz * plane
        for (let i = 0; i < plane; i++) {
          const val = src[off + i] + c
          if (val < outPlane[i]) outPlane[i] = val
        }
      }
      if (rz > 0) ring.set(d.subarray(base, base + plane), (z % rz) * plane)
      d.set(outPlane, base)
      onProgress?.(progress.from + 2 * step + (step * (z + 1)) / nz, 'distance transform')
    }
  } else if (passes === 3) {
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

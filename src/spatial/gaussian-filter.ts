/** scipy.ndimage's Gaussian filter (truncate 4, mode 'reflect'), shared by the elastic deformation and the X-ray scatter model. */

/** scipy.ndimage.gaussian_filter1d weights: radius int(4σ + 0.5), normalised exp(−x²/2σ²). */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.floor(4 * sigma + 0.5)
  const w = new Float64Array(2 * radius + 1)
  let sum = 0
  for (let x = -radius; x <= radius; x++) sum += w[x + radius] = Math.exp((-0.5 / (sigma * sigma)) * x * x)
  for (let i = 0; i < w.length; i++) w[i] /= sum
  return w
}

/** scipy 'reflect' (d c b a | a b c d | d c b a) index. */
function reflect(p: number, n: number): number {
  const period = 2 * n
  p %= period
  if (p < 0) p += period
  return p < n ? p : period - 1 - p
}

/** scipy 'mirror' (d c b | a b c d | c b a) index: the edge voxel is not repeated. */
function mirror(p: number, n: number): number {
  if (n === 1) return 0
  const period = 2 * n - 2
  p %= period
  if (p < 0) p += period
  return p < n ? p : period - p
}

/** Boundary modes of {@link gaussianFilterInPlace}, named as scipy.ndimage names them. */
export type GaussianBoundary = 'reflect' | 'mirror'

/**
 * In-place separable Gaussian of a grid stored x fastest, exactly as
 * `scipy.ndimage.gaussian_filter(values, sigma, mode=mode, truncate=4.0)` (σ per axis in
 * voxels; axes with σ ≤ 1e-15 are skipped, as scipy does). Mode 'reflect' (default) or 'mirror'
 * (what scikit-image's `transform.resize` uses for its anti-aliasing filter).
 */
export function gaussianFilterInPlace(values: Float64Array, size: number[], sigmas: number[], mode: GaussianBoundary = 'reflect'): void {
  const edge = mode === 'mirror' ? mirror : reflect
  const strides = size.map((_, a) => size.slice(0, a).reduce((p, n) => p * n, 1))
  const line = new Float64Array(Math.max(...size))
  for (let a = 0; a < size.length; a++) {
    if (!(sigmas[a] > 1e-15)) continue
    const w = gaussianKernel(sigmas[a])
    const r = (w.length - 1) / 2
    const n = size[a]
    const stride = strides[a]
    const lines = values.length / n
    for (let l = 0; l < lines; l++) {
      // Start of line l: the voxel with index 0 along axis a.
      const low = l % stride
      const start = low + Math.floor(l / stride) * stride * n
      for (let i = 0; i < n; i++) line[i] = values[start + i * stride]
      for (let i = 0; i < n; i++) {
        let s = 0
        for (let k = -r; k <= r; k++) s += w[k + r] * line[edge(i + k, n)]
        values[start + i * stride] = s
      }
    }
  }
}

/** The random displacement field of Simard et al. for an image's grid (in voxels per index axis). */

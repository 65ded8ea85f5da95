/**
 * In-place iterative radix-2 complex FFT (Cooley–Tukey, decimation in time) on split real /
 * imaginary Float64Arrays whose length is a power of two.
 *
 * `inverse = false`: X[k] = Σ x[n] e^{-2πi kn/N} (vnl_fft_1d::fwd_transform).
 * `inverse = true`:  x[n] = Σ X[k] e^{+2πi kn/N}, unnormalised like vnl_fft_1d::bwd_transform
 * (divide by N yourself for the true inverse). N4's histogram sharpening only uses ratios, so
 * it matches ITK either way.
 * `twiddles` (optional, from {@link fftTwiddles}(N)): a precomputed table, for many transforms
 * of one length (the reconstruction filters of src/recon use it).
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false, twiddles?: FftTwiddles): void {
  const n = re.length
  if (im.length !== n) throw new Error(`fftInPlace: real part has ${n} values, imaginary part ${im.length}`)
  if (n === 0 || (n & (n - 1)) !== 0) throw new Error(`fftInPlace: length ${n} is not a power of two`)
  if (twiddles && twiddles.cos.length !== n >> 1) throw new Error(`fftInPlace: twiddles are for length ${2 * twiddles.cos.length}, not ${n}`)
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      let t = re[i]
      re[i] = re[j]
      re[j] = t
      t = im[i]
      im[i] = im[j]
      im[j] = t
    }
  }
  const sign = inverse ? 1 : -1
  const table = twiddles
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1
    const ang = (sign * 2 * Math.PI) / len
    const step = n / len
    for (let k = 0; k < half; k++) {
      // From the table when given; else cos/sin directly (not by recurrence), at machine precision.
      const wr = table ? table.cos[k * step] : Math.cos(ang * k)
      const wi = table ? sign * table.sin[k * step] : Math.sin(ang * k)
      for (let i = k; i < n; i += len) {
        const j = i + half
        const xr = re[j] * wr - im[j] * wi
        const xi = re[j] * wi + im[j] * wr
        re[j] = re[i] - xr
        im[j] = im[i] - xi
        re[i] += xr
        im[i] += xi
      }
    }
  }
}

/** Precomputed twiddle factors cos(2πk/n), sin(2πk/n), k < n/2, for repeated FFTs of one length. */
export interface FftTwiddles {
  readonly cos: Float64Array
  readonly sin: Float64Array
}

/**
 * Twiddle table for {@link fftInPlace} of length `n` (a power of two): pass it when many
 * transforms of one length run (e.g. filtering every view of a sinogram) to skip the cos/sin
 * calls; the result equals the untabled transform to rounding (~1e-16 relative).
 */
export function fftTwiddles(n: number): FftTwiddles {
  if (n < 2 || (n & (n - 1)) !== 0) throw new Error(`fftTwiddles: length ${n} is not a power of two ≥ 2`)
  const half = n >> 1
  const cos = new Float64Array(half)
  const sin = new Float64Array(half)
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n)
    sin[k] = Math.sin((2 * Math.PI * k) / n)
  }
  return { cos, sin }
}

import { fftInPlace } from './fft'

export interface SharpenOptions {
  /** Histogram bins over the log-intensity range. ITK default 200. */
  numberOfHistogramBins: number
  /** FWHM of the Gaussian bias-field model, in log-intensity units. ITK default 0.15. */
  biasFieldFullWidthAtHalfMaximum: number
  /** Wiener filter noise term. ITK default 0.01. */
  wienerFilterNoise: number
}

/**
 * N4's histogram sharpening (ITK N4BiasFieldCorrectionImageFilter::SharpenImage; Sled et al.
 * 1998 N3, Tustison et al. 2010 N4): build the triangular-Parzen histogram of the masked
 * log intensities, zero-pad it to a power of two ≥ 2 × bins, deconvolve the Gaussian bias
 * distribution of FWHM `biasFieldFullWidthAtHalfMaximum` by Wiener filtering in the Fourier
 * domain, estimate E[u | v] (the expected true intensity given the observed one) and map every
 * masked voxel through it by linear interpolation. Writes the sharpened values of the voxels in
 * `indices` into `out` (others untouched).
 *
 * Faithful to ITK 5.2 including its quirks: the min/max scan uses `if / else if` (so the first
 * voxel only updates the maximum), and voxels below the bin minimum map to the last bin value
 * (ITK's unsigned wrap of a negative bin index).
 */
export function sharpenLogImage(
  values: ArrayLike<number>,
  indices: Int32Array,
  out: Float32Array | Float64Array,
  options: SharpenOptions,
): void {
  const bins = options.numberOfHistogramBins
  let binMaximum = -3.4028234663852886e38 // NumericTraits<float>::NonpositiveMin()
  let binMinimum = 3.4028234663852886e38
  for (let k = 0; k < indices.length; k++) {
    const p = values[indices[k]]
    if (p > binMaximum) binMaximum = p
    else if (p < binMinimum) binMinimum = p
  }
  const histogramSlope = Math.fround((binMaximum - binMinimum) / (bins - 1))

  const H = new Float64Array(bins)
  for (let k = 0; k < indices.length; k++) {
    const cidx = (values[indices[k]] - binMinimum) / histogramSlope
    const idx = Math.floor(cidx)
    const offset = cidx - idx
    if (idx < 0) continue // unsigned wrap in ITK: never inside the histogram
    if (offset === 0) {
      if (idx < bins) H[idx] += 1
    } else if (idx < bins - 1) {
      H[idx] += 1 - offset
      H[idx + 1] += offset
    }
  }

  const exponent = Math.ceil(Math.log(bins) / Math.log(2)) + 1
  const padded = Math.round(2 ** exponent)
  const histogramOffset = Math.floor(0.5 * (padded - bins))

  const vRe = new Float64Array(padded)
  const vIm = new Float64Array(padded)
  for (let n = 0; n < bins; n++) vRe[n + histogramOffset] = H[n]
  fftInPlace(vRe, vIm)

  // Gaussian of the bias field's FWHM in bin units, wrapped around index 0.
  const scaledFWHM = options.biasFieldFullWidthAtHalfMaximum / histogramSlope
  const expFactor = (4 * Math.log(2)) / (scaledFWHM * scaledFWHM)
  const scaleFactor = (2 * Math.sqrt(Math.log(2) / Math.PI)) / scaledFWHM
  const fRe = new Float64Array(padded)
  const fIm = new Float64Array(padded)
  fRe[0] = scaleFactor
  const halfSize = padded >> 1
  for (let n = 1; n <= halfSize; n++) {
    const v = scaleFactor * Math.exp(-(n * n) * expFactor)
    fRe[n] = v
    fRe[padded - n] = v
  }
  fftInPlace(fRe, fIm)

  // Wiener deconvolution: G = conj(F) / (|F|² + noise); U = V · Re(G).
  const noise = options.wienerFilterNoise
  const uRe = new Float64Array(padded)
  const uIm = new Float64Array(padded)
  for (let n = 0; n < padded; n++) {
    const cr = fRe[n]
    const ci = -fIm[n]
    // c·F + noise, with c = conj(F)
    const dr = cr * fRe[n] - ci * fIm[n] + noise
    const di = cr * fIm[n] + ci * fRe[n]
    const den = dr * dr + di * di
    const gReal = (cr * dr + ci * di) / den
    uRe[n] = vRe[n] * gReal
    uIm[n] = vIm[n] * gReal
  }
  fftInPlace(uRe, uIm, true)
  for (let n = 0; n < padded; n++) {
    uRe[n] = Math.max(uRe[n], 0)
    uIm[n] = 0
  }

  // E[u | v] = (F ⊛ (u · U)) / (F ⊛ U)
  const numRe = new Float64Array(padded)
  const numIm = new Float64Array(padded)
  for (let n = 0; n < padded; n++) numRe[n] = (binMinimum + (n - histogramOffset) * histogramSlope) * uRe[n]
  fftInPlace(numRe, numIm)
  const denRe = Float64Array.from(uRe)
  const denIm = new Float64Array(padded)
  fftInPlace(denRe, denIm)
  for (let n = 0; n < padded; n++) {
    let r = numRe[n] * fRe[n] - numIm[n] * fIm[n]
    let i = numRe[n] * fIm[n] + numIm[n] * fRe[n]
    numRe[n] = r
    numIm[n] = i
    r = denRe[n] * fRe[n] - denIm[n] * fIm[n]
    i = denRe[n] * fIm[n] + denIm[n] * fRe[n]
    denRe[n] = r
    denIm[n] = i
  }
  fftInPlace(numRe, numIm, true)
  fftInPlace(denRe, denIm, true)
  const E = new Float64Array(bins)
  for (let n = 0; n < bins; n++) {
    const d = denRe[n + histogramOffset]
    E[n] = d !== 0 ? numRe[n + histogramOffset] / d : 0
  }

  const last = E[bins - 1]
  for (let k = 0; k < indices.length; k++) {
    const v = indices[k]
    const cidx = (values[v] - binMinimum) / histogramSlope
    const idx = Math.floor(cidx)
    out[v] = idx >= 0 && idx < bins - 1 ? E[idx] + (E[idx + 1] - E[idx]) * (cidx - idx) : last
  }
}

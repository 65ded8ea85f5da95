/**
 * Otsu's threshold (Otsu 1979, IEEE Trans. SMC 9(1):62–66) computed the way scikit-image 0.19
 * `skimage.filters.threshold_otsu(image, nbins=256)` computes it for floating-point data: a
 * numpy histogram of `nbins` equal bins over [min, max], bin centres, the between-class variance
 * w1·w2·(m1 − m2)² for every cut between bins, and the centre of the bin before the best cut.
 * For an integer typed array it does what skimage does for an integer numpy array
 * (`skimage.exposure.histogram` → `_bincount_histogram`): one bin per integer from the minimum to
 * the maximum, whatever `bins` says, so the threshold is one of the values. (ITK's
 * OtsuThresholdImageFilter, src/segment/otsu.ts, bins differently; the thresholds differ by a
 * fraction of a bin.)
 */

/** numpy.histogram(values, bins, range=(min, max)) counts and the bin centres, float64. */
function numpyHistogram(values: ArrayLike<number>, bins: number, min: number, max: number): { counts: Float64Array; centres: Float64Array } {
  // np.linspace(min, max, bins + 1): i·step + min, the last edge exactly max.
  const edges = new Float64Array(bins + 1)
  const step = (max - min) / bins
  for (let i = 0; i < bins; i++) edges[i] = i * step + min
  edges[bins] = max
  const counts = new Float64Array(bins)
  const norm = bins / (max - min)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!(v >= min && v <= max)) continue
    // numpy's fast path: truncate (v − min)·norm, then correct against the edges.
    let k = Math.trunc((v - min) * norm)
    if (k === bins) k--
    if (v < edges[k]) k--
    else if (k !== bins - 1 && v >= edges[k + 1]) k++
    counts[k]++
  }
  const centres = new Float64Array(bins)
  for (let i = 0; i < bins; i++) centres[i] = (edges[i] + edges[i + 1]) / 2
  return { counts, centres }
}

/** One bin per integer value min..max, centres at the integers (skimage's integer-image histogram). */
function integerHistogram(values: ArrayLike<number>, min: number, max: number): { counts: Float64Array; centres: Float64Array } {
  const n = max - min + 1
  const counts = new Float64Array(n)
  for (let i = 0; i < values.length; i++) counts[values[i] - min]++
  const centres = new Float64Array(n)
  for (let i = 0; i < n; i++) centres[i] = min + i
  return { counts, centres }
}

const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array]

/** skimage.filters.threshold_otsu of a list of values (class 2 is value > threshold). */
export function skimageOtsuThreshold(values: ArrayLike<number>, bins = 256): number {
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`skimageOtsuThreshold: bins must be an integer ≥ 2, got ${bins}`)
  if (values.length === 0) throw new Error('skimageOtsuThreshold: no values')
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (Number.isNaN(v)) throw new Error('skimageOtsuThreshold: the values contain NaN')
    if (v < min) min = v
    if (v > max) max = v
  }
  if (min === max) return min
  const integer = INTEGER_ARRAYS.some((T) => values instanceof T)
  if (integer && max - min + 1 > 1 << 24) throw new Error('skimageOtsuThreshold: the integer range is too wide for one bin per value')
  const { counts, centres } = integer ? integerHistogram(values, min, max) : numpyHistogram(values, bins, min, max)
  bins = centres.length
  // Cumulative weights and means from below (w1, m1) and from above (w2, m2), as skimage does.
  const w1 = new Float64Array(bins)
  const m1 = new Float64Array(bins)
  let w = 0
  let s = 0
  for (let i = 0; i < bins; i++) {
    w += counts[i]
    s += counts[i] * centres[i]
    w1[i] = w
    m1[i] = s / w
  }
  const w2 = new Float64Array(bins)
  const m2 = new Float64Array(bins)
  w = 0
  s = 0
  for (let i = bins - 1; i >= 0; i--) {
    w += counts[i]
    s += counts[i] * centres[i]
    w2[i] = w
    m2[i] = s / w
  }
  let best = 0
  let bestVar = -Infinity
  for (let i = 0; i < bins - 1; i++) {
    const d = m1[i] - m2[i + 1]
    const v = w1[i] * w2[i + 1] * d * d
    // np.argmax: the first maximum; NaN (0/0 of an empty side) never wins here, as in numpy only when no NaN occurs.
    if (v > bestVar) {
      bestVar = v
      best = i
    }
  }
  return centres[best]
}

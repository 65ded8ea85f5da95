import { pixelData, type Image } from '../image'
import { clipIntensity } from '../intensity/clip'
import { histogram, type HistogramResult } from '../metrics/histogram'
import { bodyMask } from './body-mask'

export interface ClipHistogramsOptions {
  /** The clip range [min, max] in HU. Default: [−1200, 600] (runCtPipeline's). */
  clip?: [number, number]
  /** Bin width in HU; bins span [range[0], range[1]]. Default: 20. */
  binWidth?: number
  /** HU range of the histograms. Default: [−1300, 3200]. */
  range?: [number, number]
  /** Count only voxels inside this mask. Default: the body, {@link bodyMask}(hu). */
  mask?: Image
}

export interface ClipHistogramsResult {
  /** Histogram of the HU of the body before clipping. */
  before: HistogramResult
  /** Histogram of the same voxels after clipping to `clip` (same bins). */
  after: HistogramResult
  /** Voxels counted (the mask's size). */
  voxels: number
  /** Voxels below / above the clip range, which clipping moves onto its bounds. */
  below: number
  above: number
}

/**
 * The HU histogram of the body before and after clipping (what the chapter plots to show what
 * clipping discards): {@link histogram} (numpy.histogram semantics) of the masked voxels of `hu`
 * and of `np.clip(hu, min, max)` on the same bins. Defaults: body mask, clip [−1200, 600],
 * 20 HU bins over [−1300, 3200].
 */
export function clipHistograms(hu: Image, options: ClipHistogramsOptions = {}): ClipHistogramsResult {
  const [lo, hi] = options.clip ?? [-1200, 600]
  const [min, max] = options.range ?? [-1300, 3200]
  const binWidth = options.binWidth ?? 20
  if (!(hi > lo)) throw new Error(`clipHistograms: clip must have min < max, got [${lo}, ${hi}]`)
  if (!(max > min) || !(binWidth > 0)) throw new Error(`clipHistograms: need range min < max and binWidth > 0, got [${min}, ${max}], ${binWidth}`)
  const mask = options.mask ?? bodyMask(hu)
  const bins = Math.max(1, Math.round((max - min) / binWidth))
  const before = histogram(hu, { bins, min, max, maskImage: mask })
  const src = pixelData(hu)
  const m = pixelData(mask)
  if (m.length !== src.length) throw new Error(`clipHistograms: the mask has ${m.length} voxels, the image ${src.length}`)
  let voxels = 0
  let below = 0
  let above = 0
  for (let i = 0; i < src.length; i++) {
    const v = src[i]
    if (m[i] !== 0) {
      voxels++
      if (v < lo) below++
      else if (v > hi) above++
    }
  }
  // Same component type as the input, so both histograms bin with the same arithmetic.
  const after = histogram(clipIntensity(hu, { min: lo, max: hi }), { bins, min, max, maskImage: mask })
  return { before, after, voxels, below, above }
}

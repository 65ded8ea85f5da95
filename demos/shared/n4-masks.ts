/**
 * The masks of the N4 figure, built from library functions: the brain (skull-stripped
 * Colin27 > 0), white matter (brain voxels above the Otsu threshold of the brain's intensities,
 * ITK OtsuThresholdImageFilter with 200 bins: the upper of Otsu's two classes, which in a T1
 * brain is white matter), and for a reader's own scan, where no stripped brain exists, the
 * Otsu foreground (what N4 itself uses) and the upper Otsu class within it.
 */
import type { Image } from '../../src/image'
import { siteWorker } from './site-worker'

// The page stays responsive: thresholds over the whole volume run in the worker.

export interface N4Masks {
  /** Where N4 fits the field (undefined: N4's own Otsu foreground). */
  fitMask?: Image
  /** Where the correlation of the log fields is measured. */
  region: Image
  /** Where the coefficient of variation is measured. */
  whiteMatter: Image
  /** The white-matter threshold (intensity of the clean scan). */
  wmThreshold: number
  wmVoxels: number
}

/** Masks from a skull-stripped brain (zero outside the brain, the clean scan's values inside). */
export async function masksFromStrippedBrain(stripped: Image, signal?: AbortSignal): Promise<N4Masks> {
  const { runInWorker } = siteWorker()
  const brain = await runInWorker('threshold', [stripped, { lower: Number.MIN_VALUE }], { signal })
  const wm = await runInWorker('otsuMask', [stripped, { maskImage: brain, numberOfHistogramBins: 200 }], { signal })
  return { fitMask: brain, region: brain, whiteMatter: wm.mask, wmThreshold: wm.threshold, wmVoxels: wm.voxels }
}

/** Masks of a scan without a stripped brain: Otsu foreground and its upper Otsu class. */
export async function masksFromOtsu(image: Image, signal?: AbortSignal): Promise<N4Masks> {
  const { runInWorker } = siteWorker()
  const foreground = await runInWorker('otsuMask', [image, { numberOfHistogramBins: 200 }], { signal })
  const wm = await runInWorker('otsuMask', [image, { maskImage: foreground.mask, numberOfHistogramBins: 200 }], { signal })
  return { region: foreground.mask, whiteMatter: wm.mask, wmThreshold: wm.threshold, wmVoxels: wm.voxels }
}

/**
 * The masks of the N4 figure, built from library functions: the brain (skull-stripped
 * Colin27 > 0), white matter (brain voxels above the Otsu threshold of the brain's intensities,
 * ITK OtsuThresholdImageFilter with 200 bins: the upper of Otsu's two classes, which in a T1
 * brain is white matter), and for a reader's own scan, where no stripped brain exists, the
 * Otsu foreground (what N4 itself uses) and the upper Otsu class within it.
 */
import type { Image } from '../../src/image'
import { pixelData } from '../../src/image'
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

/** The smallest bound that keeps Otsu's upper class (strictly above t) and drops t itself. */
function justAbove(t: number): number {
  return t + Math.max(1, Math.abs(t)) * 2 ** -40
}

function count(mask: ArrayLike<number>): number {
  let n = 0
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++
  return n
}

/** Masks from a skull-stripped brain (zero outside the brain, the clean scan's values inside). */
export async function masksFromStrippedBrain(stripped: Image, signal?: AbortSignal): Promise<N4Masks> {
  const { runInWorker } = siteWorker()
  const brain = await runInWorker('threshold', [stripped, { lower: Number.MIN_VALUE }], { signal })
  const t = await runInWorker('otsuThreshold', [stripped, { maskImage: brain, numberOfHistogramBins: 200 }], { signal })
  // Otsu's upper class is strictly above the threshold.
  const whiteMatter = await runInWorker('threshold', [stripped, { lower: justAbove(t) }], { signal })
  return { fitMask: brain, region: brain, whiteMatter, wmThreshold: t, wmVoxels: count(pixelData(whiteMatter)) }
}

/** Masks of a scan without a stripped brain: Otsu foreground and its upper Otsu class. */
export async function masksFromOtsu(image: Image, signal?: AbortSignal): Promise<N4Masks> {
  const { runInWorker } = siteWorker()
  const t0 = await runInWorker('otsuThreshold', [image, { numberOfHistogramBins: 200 }], { signal })
  const region = await runInWorker('threshold', [image, { lower: justAbove(t0) }], { signal })
  const t = await runInWorker('otsuThreshold', [image, { maskImage: region, numberOfHistogramBins: 200 }], { signal })
  // t > t0, so the voxels above t all lie in the foreground.
  const whiteMatter = await runInWorker('threshold', [image, { lower: justAbove(t) }], { signal })
  return { region, whiteMatter, wmThreshold: t, wmVoxels: count(pixelData(whiteMatter)) }
}

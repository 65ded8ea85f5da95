/**
 * The masks of the N4 figure, built from library functions: the brain (skull-stripped
 * Colin27 > 0), white matter (brain voxels above the Otsu threshold of the brain's intensities,
 * ITK OtsuThresholdImageFilter with 200 bins: the upper of Otsu's two classes, which in a T1
 * brain is white matter), and for a reader's own scan, where no stripped brain exists, the
 * Otsu foreground (what N4 itself uses) and the upper Otsu class within it.
 */
import type { Image } from '../../src/image'
import { imageLike, pixelData } from '../../src/image'
import { itkOtsuMask, itkOtsuThreshold } from '../../src/bias/otsu-mask'
import { siteWorker } from './site-worker'

// The page stays responsive: whole-volume thresholds run in the worker, the rest between frames.
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()))

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

function valuesWhere(data: ArrayLike<number>, mask: ArrayLike<number>): Float32Array {
  let n = 0
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++
  const out = new Float32Array(n)
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i]) out[j++] = data[i]
  return out
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
  await nextFrame()
  const values = valuesWhere(pixelData(stripped), pixelData(brain))
  await nextFrame()
  const t = itkOtsuThreshold(values, 200)
  // Otsu's upper class is strictly above the threshold.
  const whiteMatter = await runInWorker('threshold', [stripped, { lower: t + Math.max(1, Math.abs(t)) * 2 ** -40 }], { signal })
  return { fitMask: brain, region: brain, whiteMatter, wmThreshold: t, wmVoxels: count(pixelData(whiteMatter)) }
}

/** Masks of a scan without a stripped brain: Otsu foreground and its upper Otsu class. */
export async function masksFromOtsu(image: Image): Promise<N4Masks> {
  const data = pixelData(image)
  const fg = itkOtsuMask(data, 200)
  const region = imageLike(image, fg)
  await nextFrame()
  const t = itkOtsuThreshold(valuesWhere(data, fg), 200)
  await nextFrame()
  const wm = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) wm[i] = fg[i] && data[i] > t ? 1 : 0
  const whiteMatter = imageLike(image, wm)
  return { region, whiteMatter, wmThreshold: t, wmVoxels: count(wm) }
}

/**
 * Otsu's threshold (Otsu 1979, IEEE Trans. SMC 9(1):62–66) as ITK's OtsuThresholdImageFilter
 * computes it — the same code N4 uses for its default mask (see src/bias/otsu-mask.ts for ITK's
 * histogram details) — over the whole image or only the voxels of a mask.
 */
import { assertScalar, imageLike, pixelData, type Image } from '../image'
import { itkOtsuThreshold } from '../bias/otsu-mask'

export interface OtsuOptions {
  /** Histogram bins. Default 128, as ITK's OtsuThresholdImageFilter and SimpleITK's OtsuThreshold (the N4 mask uses 200). */
  numberOfHistogramBins?: number
  /** Only voxels where the mask is non-zero take part. Default: every voxel. */
  maskImage?: Image
}

function maskedValues(image: Image, mask: Image | undefined, operation: string): ArrayLike<number> {
  assertScalar(image, operation)
  const data = pixelData(image)
  if (!mask) return data
  const m = pixelData(mask)
  if (m.length !== data.length) throw new Error(`${operation}: the mask has ${m.length} voxels, the image ${data.length}`)
  let n = 0
  for (let i = 0; i < m.length; i++) if (m[i]) n++
  if (n === 0) throw new Error(`${operation}: the mask is empty`)
  const out = new Float64Array(n)
  for (let i = 0, j = 0; i < m.length; i++) if (m[i]) out[j++] = data[i]
  return out
}

/** The threshold; voxels strictly above it form Otsu's upper class. */
export function otsuThreshold(image: Image, options: OtsuOptions = {}): number {
  return itkOtsuThreshold(maskedValues(image, options.maskImage, 'otsuThreshold'), options.numberOfHistogramBins ?? 128)
}

export interface OtsuMaskResult {
  /** uint8, 1 on Otsu's upper class (value > threshold), inside the mask when one is given. */
  mask: Image
  /** The threshold ({@link otsuThreshold}). */
  threshold: number
  /** Number of voxels in the upper class. */
  voxels: number
}

/**
 * Otsu's upper class as a mask, with its threshold: ITK's OtsuThresholdImageFilter output
 * (there the classes are marked the other way round) and GetThreshold() in one call. Voxels
 * strictly above the threshold are in, exactly, whatever the pixel type.
 */
export function otsuMask(image: Image, options: OtsuOptions = {}): OtsuMaskResult {
  const t = otsuThreshold(image, options)
  const data = pixelData(image)
  const inside = options.maskImage ? pixelData(options.maskImage) : null
  const out = new Uint8Array(data.length)
  let voxels = 0
  for (let i = 0; i < data.length; i++) {
    if (data[i] > t && (!inside || inside[i])) {
      out[i] = 1
      voxels++
    }
  }
  return { mask: imageLike(image, out), threshold: t, voxels }
}

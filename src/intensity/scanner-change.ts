/**
 * A simulated "scanner change" for teaching intensity normalisation: a monotone nonlinear
 * remap of a magnitude image plus seeded noise. Not a physical MR model — a stand-in for what
 * differs between sites (receiver gain, contrast curve, noise level).
 */
import { assertScalar, imageLike, intensityRange, pixelData, type Image } from '../image'
import { mulberry32 } from '../random'

export interface ScannerChangeOptions {
  /** Multiplies the signal. Default 1. */
  gain?: number
  /** Exponent of the contrast curve (1 = linear). Default 1. */
  gamma?: number
  /** Noise standard deviation as a fraction of the image maximum. Default 0. */
  noise?: number
  /** Seed of the noise. Default 1. */
  seed?: number
}

/**
 * y = |gain · M · (x / M)^gamma + noise · M · n| for foreground voxels x > 0 (M = the image
 * maximum, n standard normal by Box–Muller from mulberry32(seed)); voxels ≤ 0 (the background
 * of a skull-stripped scan) stay 0, so the foreground is the same set of voxels. The absolute
 * value keeps a magnitude image non-negative. Float32 output. Without noise the remap is
 * strictly increasing, so every rank-based quantity (percentiles' voxels) is unchanged.
 */
export function simulateScannerChange(image: Image, options: ScannerChangeOptions = {}): Image {
  assertScalar(image, 'simulateScannerChange')
  const gain = options.gain ?? 1
  const gamma = options.gamma ?? 1
  const noise = options.noise ?? 0
  const seed = options.seed ?? 1
  if (!(Number.isFinite(gain) && gain > 0)) throw new RangeError(`simulateScannerChange: gain must be a positive number, got ${gain}`)
  if (!(Number.isFinite(gamma) && gamma > 0)) throw new RangeError(`simulateScannerChange: gamma must be a positive number, got ${gamma}`)
  if (!(Number.isFinite(noise) && noise >= 0)) throw new RangeError(`simulateScannerChange: noise must be ≥ 0, got ${noise}`)
  const data = pixelData(image)
  const { max } = intensityRange(image)
  if (!(max > 0)) throw new RangeError('simulateScannerChange: the image has no positive voxel (no foreground to remap)')
  const random = mulberry32(seed)
  let spare: number | null = null
  const normal = () => {
    if (spare !== null) {
      const s = spare
      spare = null
      return s
    }
    const u = 1 - random() // (0, 1]: log is finite
    const v = random()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
  const out = new Float32Array(data.length)
  const sd = noise * max
  for (let i = 0; i < data.length; i++) {
    const x = data[i]
    if (!(x > 0)) continue
    let y = gain * max * Math.pow(x / max, gamma)
    if (sd > 0) y += sd * normal()
    out[i] = Math.abs(y)
  }
  return imageLike(image, out)
}

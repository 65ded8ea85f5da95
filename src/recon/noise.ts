/**
 * Poisson counts for simulated scans: each pixel (or sinogram bin) value v ≥ 0 times `scale`
 * is the mean of an independent Poisson draw. Small means (< 10) by Knuth's product of
 * uniforms; larger ones by Hörmann's transformed rejection PTRS (Insurance: Mathematics and
 * Economics 12(1):39–45, 1993), the method numpy's generator uses. Reproducible from `seed`
 * (mulberry32).
 */
import { pixelData, type Image } from '../image'
import { mulberry32 } from '../random'
import { ReconError } from './errors'
import { checkNumber, image2d, size2d } from './common'

export interface PoissonNoiseOptions {
  /** Multiplies each value to give the mean count. Default 1. */
  scale?: number
  /** Seed of the generator. Default 1. */
  seed?: number
}

/** ln Γ(x) for x ≥ 1 by recursion to x ≥ 7 and Stirling's series (error < 1e-13). */
function logGamma(x: number): number {
  let shift = 0
  while (x < 7) {
    shift -= Math.log(x)
    x += 1
  }
  const z = 1 / (x * x)
  const series = (((((-1.392432216905900e-3 * z + 7.966439393939394e-4) * z - 5.952380952380952e-4) * z + 7.936507936507937e-4) * z - 2.777777777777778e-3) * z + 8.333333333333333e-2) / x
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series
}

/** One Poisson draw of mean `lam` ≥ 0. */
export function poissonSample(lam: number, random: () => number): number {
  if (lam === 0) return 0
  if (lam < 10) {
    const limit = Math.exp(-lam)
    let k = 0
    let prod = random()
    while (prod > limit) {
      k++
      prod *= random()
    }
    return k
  }
  const slam = Math.sqrt(lam)
  const loglam = Math.log(lam)
  const b = 0.931 + 2.53 * slam
  const a = -0.059 + 0.02483 * b
  const invalpha = 1.1239 + 1.1328 / (b - 3.4)
  const vr = 0.9277 - 3.6224 / (b - 2)
  for (;;) {
    const U = random() - 0.5
    const V = random()
    const us = 0.5 - Math.abs(U)
    const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43)
    if (us >= 0.07 && V <= vr) return k
    if (k < 0 || (us < 0.013 && V > us)) continue
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logGamma(k + 1)) return k
  }
}

/** An image of Poisson counts with means scale × value (values must be ≥ 0). */
export function poissonNoise(image: Image, options: PoissonNoiseOptions = {}): Image {
  const op = 'poissonNoise'
  const [nx, ny] = size2d(image, 'image', op)
  const scale = checkNumber(options.scale ?? 1, 'scale', op, 0, 1e12)
  const seed = checkNumber(options.seed ?? 1, 'seed', op, 0, 2 ** 32 - 1, true)
  const v = pixelData(image)
  for (let i = 0; i < v.length; i++) if (!(v[i] >= 0) || !Number.isFinite(v[i])) throw new ReconError('BAD_DATA', `${op}: value ${i} is ${v[i]}; means must be finite and ≥ 0`)
  const random = mulberry32(seed)
  const out = new Float64Array(v.length)
  for (let i = 0; i < v.length; i++) out[i] = poissonSample(scale * v[i], random)
  const result = image2d(nx, ny, out, `${image.name} (Poisson counts)`, [...image.spacing.slice(0, 2)], [...image.origin.slice(0, 2)])
  for (const [k, val] of image.metadata) result.metadata.set(k, val)
  return result
}

export interface TransmissionNoiseOptions {
  /** Unattenuated photons per ray (I₀). Default 1e4. */
  photons?: number
  /** Attenuation per unit of the sinogram's values (μ·pixel size). Default 1. */
  scale?: number
  /** Seed of the generator. Default 1. */
  seed?: number
}

/**
 * A CT sinogram measured with photon noise: each line integral p becomes counts
 * N ~ Poisson(I₀·e^{−scale·p}) and is turned back into −ln(N / I₀) / scale (Beer–Lambert and the
 * log transform; a ray with N = 0 is given N = 1, as a scanner must do something with it).
 */
export function transmissionNoise(sinogram: Image, options: TransmissionNoiseOptions = {}): Image {
  const op = 'transmissionNoise'
  const [nx, ny] = size2d(sinogram, 'sinogram', op)
  const photons = checkNumber(options.photons ?? 1e4, 'photons', op, 1, 1e12)
  const scale = checkNumber(options.scale ?? 1, 'scale', op, 1e-12, 1e12)
  const seed = checkNumber(options.seed ?? 1, 'seed', op, 0, 2 ** 32 - 1, true)
  const p = pixelData(sinogram)
  const random = mulberry32(seed)
  const out = new Float64Array(p.length)
  for (let i = 0; i < p.length; i++) {
    const n = poissonSample(photons * Math.exp(-scale * p[i]), random)
    out[i] = -Math.log(Math.max(n, 1) / photons) / scale
  }
  const result = image2d(nx, ny, out, `${sinogram.name} (${photons} photons per ray)`, [...sinogram.spacing.slice(0, 2)], [...sinogram.origin.slice(0, 2)])
  for (const [k, val] of sinogram.metadata) result.metadata.set(k, val)
  return result
}

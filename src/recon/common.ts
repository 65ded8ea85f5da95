/** Shared pieces of the reconstruction module: input checks and array views. */
import { makeImage, pixelData, type Image } from '../image'
import { ReconError } from './errors'

/** Options every long-running reconstruction operation accepts. */
export interface ProgressOptions {
  /** Called with the fraction done (0–1) and a short message. */
  onProgress?: (fraction: number, message?: string) => void
  /** Checked between views / iterations; aborting throws the signal's reason. */
  signal?: AbortSignal
}

/** Size [nx, ny] of a 2D scalar image (3D with one slice accepted), or a ReconError. */
export function size2d(image: Image, what: string, operation: string): [number, number] {
  if (!image || !image.imageType || !Array.isArray(image.size)) throw new ReconError('BAD_IMAGE', `${operation}: the ${what} is not an image`)
  if (image.imageType.components !== 1) throw new ReconError('BAD_IMAGE', `${operation}: the ${what} must be scalar (it has ${image.imageType.components} components)`)
  if (!image.data) throw new ReconError('BAD_IMAGE', `${operation}: the ${what} has no pixel data`)
  const dim = image.imageType.dimension
  if (dim !== 2 && !(dim === 3 && image.size[2] === 1)) throw new ReconError('BAD_IMAGE', `${operation}: the ${what} must be 2D (it is ${dim}D with size ${image.size.join('×')})`)
  const [nx, ny] = image.size
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 1 || ny < 1) throw new ReconError('BAD_IMAGE', `${operation}: the ${what} has size ${image.size.join('×')}`)
  if (image.data.length !== nx * ny) throw new ReconError('BAD_IMAGE', `${operation}: the ${what} has ${image.data.length} values for size ${nx}×${ny}`)
  if (image.data instanceof BigInt64Array || image.data instanceof BigUint64Array) throw new ReconError('BAD_IMAGE', `${operation}: 64-bit integer pixels are not supported`)
  return [nx, ny]
}

/** The angles (degrees) as a Float64Array, checked: finite, and `count` of them when given. */
export function checkAngles(angles: ArrayLike<number>, operation: string, count?: number): Float64Array {
  if (!angles || typeof angles.length !== 'number' || angles.length === 0) throw new ReconError('BAD_ANGLES', `${operation}: give at least one projection angle`)
  if (count !== undefined && angles.length !== count) {
    throw new ReconError('BAD_ANGLES', `${operation}: ${angles.length} angles given but the sinogram has ${count} views (rows)`)
  }
  const out = new Float64Array(angles.length)
  for (let i = 0; i < angles.length; i++) {
    const a = Number(angles[i])
    if (!Number.isFinite(a)) throw new ReconError('BAD_ANGLES', `${operation}: angle ${i} is ${angles[i]}, not a finite number of degrees`)
    out[i] = a
  }
  return out
}

/** `count` angles evenly spaced in [0°, 180°): numpy.linspace(0, 180, count, endpoint=False). */
export function defaultAngles(count: number): Float64Array {
  const out = new Float64Array(count)
  const step = 180 / count
  for (let i = 0; i < count; i++) out[i] = i * step
  return out
}

/** The angles a sinogram was made with (stored by `radon` in its metadata), if any. */
export function storedAngles(sinogram: Image): number[] | undefined {
  const a = sinogram.metadata?.get?.(SINOGRAM_ANGLES_KEY)
  return Array.isArray(a) && a.every((v) => typeof v === 'number') ? (a as number[]) : undefined
}

/** Metadata key under which `radon` records the projection angles (degrees) of a sinogram. */
export const SINOGRAM_ANGLES_KEY = 'recon.angles'

/** Pixel values as float64 (a copy). */
export function toFloat64(image: Image): Float64Array {
  return Float64Array.from(pixelData(image) as ArrayLike<number>)
}

/** A 2D float64 image from row-major values (x fastest). */
export function image2d(nx: number, ny: number, data: Float64Array, name: string, spacing = [1, 1], origin = [0, 0]): Image {
  return makeImage([nx, ny], { data, name, spacing, origin })
}

/** Throws if the option is not a finite number in [min, max]. */
export function checkNumber(value: unknown, name: string, operation: string, min: number, max: number, integer = false): number {
  const v = Number(value)
  if (typeof value !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new ReconError('BAD_OPTION', `${operation}: ${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${String(value)}`)
  }
  return v
}

/**
 * A sinogram of some of the views (in the order given), with their angles recorded: e.g. the
 * first k views, to watch a back-projection build up, or every m-th, for sparse-view sampling.
 */
export function selectViews(sinogram: Image, views: ArrayLike<number>, angles?: ArrayLike<number>): Image {
  const op = 'selectViews'
  const [bins, count] = size2d(sinogram, 'sinogram', op)
  const all = checkAngles(angles ?? storedAngles(sinogram) ?? defaultAngles(count), op, count)
  if (!views || views.length === 0) throw new ReconError('BAD_OPTION', `${op}: choose at least one view`)
  for (let k = 0; k < views.length; k++) {
    if (!Number.isInteger(views[k]) || views[k] < 0 || views[k] >= count) throw new ReconError('BAD_OPTION', `${op}: view ${views[k]} is not in 0..${count - 1}`)
  }
  const src = pixelData(sinogram)
  const data = new Float64Array(bins * views.length)
  for (let k = 0; k < views.length; k++) for (let b = 0; b < bins; b++) data[k * bins + b] = src[views[k] * bins + b]
  const out = image2d(bins, views.length, data, `${sinogram.name} (${views.length} views)`, [...sinogram.spacing], [...sinogram.origin])
  out.metadata.set(SINOGRAM_ANGLES_KEY, Array.from(views, (v) => all[v]))
  return out
}

/** The mean of each factor × factor block (the image shrunk by an integer factor; sizes must divide). */
export function blockMean(image: Image, factor: number): Image {
  const op = 'blockMean'
  const [nx, ny] = size2d(image, 'image', op)
  if (!Number.isInteger(factor) || factor < 1 || nx % factor !== 0 || ny % factor !== 0) throw new ReconError('BAD_OPTION', `${op}: factor ${factor} must be a positive integer dividing ${nx}×${ny}`)
  const w = nx / factor
  const h = ny / factor
  const src = pixelData(image)
  const out = new Float64Array(w * h)
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[((y / factor) | 0) * w + ((x / factor) | 0)] += src[y * nx + x]
  const f2 = factor * factor
  for (let i = 0; i < out.length; i++) out[i] /= f2
  return image2d(w, h, out, `${image.name} (÷${factor})`, image.spacing.slice(0, 2).map((s) => s * factor), [...image.origin.slice(0, 2)])
}

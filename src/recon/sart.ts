/**
 * SART (simultaneous algebraic reconstruction technique; Andersen & Kak, Ultrasonic Imaging
 * 6(1):81–94, 1984), one pass over all views, defined exactly as scikit-image 0.19's
 * `skimage.transform.iradon_sart` and its Cython `sart_projection_update`: rays sampled at
 * equidistant points inside the reconstruction circle with bilinear weights, the correction of
 * each ray spread back along it with a Hamming window (β = 0.46164), views taken in Köhler's
 * golden-ratio order (Köhler, IEEE NSS 2004). Chain calls (passing the result as `image`) for
 * more iterations.
 */
import type { Image } from '../image'
import { ReconError } from './errors'
import { checkAngles, checkNumber, defaultAngles, image2d, size2d, storedAngles, toFloat64, type ProgressOptions } from './common'

export interface IradonSartOptions extends ProgressOptions {
  /** Angles of the views in degrees. Default: those `radon` stored, else count evenly spaced in [0, 180). */
  angles?: ArrayLike<number>
  /** Starting estimate, bins × bins. Default: zeros. */
  image?: Image
  /** Relaxation λ of each update. Default 0.15 (skimage's). */
  relaxation?: number
  /** [low, high]: the estimate is clipped to this range after every view. Default: none. */
  clip?: [number, number]
}

const pyMod = (a: number, b: number): number => a - b * Math.floor(a / b)

/**
 * The order in which SART visits the views: skimage's `order_angles_golden_ratio` (start at the
 * smallest angle, then step by 180°/φ² and take the nearest unused view). Returns view indices.
 */
export function orderAnglesGoldenRatio(angles: ArrayLike<number>): number[] {
  const interval = 180
  const remaining = Array.from({ length: angles.length }, (_, i) => i).sort((a, b) => angles[a] - angles[b] || a - b)
  const order: number[] = []
  let angle = angles[remaining[0]]
  order.push(remaining.shift() as number)
  const golden = (1 + Math.sqrt(5)) / 2
  const increment = interval / golden ** 2
  while (remaining.length > 0) {
    angle = pyMod(angle + increment, interval)
    let above = 0 // numpy.searchsorted(remaining_angles, angle), side 'left'
    while (above < remaining.length && angles[remaining[above]] < angle) above++
    let below = above - 1
    if (below < 0) below += remaining.length // Python index −1
    above %= remaining.length
    const dBelow = Math.abs(angle - angles[remaining[below]])
    const distBelow = Math.min(pyMod(dBelow, interval), pyMod(dBelow, -interval))
    const dAbove = Math.abs(angle - angles[remaining[above]])
    const distAbove = Math.min(pyMod(dAbove, interval), pyMod(dAbove, -interval))
    order.push(remaining.splice(distBelow < distAbove ? below : above, 1)[0])
  }
  return order
}

/**
 * One SART pass equal to `skimage.transform.iradon_sart(sinogram.T, theta=angles, image=image,
 * relaxation=relaxation, clip=clip)` (float64): for each view in golden-ratio order, every ray's
 * residual (measured − sampled ray sum) divided by the sum of its squared weights is spread back
 * along the ray, and the estimate moves by λ times that update (then is clipped). Returns a
 * bins × bins image.
 */
export function iradonSart(sinogram: Image, options: IradonSartOptions = {}): Image {
  const op = 'iradonSart'
  const [bins, views] = size2d(sinogram, 'sinogram', op)
  const angles = checkAngles(options.angles ?? storedAngles(sinogram) ?? defaultAngles(views), op, views)
  const relaxation = checkNumber(options.relaxation ?? 0.15, 'relaxation', op, 0, 10)
  let clip: [number, number] | undefined
  if (options.clip !== undefined && options.clip !== null) {
    const c = options.clip
    if (!Array.isArray(c) || c.length !== 2 || !c.every((v) => typeof v === 'number' && !Number.isNaN(v)) || c[0] > c[1]) {
      throw new ReconError('BAD_OPTION', `${op}: clip must be [low, high] with low ≤ high`)
    }
    clip = [c[0], c[1]]
  }
  let estimate: Float64Array
  if (options.image) {
    const [ix, iy] = size2d(options.image, 'starting image', op)
    if (ix !== bins || iy !== bins) throw new ReconError('BAD_IMAGE', `${op}: the starting image is ${ix}×${iy}, it must be ${bins}×${bins} (the sinogram's bins)`)
    estimate = toFloat64(options.image)
  } else {
    estimate = new Float64Array(bins * bins)
  }
  const sino = toFloat64(sinogram)
  const n = bins
  const update = new Float64Array(n * n)
  const order = orderAnglesGoldenRatio(angles)
  for (let step = 0; step < order.length; step++) {
    if ((step & 7) === 0) options.signal?.throwIfAborted()
    const v = order[step]
    update.fill(0)
    const theta = (angles[v] / 180) * Math.PI
    for (let ray = 0; ray < n; ray++) rayUpdate(estimate, update, n, theta, ray, sino[v * n + ray])
    for (let i = 0; i < estimate.length; i++) {
      let x = estimate[i] + relaxation * update[i]
      if (clip) x = x < clip[0] ? clip[0] : x > clip[1] ? clip[1] : x
      estimate[i] = x
    }
    options.onProgress?.((step + 1) / order.length, 'SART')
  }
  const s = sinogram.spacing[0] ?? 1
  const r = Math.floor(n / 2)
  return image2d(n, n, estimate, `${sinogram.name} (SART)`, [s, s], [-r * s, -r * s])
}

/** The ray's geometry in skimage's bilinear_ray_sum / _update (array index i = row, j = col). */
function rayGeometry(n: number, theta: number, position: number) {
  const radius = Math.floor(n / 2) - 1
  const center = Math.floor(n / 2)
  const t = position - center
  const s0 = radius * radius >= t * t ? Math.sqrt(radius * radius - t * t) : 0
  const Ns = 2 * Math.ceil(2 * s0)
  const ds = Ns > 0 ? (2 * s0) / Ns : 0
  const c = Math.cos(theta)
  const sn = Math.sin(theta)
  return { Ns, ds, dx: -ds * c, dy: -ds * sn, x0: s0 * c - t * sn, y0: s0 * sn + t * c, center }
}

function rayUpdate(image: Float64Array, update: Float64Array, n: number, theta: number, position: number, measured: number): void {
  const g = rayGeometry(n, theta, position)
  if (g.Ns <= 0) return
  let sum = 0
  let norm = 0
  for (let k = 0; k <= g.Ns; k++) {
    const ii = g.x0 + k * g.dx + g.center
    const jj = g.y0 + k * g.dy + g.center
    const i = Math.floor(ii)
    const j = Math.floor(jj)
    const di = ii - i
    const dj = jj - j
    if (i > 0 && j > 0) {
      const w = (1 - di) * (1 - dj) * g.ds
      sum += w * image[i * n + j]
      norm += w * w
    }
    if (i > 0 && j < n - 1) {
      const w = (1 - di) * dj * g.ds
      sum += w * image[i * n + j + 1]
      norm += w * w
    }
    if (i < n - 1 && j > 0) {
      const w = di * (1 - dj) * g.ds
      sum += w * image[(i + 1) * n + j]
      norm += w * w
    }
    if (i < n - 1 && j < n - 1) {
      const w = di * dj * g.ds
      sum += w * image[(i + 1) * n + j + 1]
      norm += w * w
    }
  }
  const deviation = norm > 0 ? -(sum - measured) / norm : 0
  const beta = 0.46164
  for (let k = 0; k <= g.Ns; k++) {
    const ii = g.x0 + k * g.dx + g.center
    const jj = g.y0 + k * g.dy + g.center
    const i = Math.floor(ii)
    const j = Math.floor(jj)
    const di = ii - i
    const dj = jj - j
    const d = deviation * g.ds * (1 - beta - beta * Math.cos((2 * Math.PI * k) / (g.Ns - 1)))
    if (i > 0 && j > 0) update[i * n + j] += d * (1 - di) * (1 - dj)
    if (i > 0 && j < n - 1) update[i * n + j + 1] += d * (1 - di) * dj
    if (i < n - 1 && j > 0) update[(i + 1) * n + j] += d * di * (1 - dj)
    if (i < n - 1 && j < n - 1) update[(i + 1) * n + j + 1] += d * di * dj
  }
}

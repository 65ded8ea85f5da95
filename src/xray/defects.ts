/**
 * Defective pixels of a flat panel: finding them from the calibration frames and filling them
 * from their neighbours (chapter 2.3).
 *
 * Detection uses two tests per pixel, both against robust statistics of the whole frame:
 * - the dark frame: |D − median(D)| > darkThreshold · σ̂, with σ̂ = 1.4826 · MAD (the median
 *   absolute deviation scaled to the standard deviation of a normal distribution), catches hot
 *   and stuck pixels;
 * - the gain (flood − dark): |g / median(g) − 1| > gainTolerance catches dead and weak pixels
 *   and dead lines.
 * Filling replaces each defective pixel by the **median** of the valid pixels among its 8
 * neighbours (numpy `median`: the mean of the two middle values for an even count). A pixel with
 * no valid neighbour (inside a cluster) waits: each pass fills only pixels that have a valid
 * neighbour, and pixels filled in one pass count as valid in the next, so a cluster fills from
 * its rim inwards.
 */
import { makeImage, type Image } from '../image'
import { framePixels, requireOption, requireSameSize, XrayError } from './errors'

export interface DetectDefectsOptions {
  /** Dark-frame outlier threshold in robust standard deviations. Default 6. */
  darkThreshold?: number
  /** Largest allowed relative deviation of a pixel's gain from the median gain. Default 0.25. */
  gainTolerance?: number
}

/** numpy.median of a copy of the values (float64). */
function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort()
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * The defect map (uint8, 1 = defective) of a panel from its mean dark and flood frames, by the
 * two robust tests described above. Metadata 'defects:count' holds the number found.
 */
export function detectDefects(dark: Image, flood: Image, options: DetectDefectsOptions = {}): Image {
  const op = 'detectDefects'
  const d = framePixels(dark, op, 'dark frame')
  const f = framePixels(flood, op, 'flood frame')
  requireSameSize(dark, flood, op, 'flood frame')
  const darkThreshold = options.darkThreshold ?? 6
  const gainTolerance = options.gainTolerance ?? 0.25
  requireOption(Number.isFinite(darkThreshold) && darkThreshold > 0, `${op}: darkThreshold must be a positive number of robust standard deviations, got ${darkThreshold}`)
  requireOption(Number.isFinite(gainTolerance) && gainTolerance > 0 && gainTolerance < 1, `${op}: gainTolerance must be in (0, 1), got ${gainTolerance}`)
  const n = d.length
  const medDark = median(d)
  const dev = new Float64Array(n)
  for (let i = 0; i < n; i++) dev[i] = Math.abs(d[i] - medDark)
  const sigma = 1.4826 * median(dev)
  const g = new Float64Array(n)
  for (let i = 0; i < n; i++) g[i] = f[i] - d[i]
  const medGain = median(g)
  if (!(medGain > 0)) throw new XrayError('BAD_IMAGE', `${op}: the median of flood − dark is ${medGain}; the flood frame must be exposed`)
  const out = new Uint8Array(n)
  let count = 0
  for (let i = 0; i < n; i++) {
    const hot = dev[i] > darkThreshold * sigma
    const weak = Math.abs(g[i] / medGain - 1) > gainTolerance
    if (hot || weak) {
      out[i] = 1
      count++
    }
  }
  const map = makeImage(dark.size.slice(), { data: out, spacing: dark.spacing.slice(), origin: dark.origin.slice(), direction: dark.direction as ArrayLike<number>, name: `${dark.name} defect map` })
  map.metadata.set('defects:count', count)
  return map
}

export interface InterpolateDefectsOptions {
  /** Most passes (a cluster of width w needs about w / 2). Default 16. */
  maxPasses?: number
}

/**
 * The frame with every pixel where `defects` ≠ 0 replaced by the median of its valid
 * 8-neighbours (passes as described above), float32. Pixels still unfilled after `maxPasses`
 * (a defect map covering everything) keep their value; metadata 'defects:unfilled' counts them.
 */
export function interpolateDefects(image: Image, defects: Image, options: InterpolateDefectsOptions = {}): Image {
  const op = 'interpolateDefects'
  const src = framePixels(image, op, 'frame')
  const mask = framePixels(defects, op, 'defect map')
  requireSameSize(image, defects, op, 'defect map')
  const maxPasses = options.maxPasses ?? 16
  requireOption(Number.isInteger(maxPasses) && maxPasses >= 1 && maxPasses <= 1000, `${op}: maxPasses must be an integer in [1, 1000], got ${maxPasses}`)
  const [nx, ny] = image.size
  const out = Float32Array.from(src)
  const valid = Uint8Array.from(mask, (m) => (m ? 0 : 1))
  let todo: number[] = []
  for (let i = 0; i < valid.length; i++) if (!valid[i]) todo.push(i)
  const neighbours: number[] = []
  for (let pass = 0; pass < maxPasses && todo.length > 0; pass++) {
    const filled: [number, number][] = []
    const waiting: number[] = []
    for (const i of todo) {
      const x = i % nx
      const y = (i - x) / nx
      neighbours.length = 0
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx
        const yy = y + dy
        if ((dx || dy) && xx >= 0 && yy >= 0 && xx < nx && yy < ny && valid[yy * nx + xx]) neighbours.push(out[yy * nx + xx])
      }
      if (neighbours.length) filled.push([i, median(neighbours)])
      else waiting.push(i)
    }
    for (const [i, v] of filled) {
      out[i] = v
      valid[i] = 1
    }
    todo = waiting
  }
  const result = makeImage(image.size.slice(), { data: out, spacing: image.spacing.slice(), origin: image.origin.slice(), direction: image.direction as ArrayLike<number>, name: `${image.name} (defects interpolated)`, metadata: image.metadata })
  result.metadata.set('defects:unfilled', todo.length)
  return result
}

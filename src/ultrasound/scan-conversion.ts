/**
 * Scan conversion of sector (phased-array or curvilinear) ultrasound data: the scanner records
 * samples along scan lines fanning out from an apex, i.e. on a polar grid (angle θ, range r), and
 * the display needs a Cartesian grid (x lateral, z depth). Each output pixel is mapped back to
 * (θ, r) = (atan2(x, z), √(x² + z²)) and the polar data are read there by bilinear interpolation
 * (Szabo, Diagnostic Ultrasound Imaging: Inside Out, 2nd ed., 2013, ch. 10), exactly like
 * `scipy.ndimage.map_coordinates(polar, [row, col], order=1, mode='constant', cval=fill)`:
 * outside the sector (fractional index < 0 or > n − 1 on either axis) the pixel is `fill`.
 *
 * Conventions: the polar image has x = scan line (column c at angle θ₀ + c·(θ₁ − θ₀)/(lines − 1),
 * θ measured from the depth axis, positive towards +x) and y = range sample (row s at range
 * r₀ + s·(r₁ − r₀)/(samples − 1)). The output spans the sector's bounding box: x from the
 * smallest to the largest r·sin θ over the sector, z from its smallest r·cos θ to its largest,
 * pixel (i, j) at x = x_min + i·Δx, z = z_min + j·Δz with Δx = (x_max − x_min)/(width − 1) and
 * Δz = (z_max − z_min)/(height − 1).
 */
import { makeImage, pixelData, type Image } from '../image'
import { scalar2d, UltrasoundProcessingError } from './bmode'

export interface ScanConversionOptions {
  /** Angles of the first and last scan line in degrees from the depth axis (e.g. [−45, 45]); |θ| < 90. */
  angles: [number, number]
  /** Range of the first and last sample along each line in mm from the apex (0 ≤ r₀ < r₁). */
  depths: [number, number]
  /** Output [width, height] in pixels (2 to 4096 each). */
  outputSize: [number, number]
  /** Value outside the sector. Default 0. */
  fill?: number
  /** 'linear' (default, bilinear) or 'nearest' (the sample at the rounded fractional indices, for comparison). */
  interpolation?: 'linear' | 'nearest'
}

/** The Cartesian bounding box [xMin, xMax, zMin, zMax] (mm) of a sector. */
export function sectorBounds(angles: [number, number], depths: [number, number]): [number, number, number, number] {
  const [t0, t1] = angles.map((a) => (a * Math.PI) / 180)
  const [r0, r1] = depths
  const xs = [r0 * Math.sin(t0), r0 * Math.sin(t1), r1 * Math.sin(t0), r1 * Math.sin(t1)]
  const zs = [r0 * Math.cos(t0), r0 * Math.cos(t1), r1 * Math.cos(t0), r1 * Math.cos(t1)]
  const lo = Math.min(t0, t1)
  const hi = Math.max(t0, t1)
  if (lo <= 0 && hi >= 0) zs.push(r1, r0) // the line along the depth axis reaches z = r
  return [Math.min(...xs), Math.max(...xs), Math.min(...zs), Math.max(...zs)]
}

/**
 * The sector image (float64) of polar data, by bilinear interpolation; its spacing is [Δx, Δz] mm
 * and its origin [x_min, z_min] (see the module comment).
 */
export function scanConvert(polar: Image, options: ScanConversionOptions): Image {
  const op = 'scanConvert'
  const [lines, samples] = scalar2d(polar, op)
  const { angles, depths, outputSize } = options ?? ({} as ScanConversionOptions)
  const fill = options?.fill ?? 0
  if (!Array.isArray(angles) || angles.length !== 2 || !angles.every((a) => Number.isFinite(a) && Math.abs(a) < 90) || angles[0] === angles[1]) {
    throw new UltrasoundProcessingError('BAD_OPTION', `${op}: angles must be two different numbers of degrees in (−90, 90), got ${JSON.stringify(angles)}`)
  }
  if (!Array.isArray(depths) || depths.length !== 2 || !depths.every(Number.isFinite) || !(depths[0] >= 0 && depths[1] > depths[0])) {
    throw new UltrasoundProcessingError('BAD_OPTION', `${op}: depths must be [r0, r1] mm with 0 ≤ r0 < r1, got ${JSON.stringify(depths)}`)
  }
  if (!Array.isArray(outputSize) || outputSize.length !== 2 || !outputSize.every((n) => Number.isInteger(n) && n >= 2 && n <= 4096)) {
    throw new UltrasoundProcessingError('BAD_OPTION', `${op}: outputSize must be [width, height], integers in [2, 4096], got ${JSON.stringify(outputSize)}`)
  }
  const interpolation = options?.interpolation ?? 'linear'
  if (interpolation !== 'linear' && interpolation !== 'nearest') throw new UltrasoundProcessingError('BAD_OPTION', `${op}: interpolation must be 'linear' or 'nearest', got ${String(interpolation)}`)
  if (!Number.isFinite(fill)) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: fill must be a finite number`)
  if (lines < 2 || samples < 2) throw new UltrasoundProcessingError('BAD_IMAGE', `${op}: the polar image needs at least 2 lines and 2 samples (it is ${lines}×${samples})`)
  const [w, h] = outputSize
  const [xMin, xMax, zMin, zMax] = sectorBounds(angles, depths)
  const dx = (xMax - xMin) / (w - 1)
  const dz = (zMax - zMin) / (h - 1)
  const t0 = (angles[0] * Math.PI) / 180
  const dt = ((angles[1] - angles[0]) * Math.PI) / 180 / (lines - 1)
  const dr = (depths[1] - depths[0]) / (samples - 1)
  const src = pixelData(polar)
  const out = new Float64Array(w * h)
  const lastC = lines - 1
  const lastS = samples - 1
  for (let j = 0; j < h; j++) {
    const z = zMin + j * dz
    for (let i = 0; i < w; i++) {
      const x = xMin + i * dx
      const c = (Math.atan2(x, z) - t0) / dt
      const s = (Math.hypot(x, z) - depths[0]) / dr
      if (!(c >= 0 && c <= lastC && s >= 0 && s <= lastS)) {
        out[j * w + i] = fill
        continue
      }
      if (interpolation === 'nearest') {
        out[j * w + i] = Number(src[Math.round(s) * lines + Math.round(c)])
        continue
      }
      const c0 = Math.min(Math.floor(c), lastC - 1)
      const s0 = Math.min(Math.floor(s), lastS - 1)
      const fc = c - c0
      const fs = s - s0
      const k = s0 * lines + c0
      const top = (1 - fc) * Number(src[k]) + fc * Number(src[k + 1])
      const bottom = (1 - fc) * Number(src[k + lines]) + fc * Number(src[k + lines + 1])
      out[j * w + i] = (1 - fs) * top + fs * bottom
    }
  }
  return makeImage([w, h], { data: out, spacing: [dx, dz], origin: [xMin, zMin], name: `${polar.name} (scan-converted)` })
}

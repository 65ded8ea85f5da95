/**
 * Artifact simulators: a clean 2D slice in, the same slice as a scanner with one fault would
 * produce it out. Each works where the fault happens — in k-space for MRI, in the sinogram for CT —
 * so the artifact has its real shape, not a look-alike painted on the image.
 *
 * MRI (on the slice's k-space, fft2 of src/mri/kspace.ts, phase encoding along y):
 * - 'gibbs': only the central fraction of k-space is kept (a lower resolution acquisition, no
 *   filter); edges ring, with the ≈ 9 % overshoot of the Gibbs phenomenon.
 * - 'wrap': every R-th phase-encoding line is kept (field of view / R along y); whatever lies
 *   outside the smaller field of view folds back in.
 * - 'motion': the phase-encoding lines from a fraction of the acquisition onwards see the object
 *   shifted by `strength` pixels along y (a linear phase); ghosts repeat along the phase direction.
 * - 'spike': one k-space sample far from the centre is set to a large value ("herringbone"): a
 *   stripe pattern over the whole image at that spatial frequency.
 * CT (on the slice's sinogram, radon / iradon of src/recon):
 * - 'ring': one detector channel has a gain error of `strength` (relative); after filtered
 *   back-projection the channel's constant error becomes a ring at its distance from the centre.
 * - 'noise': Poisson photon noise at `strength` photons per ray (transmissionNoise), a low dose.
 * - 'ct-motion': the object shifts by `strength` pixels half-way through the rotation: streaks and
 *   doubled edges.
 */
import { LibraryError } from '../errors'
import { makeImage, type Image } from '../image'
import { complexMagnitude, fft2, ifft2 } from '../mri/kspace'
import { iradon, radon } from '../recon/radon'
import { transmissionNoise } from '../recon/noise'

export type ArtifactKind = 'gibbs' | 'wrap' | 'motion' | 'spike' | 'ring' | 'noise' | 'ct-motion'
export const MRI_ARTIFACTS: readonly ArtifactKind[] = ['gibbs', 'wrap', 'motion', 'spike']
export const CT_ARTIFACTS: readonly ArtifactKind[] = ['ring', 'noise', 'ct-motion']

export class ArtifactError extends LibraryError<'BAD_IMAGE' | 'BAD_OPTION'> {
  constructor(code: 'BAD_IMAGE' | 'BAD_OPTION', message: string) {
    super('ArtifactError', code, message)
  }
}

export interface ArtifactOptions {
  /**
   * How strong, per kind: gibbs — kept fraction of k-space (0.05–1, default 0.25); wrap — R (2–4,
   * default 2); motion — shift in pixels (default 4); spike — spike amplitude relative to the
   * k-space maximum (default 0.5); ring — relative gain error (default 0.05); noise — photons per
   * ray (default 1e4); ct-motion — shift in pixels (default 6).
   */
  strength?: number
  /** motion: the fraction of the acquisition after which the object moved. Default 0.5. */
  from?: number
  /** CT: number of views. Default 180. ring: which detector channel (default: a quarter of the way in). */
  views?: number
  channel?: number
  /** CT attenuation per pixel unit of the image for 'noise' (μ·pixel, so line integrals stay realistic). Default 0.02. */
  muScale?: number
  seed?: number
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new ArtifactError('BAD_OPTION', message)
}

function kspaceArtifact(image: Image, kind: ArtifactKind, o: ArtifactOptions): Image {
  const [nx, ny] = image.size
  const k = fft2(image, { shift: true })
  const d = k.data as Float64Array
  const cx = Math.floor(nx / 2)
  const cy = Math.floor(ny / 2)
  if (kind === 'gibbs') {
    const f = o.strength ?? 0.25
    check(f >= 0.05 && f <= 1, `gibbs: the kept fraction must be 0.05–1 (got ${f}).`)
    const hx = Math.max(1, Math.round((f * nx) / 2))
    const hy = Math.max(1, Math.round((f * ny) / 2))
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      if (Math.abs(x - cx) > hx || Math.abs(y - cy) > hy) d[2 * (y * nx + x)] = d[2 * (y * nx + x) + 1] = 0
    }
  } else if (kind === 'wrap') {
    const r = Math.round(o.strength ?? 2)
    check(r >= 2 && r <= 4, `wrap: the reduction factor must be 2–4 (got ${r}).`)
    // Keeping every R-th line (counted from the centre line) and zeroing the rest, then scaling by
    // R, is the same as an R-times smaller field of view along y: the image folds every ny / R rows.
    for (let y = 0; y < ny; y++) {
      const keep = (((y - cy) % r) + r) % r === 0
      for (let x = 0; x < nx; x++) {
        const i = 2 * (y * nx + x)
        d[i] = keep ? d[i] * r : 0
        d[i + 1] = keep ? d[i + 1] * r : 0
      }
    }
  } else if (kind === 'motion') {
    const shift = o.strength ?? 4
    const from = o.from ?? 0.5
    check(Number.isFinite(shift) && Math.abs(shift) <= ny / 2 && from >= 0 && from <= 1, 'motion: shift up to half the image, from 0–1.')
    // Lines are acquired in order of ky; from line `from·ny` on, the object is shifted by `shift`
    // pixels along y: a phase e^{−2πi ky·shift/ny} on those lines.
    const start = Math.round(from * ny)
    for (let y = start; y < ny; y++) {
      const ky = y - cy
      const a = (-2 * Math.PI * ky * shift) / ny
      const c = Math.cos(a)
      const s = Math.sin(a)
      for (let x = 0; x < nx; x++) {
        const i = 2 * (y * nx + x)
        const re = d[i]
        d[i] = re * c - d[i + 1] * s
        d[i + 1] = re * s + d[i + 1] * c
      }
    }
  } else {
    const amp = o.strength ?? 0.5
    check(amp > 0 && amp <= 10, `spike: amplitude 0–10 (got ${amp}).`)
    let max = 0
    for (let i = 0; i < d.length; i += 2) max = Math.max(max, Math.hypot(d[i], d[i + 1]))
    const sx = cx + Math.round(nx / 5)
    const sy = cy + Math.round(ny / 7)
    d[2 * (sy * nx + sx)] += amp * max
  }
  const out = complexMagnitude(ifft2(k, { shift: true }))
  return makeImage([nx, ny], { spacing: image.spacing, origin: image.origin, data: out.data as Float32Array, name: `${kind} artifact` })
}

function ctArtifact(image: Image, kind: ArtifactKind, o: ArtifactOptions): Image {
  const [nx, ny] = image.size
  check(nx === ny, `CT artifacts need a square slice (got ${nx} × ${ny}).`)
  const views = o.views ?? 180
  check(Number.isInteger(views) && views >= 8 && views <= 720, `views must be 8–720 (got ${views}).`)
  const angles = Float64Array.from({ length: views }, (_, i) => (180 * i) / views)
  let sinogram: Image
  if (kind === 'ct-motion') {
    const shift = Math.round(o.strength ?? 6)
    check(Math.abs(shift) <= nx / 4, `ct-motion: shift up to a quarter of the image (got ${shift}).`)
    // Views of the second half see the object moved by `shift` pixels along x.
    const moved = makeImage([nx, ny], { data: new Float32Array(nx * ny) })
    const src = image.data as ArrayLike<number>
    const dst = moved.data as Float32Array
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const sxp = x - shift
      dst[y * nx + x] = sxp >= 0 && sxp < nx ? Number(src[y * nx + sxp]) : 0
    }
    const half = Math.floor(views / 2)
    const a = radon(image, { angles: Array.from(angles.subarray(0, half)), circle: true })
    const b = radon(moved, { angles: Array.from(angles.subarray(half)), circle: true })
    const bins = a.size[0]
    const data = new Float64Array(bins * views)
    data.set(a.data as Float64Array, 0)
    data.set(b.data as Float64Array, bins * half)
    sinogram = makeImage([bins, views], { data })
  } else {
    sinogram = radon(image, { angles: Array.from(angles), circle: true })
  }
  if (kind === 'ring') {
    const g = o.strength ?? 0.05
    check(Math.abs(g) <= 1, `ring: the gain error must be within ±1 (got ${g}).`)
    const bins = sinogram.size[0]
    const ch = o.channel ?? Math.round(bins / 4)
    check(Number.isInteger(ch) && ch >= 0 && ch < bins, `ring: channel 0–${bins - 1} (got ${ch}).`)
    const s = sinogram.data as Float64Array
    for (let v = 0; v < views; v++) s[v * bins + ch] *= 1 + g
  } else if (kind === 'noise') {
    const photons = o.strength ?? 1e4
    check(photons >= 10 && photons <= 1e9, `noise: photons per ray 10–1e9 (got ${photons}).`)
    const mu = o.muScale ?? 0.02
    const s = sinogram.data as Float64Array
    const scaled = makeImage([...sinogram.size], { data: Float64Array.from(s, (v) => v * mu) })
    const noisy = transmissionNoise(scaled, { photons, seed: o.seed ?? 1 }).data as ArrayLike<number>
    for (let i = 0; i < s.length; i++) s[i] = Number(noisy[i]) / mu
  }
  const out = iradon(sinogram, { angles: Array.from(angles), filter: 'ramp', circle: true, outputSize: nx })
  return makeImage([nx, ny], { spacing: image.spacing, origin: image.origin, data: Float32Array.from(out.data as ArrayLike<number>), name: `${kind} artifact` })
}

/** The slice as a scanner with the fault `kind` would image it (see the module comment). */
export function simulateArtifact(image: Image, kind: ArtifactKind, options: ArtifactOptions = {}): Image {
  if (image.imageType.dimension !== 2 || !image.data || image.imageType.components !== 1) {
    throw new ArtifactError('BAD_IMAGE', 'simulateArtifact needs a 2D scalar slice.')
  }
  if ((MRI_ARTIFACTS as string[]).includes(kind)) return kspaceArtifact(image, kind, options)
  if ((CT_ARTIFACTS as string[]).includes(kind)) return ctArtifact(image, kind, options)
  throw new ArtifactError('BAD_OPTION', `Unknown artifact "${kind}" (${[...MRI_ARTIFACTS, ...CT_ARTIFACTS].join(', ')}).`)
}

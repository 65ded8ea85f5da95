/**
 * B-mode display steps applied to a detected envelope (rows = depth samples, columns = scan
 * lines): time-gain compensation and log compression to a dynamic range (Szabo, Diagnostic
 * Ultrasound Imaging: Inside Out, 2nd ed., 2013, ch. 10).
 *
 * - TGC: the echo from depth z has lost α·f·2z dB to attenuation on the way down and back, so
 *   the scanner amplifies sample row y by 10^(G(z)/20) with a gain G rising with depth; here G is
 *   a straight line of `slopeDbPerCm` (e.g. 2αf for ideal compensation) or a per-row curve.
 * - Log compression: a grey level 255 · clip((20 log₁₀(e / e_ref) + DR) / DR, 0, 1), so the
 *   brightest echo is white and echoes DR decibels below it (and weaker) are black.
 */
import { LibraryError } from '../errors'
import { makeImage, pixelData, type Image } from '../image'

/** Error codes of {@link UltrasoundProcessingError}. */
export type UltrasoundProcessingErrorCode =
  /** Not a 2D scalar image with pixel data (or a size the operation cannot use). */
  | 'BAD_IMAGE'
  /** An option is out of range. */
  | 'BAD_OPTION'

/** A problem with the input of TGC, log compression or scan conversion, with a `code`. */
export class UltrasoundProcessingError extends LibraryError<UltrasoundProcessingErrorCode> {
  constructor(code: UltrasoundProcessingErrorCode, message: string) {
    super('UltrasoundProcessingError', code, message)
  }
}

/** [width, height] of a 2D scalar image with pixel data, or an error naming the operation. */
export function scalar2d(image: Image, op: string): [number, number] {
  if (!image || !image.data || !image.imageType || image.imageType.components !== 1) throw new UltrasoundProcessingError('BAD_IMAGE', `${op}: give a scalar image with pixel data`)
  const dim = image.imageType.dimension
  if (dim !== 2 && !(dim === 3 && image.size[2] === 1)) throw new UltrasoundProcessingError('BAD_IMAGE', `${op}: the image must be 2D (it is ${dim}D)`)
  const [w, h] = image.size
  if (!(w >= 1 && h >= 1) || image.data.length !== w * h) throw new UltrasoundProcessingError('BAD_IMAGE', `${op}: ${image.data.length} values for size ${w}×${h}`)
  return [w, h]
}

export interface TgcOptions {
  /** Gain slope in dB per cm of depth (0 to 20). Default 0. Ignored when `curveDb` is given. */
  slopeDbPerCm?: number
  /** Own gain per sample row in dB (length = the image height, each in [−60, 120]). */
  curveDb?: ArrayLike<number>
  /** Depth of row 0 in mm. Default 0. */
  startDepthMm?: number
  /** Depth step between rows in mm. Default: the image's y spacing. */
  depthSpacingMm?: number
}

/** The envelope with row y multiplied by 10^(G(y)/20) (float64; geometry kept). */
export function timeGainCompensation(envelope: Image, options: TgcOptions = {}): Image {
  const op = 'timeGainCompensation'
  const [w, h] = scalar2d(envelope, op)
  const slope = options.slopeDbPerCm ?? 0
  const start = options.startDepthMm ?? 0
  const dz = options.depthSpacingMm ?? envelope.spacing[1] ?? 1
  if (!(Number.isFinite(slope) && slope >= 0 && slope <= 20)) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: slopeDbPerCm must be in [0, 20], got ${slope}`)
  if (!(Number.isFinite(start) && start >= 0)) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: startDepthMm must be ≥ 0, got ${start}`)
  if (!(Number.isFinite(dz) && dz > 0)) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: depthSpacingMm must be > 0, got ${dz}`)
  const curve = options.curveDb
  if (curve) {
    if (curve.length !== h) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: curveDb has ${curve.length} values for ${h} rows`)
    for (let y = 0; y < h; y++) if (!(curve[y] >= -60 && curve[y] <= 120)) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: curveDb[${y}] = ${curve[y]} is outside [−60, 120] dB`)
  }
  const src = pixelData(envelope)
  const out = new Float64Array(w * h)
  for (let y = 0; y < h; y++) {
    const db = curve ? curve[y] : (slope * (start + y * dz)) / 10
    const g = Math.pow(10, db / 20)
    for (let x = 0; x < w; x++) out[y * w + x] = Number(src[y * w + x]) * g
  }
  return makeImage([w, h], { data: out, spacing: envelope.spacing.slice(0, 2), origin: envelope.origin.slice(0, 2), name: `${envelope.name} (TGC)` })
}

export interface LogCompressionOptions {
  /** Dynamic range DR in dB (10 to 120). Default 60. */
  dynamicRangeDb?: number
  /** Reference envelope e_ref shown as white. Default: the image's maximum. */
  reference?: number
}

/** Log-compressed uint8 B-mode image (see the module comment); zero envelope is black. */
export function logCompress(envelope: Image, options: LogCompressionOptions = {}): Image {
  const op = 'logCompress'
  const [w, h] = scalar2d(envelope, op)
  const dr = options.dynamicRangeDb ?? 60
  if (!(Number.isFinite(dr) && dr >= 10 && dr <= 120)) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: dynamicRangeDb must be in [10, 120], got ${dr}`)
  if (options.reference !== undefined && !(Number.isFinite(options.reference) && options.reference > 0)) throw new UltrasoundProcessingError('BAD_OPTION', `${op}: reference must be a positive number, got ${options.reference}`)
  const src = pixelData(envelope)
  let ref = options.reference ?? 0
  if (options.reference === undefined) for (let i = 0; i < src.length; i++) if (Number(src[i]) > ref) ref = Number(src[i])
  const out = new Uint8Array(w * h)
  if (ref > 0) {
    for (let i = 0; i < out.length; i++) {
      const e = Number(src[i])
      if (!(e > 0)) continue
      const level = (20 * Math.log10(e / ref) + dr) / dr
      out[i] = Math.round(255 * Math.min(1, Math.max(0, level)))
    }
  }
  return makeImage([w, h], { data: out, spacing: envelope.spacing.slice(0, 2), origin: envelope.origin.slice(0, 2), name: `${envelope.name} (${dr} dB)` })
}

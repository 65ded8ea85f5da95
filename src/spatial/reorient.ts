/**
 * Axis reorientation of 3D images (a pure voxel permutation / flip, no interpolation), with
 * nibabel's orientation rules.
 *
 * Codes name, for each voxel axis i, j, k in order, the anatomical direction the axis points
 * TOWARD (its positive end), as nibabel's `aff2axcodes` does: 'RAS' means i increases to the
 * Right, j to Anterior, k to Superior. So `reorientImage(image, 'RAS')` gives the voxel order of
 * nibabel's `as_closest_canonical`, and `orientationCode` of an itk-wasm LPS-identity image is 'LPS'.
 *
 * CAUTION: ITK's `OrientImageFilter` / `SpatialOrientation` (ITK_COORDINATE_ORIENTATION_RAI, …)
 * and ITK-SNAP / DICOM-style "RAI" codes name the opposite end — where each axis comes FROM.
 * ITK's "RAI" is nibabel's (and this module's) 'LPS'. Swap each letter (R↔L, A↔P, S↔I) to convert.
 *
 * References:
 * - nibabel, orientations: https://nipy.org/nibabel/reference/nibabel.orientations.html
 *   (io_orientation, ornt_transform, apply_orientation, inv_ornt_aff, aff2axcodes) and
 *   https://nipy.org/nibabel/coordinate_systems.html
 * - ITK OrientImageFilter: https://itk.org/Doxygen/html/classitk_1_1OrientImageFilter.html
 */
import { LibraryError } from '../errors'
import type { Image, TypedArray } from '../image'

/** Error codes of {@link ReorientError}. */
export type ReorientErrorCode =
  /** The target code is not three distinct-axis letters from R/L, A/P, S/I. */
  | 'INVALID_CODE'
  /** The image is not 3D. */
  | 'UNSUPPORTED_DIMENSION'
  /** Size, spacing, origin or direction are malformed or inconsistent with the data. */
  | 'INVALID_GEOMETRY'
  /** The direction matrix is singular (voxel axes do not span 3D space). */
  | 'SINGULAR_DIRECTION'
  /** The image has no pixel data. */
  | 'NO_PIXEL_DATA'

/** A reorientation input problem, with a machine-readable `code`. */
export class ReorientError extends LibraryError<ReorientErrorCode> {
  constructor(code: ReorientErrorCode, message: string) {
    super('ReorientError', code, message)
  }
}

export interface ReorientOptions {
  /** Name of the output image. Default: the input's name. */
  name?: string
}

/** (negative end, positive end) labels of the RAS world axes, as nibabel's default labels. */
const LABELS: readonly (readonly [string, string])[] = [['L', 'R'], ['P', 'A'], ['I', 'S']]

/** One entry per voxel axis: the RAS world axis it is closest to, and ±1. */
type Ornt = { axis: number; sign: 1 | -1 }[]

/** Parses a code such as 'RAS' into an orientation (nibabel axcodes2ornt), or throws INVALID_CODE. */
function parseCode(code: unknown): Ornt {
  if (typeof code !== 'string' || code.length !== 3) {
    throw new ReorientError('INVALID_CODE', `reorientImage: orientation code must be a 3-letter string such as 'RAS' or 'LPS', got ${JSON.stringify(code)}`)
  }
  const ornt: Ornt = []
  const seen = new Set<number>()
  for (const ch of code) {
    const axis = LABELS.findIndex((l) => l[0] === ch || l[1] === ch)
    if (axis < 0) {
      throw new ReorientError('INVALID_CODE', `reorientImage: '${code}' has '${ch}', which is none of R, L, A, P, S, I (uppercase)`)
    }
    if (seen.has(axis)) {
      throw new ReorientError('INVALID_CODE', `reorientImage: '${code}' names the ${LABELS[axis].join('/')} axis twice; each of R/L, A/P, S/I must appear once`)
    }
    seen.add(axis)
    ornt.push({ axis, sign: LABELS[axis][1] === ch ? 1 : -1 })
  }
  return ornt
}

function checkGeometry(image: Image, at: string): void {
  const dim = image.imageType?.dimension ?? image.size?.length
  if (dim !== 3 || image.size?.length !== 3) {
    throw new ReorientError('UNSUPPORTED_DIMENSION', `${at} needs a 3D image, got ${image.size?.length ?? dim}D`)
  }
  const { size, spacing, origin, direction } = image
  if (!Array.isArray(spacing) || spacing.length !== 3 || !Array.isArray(origin) || origin.length !== 3 || !direction || direction.length !== 9) {
    throw new ReorientError('INVALID_GEOMETRY', `${at}: a 3D image needs 3 spacing, 3 origin and 9 direction values`)
  }
  for (const n of size) if (!Number.isInteger(n) || n < 1) throw new ReorientError('INVALID_GEOMETRY', `${at}: size must be positive integers, got ${size.join('×')}`)
  for (const s of spacing) if (!(s > 0) || !Number.isFinite(s)) throw new ReorientError('INVALID_GEOMETRY', `${at}: spacing must be positive, got ${spacing.join(', ')}`)
  for (const o of origin) if (!Number.isFinite(o)) throw new ReorientError('INVALID_GEOMETRY', `${at}: origin must be finite, got ${origin.join(', ')}`)
  for (let i = 0; i < 9; i++) if (!Number.isFinite(Number(direction[i]))) throw new ReorientError('INVALID_GEOMETRY', `${at}: direction must be finite`)
}

function det3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
}

/** Inverse transpose of a row-major 3×3 matrix. */
function invT3(m: Float64Array): Float64Array {
  const d = det3(m)
  // cofactor matrix / det = inverse transpose
  return Float64Array.from([
    (m[4] * m[8] - m[5] * m[7]) / d, -(m[3] * m[8] - m[5] * m[6]) / d, (m[3] * m[7] - m[4] * m[6]) / d,
    -(m[1] * m[8] - m[2] * m[7]) / d, (m[0] * m[8] - m[2] * m[6]) / d, -(m[0] * m[7] - m[1] * m[6]) / d,
    (m[1] * m[5] - m[2] * m[4]) / d, -(m[0] * m[5] - m[2] * m[3]) / d, (m[0] * m[4] - m[1] * m[3]) / d,
  ])
}

/**
 * nibabel io_orientation for the image's RAS voxel-to-world matrix: columns normalised, the
 * closest orthogonal matrix taken (polar decomposition — nibabel uses the SVD, here Newton's
 * iteration X ← (X + X⁻ᵀ)/2, which converges to the same factor), then voxel axes 0, 1, 2 are
 * assigned IN ORDER to the world axis of largest |cosine| among those not yet taken (first on ties).
 */
function ioOrientation(image: Image, at: string): Ornt {
  checkGeometry(image, at)
  const d = image.direction
  // RAS direction: negate the first two (L, P) rows of the LPS direction; normalise columns
  const rs = new Float64Array(9)
  for (let c = 0; c < 3; c++) {
    let n = 0
    for (let r = 0; r < 3; r++) n += Number(d[r * 3 + c]) ** 2
    n = Math.sqrt(n)
    if (n === 0) n = 1
    for (let r = 0; r < 3; r++) rs[r * 3 + c] = (r < 2 ? -1 : 1) * Number(d[r * 3 + c]) / n
  }
  if (!(Math.abs(det3(rs)) > 1e-12)) {
    throw new ReorientError('SINGULAR_DIRECTION', `${at}: the direction matrix of "${image.name}" is singular (its voxel axes do not span 3D space)`)
  }
  let x = rs
  for (let it = 0; it < 100; it++) {
    const y = invT3(x)
    let change = 0
    const next = new Float64Array(9)
    for (let i = 0; i < 9; i++) {
      next[i] = 0.5 * (x[i] + y[i])
      change = Math.max(change, Math.abs(next[i] - x[i]))
    }
    x = next
    if (change < 1e-15) break
  }
  const ornt: Ornt = []
  const used = [false, false, false]
  for (let c = 0; c < 3; c++) {
    let best = -1
    let bestAbs = -1
    for (let r = 0; r < 3; r++) {
      if (used[r]) continue
      const a = Math.abs(x[r * 3 + c])
      if (a > bestAbs) { bestAbs = a; best = r }
    }
    used[best] = true
    ornt.push({ axis: best, sign: x[best * 3 + c] < 0 ? -1 : 1 })
  }
  return ornt
}

function codeOf(ornt: Ornt): string {
  return ornt.map((o) => LABELS[o.axis][o.sign > 0 ? 1 : 0]).join('')
}

/**
 * The orientation code of a 3D image: for each voxel axis the anatomical direction it points
 * toward (nibabel `aff2axcodes` of the image's RAS affine; oblique axes take the closest
 * anatomical axis). An itk-wasm image with identity direction is 'LPS'.
 */
export function orientationCode(image: Image): string {
  return codeOf(ioOrientation(image, 'orientationCode'))
}

/**
 * Reorders (permutes and flips) the voxel axes of a 3D image so that they point toward the
 * directions named by `code` (nibabel convention, see the module comment; NOT ITK
 * OrientImageFilter's "from" convention: ITK's RAI is 'LPS' here). World geometry is unchanged —
 * every voxel keeps its physical position; `origin`, `direction` and `spacing` are updated. For
 * an oblique image the closest axes are used (nibabel io_orientation), so the result's direction
 * is still oblique. The pixels are copied without interpolation; multi-component pixels (stored
 * interleaved) and every typed-array type are preserved. Equals nibabel's
 * `apply_orientation(data, ornt_transform(io_orientation(affine), axcodes2ornt(code)))`; with
 * 'RAS' it is `as_closest_canonical`.
 *
 * Throws {@link ReorientError}: INVALID_CODE (e.g. 'RRS', 'XYZ'), UNSUPPORTED_DIMENSION,
 * INVALID_GEOMETRY, SINGULAR_DIRECTION, NO_PIXEL_DATA — all before allocating the output.
 */
export function reorientImage(image: Image, code: string, options: ReorientOptions = {}): Image {
  const target = parseCode(code)
  const start = ioOrientation(image, 'reorientImage')
  const data = image.data
  const nc = image.imageType.components
  const count = image.size[0] * image.size[1] * image.size[2]
  if (data == null) throw new ReorientError('NO_PIXEL_DATA', `reorientImage: image "${image.name}" has no pixel data`)
  if (!Number.isInteger(nc) || nc < 1 || data.length !== count * nc) {
    throw new ReorientError('INVALID_GEOMETRY', `reorientImage: image "${image.name}" has ${data.length} values but its size ${image.size.join('×')} × ${nc} component(s) needs ${count * nc}`)
  }
  // ornt_transform: input axis i goes to output axis outAxis[i], flipped when flip[i] = -1
  const outAxis = [0, 0, 0]
  const flip = [1, 1, 1]
  for (let i = 0; i < 3; i++) {
    const j = target.findIndex((t) => t.axis === start[i].axis)
    outAxis[i] = j
    flip[i] = target[j].sign === start[i].sign ? 1 : -1
  }
  const inAxis = [0, 0, 0] // output axis j comes from input axis inAxis[j]
  for (let i = 0; i < 3; i++) inAxis[outAxis[i]] = i

  const { size, spacing, origin } = image
  const dir = image.direction
  const outSize = inAxis.map((i) => size[i])
  const outSpacing = inAxis.map((i) => spacing[i])
  const outDir = new Float64Array(9)
  for (let j = 0; j < 3; j++) {
    const i = inAxis[j]
    for (let r = 0; r < 3; r++) outDir[r * 3 + j] = flip[i] * Number(dir[r * 3 + i])
  }
  // origin: physical point of the input voxel that becomes output voxel (0,0,0)
  const outOrigin = [...origin]
  for (let i = 0; i < 3; i++) {
    if (flip[i] < 0) {
      const k = (size[i] - 1) * spacing[i]
      for (let r = 0; r < 3; r++) outOrigin[r] += Number(dir[r * 3 + i]) * k
    }
  }

  // same typed-array class as the input (keeps e.g. Uint8ClampedArray, BigInt64Array)
  const out = new (data.constructor as new (n: number) => TypedArray)(data.length)
  // input strides (in voxels) along each input axis
  const inStride = [1, size[0], size[0] * size[1]]
  // for each output axis: the input stride it walks and the input start offset
  const step = [0, 0, 0]
  let base = 0
  for (let j = 0; j < 3; j++) {
    const i = inAxis[j]
    if (flip[i] < 0) { base += (size[i] - 1) * inStride[i]; step[j] = -inStride[i] } else step[j] = inStride[i]
  }
  const [n0, n1, n2] = outSize
  const src = data as unknown as { [k: number]: number | bigint }
  const dst = out as unknown as { [k: number]: number | bigint }
  let o = 0
  for (let z = 0; z < n2; z++) {
    for (let y = 0; y < n1; y++) {
      let v = base + z * step[2] + y * step[1]
      for (let x = 0; x < n0; x++, v += step[0]) {
        const s = v * nc
        for (let c = 0; c < nc; c++) dst[o++] = src[s + c]
      }
    }
  }
  return {
    imageType: { ...image.imageType },
    name: options.name ?? image.name,
    origin: outOrigin,
    spacing: outSpacing,
    direction: outDir,
    size: outSize,
    metadata: new Map(image.metadata),
    data: out,
  }
}

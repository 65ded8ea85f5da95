/**
 * The voxel-to-world affine of an image, in the two conventions a reader meets: DICOM/ITK's LPS
 * and NIfTI/nibabel's RAS.
 *
 * The library's Image keeps geometry as ITK does: a voxel index (i, j, k) maps to the LPS point
 * origin + D · diag(spacing) · (i, j, k), where D is the direction matrix (DICOM PS3.3
 * C.7.6.2.1.1, "Image Position and Image Orientation": for a slice, D's columns are the row
 * direction cosines, the column direction cosines and their cross product). NIfTI's sform
 * (NIfTI-1 header, `srow_x/y/z`, method 3) maps the same index to RAS, whose x and y axes point
 * the opposite way: RAS = diag(−1, −1, 1) · LPS. nibabel's `img.affine` is that RAS matrix.
 */
import type { Image } from '../image'
import { LibraryError } from '../errors'

/** A 4×4 homogeneous matrix, row-major (`m[r][c]`). */
export type Affine4 = number[][]

export type WorldSpace = 'LPS' | 'RAS'

export type AffineErrorCode = 'NOT_3D_GEOMETRY' | 'BAD_INDEX'

export class AffineError extends LibraryError<AffineErrorCode> {
  constructor(code: AffineErrorCode, message: string) {
    super('AffineError', code, message)
  }
}

export interface ImageAffineOptions {
  /** World convention of the result: 'LPS' (DICOM, ITK; the library's own) or 'RAS' (NIfTI sform, nibabel). Default 'LPS'. */
  space?: WorldSpace
}

/**
 * The 4×4 affine taking a voxel index (i, j, k, 1) — i along the image's x (columns), j along y
 * (rows), k along z (slices) — to world millimetres. A 2D image is treated as one slice whose
 * third axis is the normal (row × column cosines) with spacing 1.
 */
export function imageAffine(image: Pick<Image, 'imageType' | 'origin' | 'spacing' | 'direction'>, options: ImageAffineOptions = {}): Affine4 {
  const { space = 'LPS' } = options
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new AffineError('NOT_3D_GEOMETRY', `An affine needs a 2D or 3D image; this one has ${dim} dimensions.`)
  const d = (r: number, c: number) => Number(image.direction[r * dim + c])
  const cols: number[][] = []
  for (let c = 0; c < dim; c++) cols.push([0, 1, 2].map((r) => (r < dim ? d(r, c) : 0)))
  if (dim === 2) {
    const [a, b] = cols
    cols.push([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])
  }
  const spacing = [0, 1, 2].map((c) => (c < dim ? image.spacing[c] : 1))
  const origin = [0, 1, 2].map((r) => (r < dim ? image.origin[r] : 0))
  const flip = space === 'RAS' ? [-1, -1, 1] : [1, 1, 1]
  const m: Affine4 = [0, 1, 2].map((r) => [
    flip[r] * cols[0][r] * spacing[0],
    flip[r] * cols[1][r] * spacing[1],
    flip[r] * cols[2][r] * spacing[2],
    flip[r] * origin[r],
  ])
  m.push([0, 0, 0, 1])
  // -0 from the flips would print as "-0" in a matrix display.
  return m.map((row) => row.map((v) => (v === 0 ? 0 : v)))
}

/** Applies a 4×4 affine to a point or index (x, y, z); returns the 3 world coordinates. */
export function applyAffine(m: Affine4, p: ArrayLike<number>): [number, number, number] {
  if (p.length < 2 || p.length > 3 || !Array.from(p).every(Number.isFinite)) {
    throw new AffineError('BAD_INDEX', 'A point needs 2 or 3 finite coordinates.')
  }
  const x = p[0], y = p[1], z = p.length > 2 ? p[2] : 0
  return [0, 1, 2].map((r) => m[r][0] * x + m[r][1] * y + m[r][2] * z + m[r][3]) as [number, number, number]
}

/** Converts an affine between LPS and RAS (its own inverse): negates the first two rows. */
export function flipLpsRas(m: Affine4): Affine4 {
  return m.map((row, r) => (r < 2 ? row.map((v) => (v === 0 ? 0 : -v)) : [...row]))
}

/**
 * NIfTI orientation → ITK geometry, following ITK 5.4's NiftiImageIO
 * (`SetImageIOOrientationFromNIfTI`, itkNiftiImageIO.cxx) on top of nifti_clib's
 * `nifti_convert_nhdr2nim` / `nifti_quatern_to_mat44` (nifti1_io.c).
 *
 * nifti_clib builds both 4×4 matrices in single precision (`mat44` is float): we round every
 * element with Math.fround so the direction cosines agree with ITK to the last bits.
 *
 * Which matrix ITK uses:
 * 1. qform_code = sform_code = 0 → origin 0, identity direction (spacing still from pixdim).
 * 2. The sform is "decomposable without skew" when it is an invertible affine whose column-
 *    normalised 3×3 R satisfies R·Rᵀ ≈ I (tolerance 1e-4). Then the sform wins if the qform
 *    code is 0, or the sform code is SCANNER_ANAT (1), or both codes are set and the two
 *    matrices describe the same space (singular values, rotations, offsets within 1e-4).
 * 3. The sform also wins when both matrices agree element by element (3×3 within 1e-5).
 * 4. Otherwise the qform is used if its code is set; if not, the file is rejected
 *    ("ITK only supports orthonormal direction cosines"; ITK_NIFTI_SFORM_PERMISSIVE is off
 *    by default and is not emulated).
 * RAS → LPS: rows 0 and 1 of the chosen matrix are negated; origin = (−m03, −m13, m23);
 * direction columns are the normalised matrix columns. Spacing is pixdim (not the column
 * norms), scaled by the spatial unit (m → ×1000, µm → ×0.001; the origin too) and, for the
 * 4th axis, the time unit (ms, µs → s; origin[3] = toffset). A negative pixdim gives a positive
 * spacing and flips that direction column, as itk::ImageFileReader does (itk-wasm's readImage
 * skips that step and returns the negative spacing).
 */
import { NiftiError } from './nifti-errors'
import type { NiftiHeader } from './nifti-header'

type Mat4 = number[][] // row-major 4×4, float32-rounded values

const f32 = Math.fround

/** `nifti_quatern_to_mat44` with float32 storage of the result. */
export function quaternToMat44(
  qb: number, qc: number, qd: number, qx: number, qy: number, qz: number,
  dx: number, dy: number, dz: number, qfac: number,
): Mat4 {
  let b = qb
  let c = qc
  let d = qd
  let a = 1 - (b * b + c * c + d * d)
  if (a < 1e-7) {
    // 180° rotation: (b, c, d) is normalised and a = 0
    a = 1 / Math.sqrt(b * b + c * c + d * d)
    b *= a
    c *= a
    d *= a
    a = 0
  } else {
    a = Math.sqrt(a)
  }
  const xd = dx > 0 ? dx : 1
  const yd = dy > 0 ? dy : 1
  let zd = dz > 0 ? dz : 1
  if (qfac < 0) zd = -zd
  return [
    [f32((a * a + b * b - c * c - d * d) * xd), f32(2 * (b * c - a * d) * yd), f32(2 * (b * d + a * c) * zd), f32(qx)],
    [f32(2 * (b * c + a * d) * xd), f32((a * a + c * c - b * b - d * d) * yd), f32(2 * (c * d - a * b) * zd), f32(qy)],
    [f32(2 * (b * d - a * c) * xd), f32(2 * (c * d + a * b) * yd), f32((a * a + d * d - c * c - b * b) * zd), f32(qz)],
    [0, 0, 0, 1],
  ]
}

/** qto_xyz and sto_xyz as nifti_convert_nhdr2nim builds them (sto is all zero without an sform). */
export function niftiMatrices(h: NiftiHeader): { qto: Mat4; sto: Mat4; qformCode: number; sformCode: number } {
  const [, dx, dy, dz] = h.pixdim
  let qto: Mat4
  let qformCode = h.qformCode
  if (h.qformCode <= 0) {
    qto = [[f32(dx), 0, 0, 0], [0, f32(dy), 0, 0], [0, 0, f32(dz), 0], [0, 0, 0, 1]]
    qformCode = 0
  } else {
    const qfac = h.pixdim[0] < 0 ? -1 : 1
    qto = quaternToMat44(h.quatern[0], h.quatern[1], h.quatern[2], h.qoffset[0], h.qoffset[1], h.qoffset[2], dx, dy, dz, qfac)
  }
  let sto: Mat4
  let sformCode = h.sformCode
  if (h.sformCode <= 0) {
    sto = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    sformCode = 0
  } else {
    sto = [...h.srow.map((row) => row.map((v) => f32(v))), [0, 0, 0, 1]]
  }
  return { qto, sto, qformCode, sformCode }
}

function det3(m: number[][]): number {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
    - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
    + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
}

/** ITK's IsAffine: bottom row (0,0,0,1) within float epsilon and an invertible 3×3. */
function isAffine(m: Mat4): boolean {
  const bottom = Math.abs(m[3][3] - 1) + Math.abs(m[3][0]) + Math.abs(m[3][1]) + Math.abs(m[3][2])
  if (bottom > 1.1920928955078125e-7) return false
  const d = det3(m)
  return Number.isFinite(d) && d !== 0
}

function columnNorm(m: number[][], c: number): number {
  return Math.hypot(m[0][c], m[1][c], m[2][c])
}

/** The sform's 3×3, its columns normalised, is orthonormal to 1e-4 (ITK's sform_decomposable_without_skew). */
function sformDecomposableWithoutSkew(sto: Mat4): boolean {
  if (!isAffine(sto)) return false
  const r = [0, 1, 2].map((i) => [0, 1, 2].map((j) => sto[i][j]))
  for (let c = 0; c < 3; c++) {
    const n = columnNorm(r, c)
    if (n === 0) return false
    for (let i = 0; i < 3; i++) r[i][c] /= n
  }
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const v = r[i][0] * r[j][0] + r[i][1] * r[j][1] + r[i][2] * r[j][2]
      if (Math.abs(v - (i === j ? 1 : 0)) > 1e-4) return false
    }
  }
  return true
}

/** Element-wise agreement of the two matrices (ITK's qform_sform_are_similar). */
function elementwiseSimilar(s: Mat4, q: Mat4): boolean {
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (Math.abs(s[i][j] - q[i][j]) > 1e-5) return false
  let col = 0
  for (let i = 0; i < 4; i++) col += Math.abs(s[i][3] - q[i][3])
  if (col > 1e-7) return false
  let row = 0
  for (let j = 0; j < 4; j++) row += Math.abs(s[3][j] - q[3][j])
  return row <= 1e-7
}

/**
 * ITK's sform_and_qform_are_very_similar compares float32 LINPACK SVDs of the two 3×3 blocks
 * (singular values within 1e-4, U_s·U_q⁻¹ = I within 1e-4) and the offsets (1e-4). Measured
 * against itk-wasm's ITK: for an axis-aligned qform the test behaves like its tolerances say;
 * for an oblique one ITK's SVD signs make it fail unless the two 3×3 blocks are identical
 * (e.g. a qform and an sform written from the same double matrix, differing by float rounding,
 * read as qform). We reproduce that: tolerance test when the qform is axis-aligned, exact
 * equality otherwise. Either way the two candidates agree to 1e-4, so a miss costs < 1e-4.
 */
function verySimilar(s: Mat4, q: Mat4): boolean {
  const ns = [0, 1, 2].map((c) => columnNorm(s, c)).sort((a, b) => b - a)
  const nq = [0, 1, 2].map((c) => columnNorm(q, c)).sort((a, b) => b - a)
  for (let i = 0; i < 3; i++) if (Math.abs(ns[i] - nq[i]) > 1e-4) return false
  for (let i = 0; i < 3; i++) if (Math.abs(s[i][3] - q[i][3]) > 1e-4) return false
  for (let j = 0; j < 3; j++) if (Math.abs(s[3][j] - q[3][j]) > 1e-4) return false
  let axisAligned = true
  for (let c = 0; c < 3; c++) {
    let nonzero = 0
    for (let i = 0; i < 3; i++) if (q[i][c] !== 0) nonzero++
    if (nonzero !== 1) axisAligned = false
  }
  for (let c = 0; c < 3; c++) {
    const a = columnNorm(s, c)
    const b = columnNorm(q, c)
    for (let i = 0; i < 3; i++) {
      if (axisAligned ? Math.abs(s[i][c] / a - q[i][c] / b) > 1e-4 : s[i][c] !== q[i][c]) return false
    }
  }
  return true
}

export type NiftiMatrixChoice = 'qform' | 'sform' | 'none'

/**
 * Which ITK to match where versions differ: 'itk-wasm' (ITK 5.4 as in @itk-wasm/image-io, the
 * default) or 'itk-5.2' (Debian's C++ ITK 5.2 through itk::ImageFileReader). 5.2 differs in the
 * sform rule (see chooseNiftiMatrix), keeps the origin in file units, and ignores time units and
 * toffset for the 4th axis.
 */
export type NiftiCompat = 'itk-wasm' | 'itk-5.2'

/** Which of the two matrices ITK's NiftiImageIO uses for this header (throws where ITK throws). */
export function chooseNiftiMatrix(h: NiftiHeader, compat: NiftiCompat = 'itk-wasm'): { choice: NiftiMatrixChoice; matrix: Mat4 } {
  const { qto, sto, qformCode, sformCode } = niftiMatrices(h)
  if (qformCode === 0 && sformCode === 0) return { choice: 'none', matrix: qto }
  if (compat === 'itk-5.2') {
    // ITK 5.2: the sform must also have column norms equal to pixdim (1e-3), and it wins only
    // without a qform or with sform_code SCANNER_ANAT (measured with Debian's ITK 5.2).
    const scalesOk = [0, 1, 2].every((c) => Math.abs(columnNorm(sto, c) - h.pixdim[c + 1]) <= 1e-3)
    if (scalesOk && sformDecomposableWithoutSkew(sto) && (qformCode === 0 || sformCode === 1)) return { choice: 'sform', matrix: sto }
    if (qformCode !== 0) return { choice: 'qform', matrix: qto }
    throw new NiftiError(
      'INVALID_GEOMETRY',
      `NIfTI orientation rejected: the sform (code ${sformCode}) is not orthonormal with column lengths equal to pixdim, and there is no qform; ITK 5.2's NiftiImageIO refuses such files too`,
    )
  }
  let preferSform = elementwiseSimilar(sto, qto)
  if (!preferSform || sformCode !== 0) {
    if (sformDecomposableWithoutSkew(sto)) {
      if (qformCode === 0 && sformCode !== 0) preferSform = true
      else if (sformCode === 1) preferSform = true
      else if (qformCode !== 0 && sformCode !== 0) preferSform = verySimilar(sto, qto)
    }
  }
  if (preferSform) return { choice: 'sform', matrix: sto }
  if (qformCode !== 0) return { choice: 'qform', matrix: qto }
  throw new NiftiError(
    'INVALID_GEOMETRY',
    `NIfTI orientation rejected: the sform (code ${sformCode}) is not orthonormal (it has shear or is singular) and there is no qform; ITK's NiftiImageIO refuses such files too`,
  )
}

export interface NiftiGeometry {
  origin: number[]
  spacing: number[]
  direction: Float64Array
  choice: NiftiMatrixChoice
}

/** Spatial unit scale to mm from xyzt_units (ITK: metre ×1000, micron ×0.001, else 1). */
function spatialScale(xyztUnits: number): number {
  switch (xyztUnits & 7) {
    case 1: return 1e3
    case 3: return 1e-3
    default: return 1
  }
}

/** Time unit scale to seconds from xyzt_units (ITK: ms ×0.001, µs ×1e-6, else 1). */
function timeScale(xyztUnits: number): number {
  switch (xyztUnits & 0x38) {
    case 16: return 1e-3
    case 24: return 1e-6
    default: return 1
  }
}

/** ITK geometry (LPS) of an image of `dimension` axes described by header `h`. */
export function niftiGeometry(h: NiftiHeader, dimension: number, compat: NiftiCompat = 'itk-wasm'): NiftiGeometry {
  const { choice, matrix: m } = chooseNiftiMatrix(h, compat)
  const v52 = compat === 'itk-5.2'
  const dim = dimension
  const origin = new Array<number>(dim).fill(0)
  const direction = new Float64Array(dim * dim)
  for (let i = 0; i < dim; i++) direction[i * dim + i] = 1
  const nd = Math.min(dim, 3)
  const scale = spatialScale(h.xyztUnits)
  const originScale = v52 ? 1 : scale
  const tScale = v52 ? 1 : timeScale(h.xyztUnits)
  if (choice !== 'none') {
    // 0 - x rather than -x: no negative zeros in the result
    origin[0] = (0 - m[0][3]) * originScale
    if (dim > 1) origin[1] = (0 - m[1][3]) * originScale
    if (dim > 2) origin[2] = m[2][3] * originScale
    if (dim > 3 && !v52) origin[3] = h.toffset * tScale
    for (let c = 0; c < nd; c++) {
      const col = new Array<number>(nd)
      let ss = 0
      for (let r = 0; r < nd; r++) {
        col[r] = r < 2 ? 0 - m[r][c] : m[r][c]
        ss += col[r] * col[r]
      }
      const n = ss === 0 ? 1 : Math.sqrt(ss)
      for (let r = 0; r < nd; r++) direction[r * dim + c] = col[r] / n
    }
  }
  const spacing = new Array<number>(dim)
  for (let i = 0; i < dim; i++) {
    // Spatial axes are scaled to mm, the fourth to seconds; further axes are kept as stored.
    let s = h.pixdim[i + 1] * (i < 3 ? scale : i === 3 ? tScale : 1)
    if (s < 0) {
      // itk::ImageFileReader makes a negative spacing positive and flips the axis instead.
      s = -s
      for (let r = 0; r < dim; r++) direction[r * dim + i] = 0 - direction[r * dim + i]
    }
    spacing[i] = s
  }
  return { origin, spacing, direction, choice }
}

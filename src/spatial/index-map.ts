/**
 * The output-index → input-continuous-index map of ITK's ResampleImageFilter with an identity
 * transform, evaluated with ITK 5.2's own floating-point steps:
 *
 * - `ImageBase::TransformIndexToPhysicalPoint`: p[r] = origin[r]; p[r] += M[r][c] · index[c] (c = 0..)
 *   with M = Direction · diag(Spacing);
 * - `ImageBase::TransformPhysicalPointToContinuousIndex`: ci = M⁻¹ · (p − inputOrigin), with
 *   ITK's SVD-based M⁻¹ (itk-matrix.ts);
 * - `ResampleImageFilter::LinearThreadedGenerateData`: per scanline, the continuous indices of
 *   output x = 0 and x = size₀ are mapped, and voxel i gets start + (i / size₀) · (end − start).
 *
 * 2D images are padded to 3D (size 1, unit spacing, identity on the third axis); every added
 * term is an exact zero, so the 2D results are unchanged.
 */
import { indexToPhysicalMatrix, itkMatrixInverse } from './itk-matrix'

/** Geometry of an image padded to 3D: size, origin and M = Direction · diag(Spacing) (row-major 3×3). */
export interface Grid3 {
  size: [number, number, number]
  origin: Float64Array
  m: Float64Array
  /** The unpadded dim×dim M (ITK inverts this one). */
  mDim: Float64Array
  dim: number
}

/** Pads a 2D or 3D geometry to 3D. */
export function grid3(size: number[], spacing: number[], origin: number[], direction: ArrayLike<number>): Grid3 {
  const dim = size.length
  const mDim = indexToPhysicalMatrix(direction, spacing, dim)
  const m = new Float64Array(9)
  const o = new Float64Array(3)
  const s: [number, number, number] = [1, 1, 1]
  for (let r = 0; r < 3; r++) {
    if (r < dim) {
      o[r] = origin[r]
      s[r] = size[r]
      for (let c = 0; c < dim; c++) m[r * 3 + c] = mDim[r * dim + c]
    } else {
      m[r * 3 + r] = 1
    }
  }
  return { size: s, origin: o, m, mDim, dim }
}

export interface IndexMap {
  /** Input M⁻¹ (physical → index), row-major 3×3. */
  inverse: Float64Array
  /** Writes the input continuous index of output index (i, j, k) into `ci[0..2]`. */
  indexAt(i: number, j: number, k: number, ci: Float64Array): void
  /**
   * True when output axis a only moves input axis a and the cross terms are exact zeros
   * (axis-aligned grids, including flips): per-axis tables then reproduce the per-voxel map bit for bit.
   */
  separable: boolean
}

/** Builds the index map from an output grid to an input grid. */
export function makeIndexMap(input: Grid3, output: Grid3): IndexMap {
  let small: Float64Array
  try {
    small = itkMatrixInverse(input.mDim, input.dim)
  } catch {
    throw new Error('resample: the input image direction × spacing matrix is singular')
  }
  const inverse = new Float64Array(9)
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) inverse[r * 3 + c] = r < input.dim && c < input.dim ? small[r * input.dim + c] : r === c ? 1 : 0
  }
  const om = output.m
  const oo = output.origin
  const io = input.origin
  const indexAt = (i: number, j: number, k: number, ci: Float64Array): void => {
    let p0 = oo[0]
    p0 += om[0] * i
    p0 += om[1] * j
    p0 += om[2] * k
    let p1 = oo[1]
    p1 += om[3] * i
    p1 += om[4] * j
    p1 += om[5] * k
    let p2 = oo[2]
    p2 += om[6] * i
    p2 += om[7] * j
    p2 += om[8] * k
    const c0 = p0 - io[0]
    const c1 = p1 - io[1]
    const c2 = p2 - io[2]
    for (let r = 0; r < 3; r++) {
      let s = 0
      s += inverse[r * 3] * c0
      s += inverse[r * 3 + 1] * c1
      s += inverse[r * 3 + 2] * c2
      ci[r] = s
    }
  }
  // Structural check: input axis a reads physical component r only if inverse[a][r] ≠ 0, and that
  // component moves with output axis c only if M_out[r][c] ≠ 0.
  let separable = true
  for (let a = 0; a < 3; a++) {
    for (let c = 0; c < 3; c++) {
      if (a === c) continue
      for (let r = 0; r < 3; r++) if (inverse[a * 3 + r] !== 0 && om[r * 3 + c] !== 0) separable = false
    }
  }
  return { inverse, indexAt, separable }
}

/** ITK's inside-buffer rule (ImageFunction::IsInsideBuffer): −0.5 ≤ ci < size − 0.5 (false for NaN). */
export function insideBuffer(ci: number, n: number): boolean {
  return ci >= -0.5 && ci < n - 0.5
}

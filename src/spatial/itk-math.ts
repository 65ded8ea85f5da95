/**
 * ITK 5.2's integer rounding of continuous indices (itkMathDetail.h, x86-64 build).
 *
 * On x86 ITK computes `Math::Round` (RoundHalfIntegerUp) as `rint(2x + 0.5) >> 1` and
 * `Math::Floor` as `rint(2x - 0.5) >> 1`, with `rint` rounding half to even. Replaying the
 * same floating-point steps keeps exact ties (x.5 in nearest neighbour) bit-identical to ITK.
 */

/** 2^52 + 2^51: adding and subtracting it rounds a double to an integer, half to even (|y| < 2^51). */
const RNE = 6755399441055744

/** ITK `Math::RoundHalfIntegerUp` (NearestNeighborInterpolateImageFunction's rounding). */
export function itkRound(x: number): number {
  return Math.floor((2 * x + 0.5 + RNE - RNE) * 0.5)
}

/** ITK `Math::Floor` (LinearInterpolateImageFunction's base index). */
export function itkFloor(x: number): number {
  return Math.floor((2 * x - 0.5 + RNE - RNE) * 0.5)
}

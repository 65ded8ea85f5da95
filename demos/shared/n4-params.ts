/**
 * The N4 figure's parameters, named as ITK names them. Where the figure starts is not "ITK's
 * defaults": ITK's N4BiasFieldCorrectionImageFilter defaults to 1 fitting level × 50 iterations
 * and has no shrink factor (itkN4BiasFieldCorrectionImageFilter.hxx); 4 × 50 is SimpleITK's
 * example, shrink 4 the default of ANTs' N4BiasFieldCorrection. The remaining values are ITK's.
 */
import type { N4Options } from '../../src/bias/index'

export type N4Backend = 'typescript' | 'itk-wasm'

export interface N4Params {
  shrinkFactor: number
  levels: number
  iterations: number
  convergenceThreshold: number
  numberOfControlPoints: number
  biasFieldFullWidthAtHalfMaximum: number
  wienerFilterNoise: number
}

/** ITK's own defaults, for the labels. */
export const ITK_DEFAULTS = { levels: 1, iterations: 50, shrinkFactor: 1, convergenceThreshold: 0.001, numberOfControlPoints: 4, biasFieldFullWidthAtHalfMaximum: 0.15, wienerFilterNoise: 0.01 }

export const BACKEND_NAMES: Record<N4Backend, string> = { typescript: 'TypeScript port', 'itk-wasm': 'ITK (WebAssembly)' }

/** "shrink 4, 4 × 50": how a run is labelled next to its time and numbers. */
export function settingLabel(p: N4Params): string {
  return `shrink ${p.shrinkFactor}, ${p.levels} × ${p.iterations}`
}

/** A plain-words complaint about the first invalid parameter, or null. */
export function invalidParam(p: N4Params): string | null {
  if (!Number.isInteger(p.shrinkFactor) || p.shrinkFactor < 1 || p.shrinkFactor > 8) return 'ShrinkFactor must be an integer from 1 to 8.'
  if (!Number.isInteger(p.levels) || p.levels < 1 || p.levels > 6) return 'The number of fitting levels must be an integer from 1 to 6.'
  if (!Number.isInteger(p.iterations) || p.iterations < 1 || p.iterations > 500) return 'Iterations per level must be an integer from 1 to 500.'
  if (!(p.convergenceThreshold >= 0)) return 'ConvergenceThreshold must be ≥ 0.'
  if (!Number.isInteger(p.numberOfControlPoints) || p.numberOfControlPoints < 4 || p.numberOfControlPoints > 32) return 'NumberOfControlPoints must be an integer from 4 (spline order 3 + 1) to 32.'
  if (!(p.biasFieldFullWidthAtHalfMaximum > 0)) return 'BiasFieldFullWidthAtHalfMaximum must be > 0.'
  if (!(p.wienerFilterNoise >= 0)) return 'WienerFilterNoise must be ≥ 0.'
  return null
}

/** The library's options for these parameters (the TypeScript port needs no backend option). */
export function n4Options(p: N4Params, backend: N4Backend, maskImage: N4Options['maskImage']): N4Options & { backend?: N4Backend } {
  return {
    maskImage,
    shrinkFactor: p.shrinkFactor,
    numberOfIterations: new Array(p.levels).fill(p.iterations),
    convergenceThreshold: p.convergenceThreshold,
    numberOfControlPoints: p.numberOfControlPoints,
    biasFieldFullWidthAtHalfMaximum: p.biasFieldFullWidthAtHalfMaximum,
    wienerFilterNoise: p.wienerFilterNoise,
    ...(backend === 'typescript' ? {} : { backend }),
  }
}

/** What a progress message of either implementation says: level and iteration (the port), or ITK's silent fitting phase. */
export function parseN4Progress(text = ''): { level: number; levels: number; iteration: number; convergence: number } | { silent: boolean } {
  const m = /level (\d+)\/(\d+), iteration (\d+), convergence (\S+)/.exec(text)
  if (m) return { level: +m[1], levels: +m[2], iteration: +m[3], convergence: +m[4] }
  return { silent: /no progress until it ends/.test(text) }
}

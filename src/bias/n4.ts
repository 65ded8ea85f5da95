import type { Image } from '../image'
import { assertScalar, imageLike, pixelData, voxelCount } from '../image'
import { axisWeights, evaluateLatticeOnGrid, fitLatticeOnGrid, refineLattice } from './bspline'
import type { AxisWeights } from './bspline'
import { n4BiasFieldCorrectionItkWasm } from './n4-itk-wasm'
import { itkOtsuMask } from './otsu-mask'
import { sharpenLogImage } from './sharpen'
import { shrinkPlan } from './shrink'

export interface N4Options {
  /**
   * Voxels used to estimate the field: non-zero = inside (same size as the image). Default: an
   * Otsu foreground mask of the image (ITK OtsuThresholdImageFilter, 200 bins), as the ITK /
   * SimpleITK N4 examples build it.
   */
  maskImage?: Image
  /** Image and mask are subsampled by this integer factor (ITK ShrinkImageFilter) before fitting. Default 4. */
  shrinkFactor?: number
  /** Maximum iterations per fitting level; its length is the number of levels. Default [50, 50, 50, 50]. */
  numberOfIterations?: number[]
  /** A level stops when the coefficient of variation of exp(field change) in the mask falls to this. Default 0.001. */
  convergenceThreshold?: number
  /** B-spline order. Default 3. */
  splineOrder?: number
  /** Control points per axis at the first level (the lattice doubles its spans per level). Default 4. */
  numberOfControlPoints?: number
  /** Histogram bins of the log intensities for sharpening. Default 200. */
  numberOfHistogramBins?: number
  /** FWHM of the Gaussian model of the bias-field histogram blur (log units). Default 0.15. */
  biasFieldFullWidthAtHalfMaximum?: number
  /** Wiener filter noise. Default 0.01. */
  wienerFilterNoise?: number
  /** Called after every iteration and at the end with the fraction done (0..1). */
  onProgress?: (fraction: number, message?: string) => void
  /** Cancels the run: the promise rejects with the signal's reason (an AbortError). */
  signal?: AbortSignal
  /**
   * 'typescript' (default): this port. 'itk-wasm': ITK 5.2.1's own filter compiled to
   * WebAssembly (public/pipelines/n4-bias-field-correction, run with itk-wasm's runtime; in a
   * browser it needs `configureItkWasm({ ownPipelinesBaseUrl })`). Same pipeline and options;
   * its progress reports only the start and the end.
   */
  backend?: 'typescript' | 'itk-wasm'
  /** Backend 'itk-wasm' in a browser: run the module in its own Web Worker. Default: not when already in a worker. */
  webWorker?: boolean
}

export interface N4Result {
  /** image / biasField, float32, input geometry. */
  corrected: Image
  /** Multiplicative bias field exp(log field) at full resolution, float32, input geometry. */
  biasField: Image
  /** Iterations run at each fitting level. */
  iterations: number[]
  /** Convergence measure (CV of exp(Δ log field) in the mask) at the end of each level. */
  convergence: number[]
}

function checkInteger(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`n4BiasFieldCorrection: ${name} must be an integer ≥ ${min}, got ${value}`)
}

/** Yields to the event loop now and then so an AbortSignal fired from another task is seen. */
function makeYielder(): () => Promise<void> {
  let last = performance.now()
  return async () => {
    const now = performance.now()
    if (now - last < 50) return
    last = now
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
  }
}

/**
 * N4 bias field correction (Tustison et al. 2010, "N4ITK: Improved N3 Bias Correction", IEEE
 * TMI 29(6):1310–1320), a port of ITK 5.2's N4BiasFieldCorrectionImageFilter inside the usual
 * pipeline of the ITK / SimpleITK / Slicer N4 tools:
 *
 * 1. mask: `maskImage` (non-zero inside) or ITK's Otsu foreground (200 bins);
 * 2. image and mask subsampled by `shrinkFactor` (ITK ShrinkImageFilter);
 * 3. N4 on the shrunk image: log of masked voxels with intensity > 0; per iteration, sharpen the
 *    log-intensity histogram (Wiener deconvolution of a Gaussian of FWHM
 *    `biasFieldFullWidthAtHalfMaximum`, E[u|v] mapping), fit the residual log field with one
 *    level of Lee–Wolberg–Shin B-spline approximation and add its control points to the
 *    running lattice; a level ends after `numberOfIterations[level]` iterations or when the
 *    coefficient of variation of exp(old − new field) in the mask ≤ `convergenceThreshold`;
 *    between levels the lattice is refined (spans doubled);
 * 4. the full-resolution log field is evaluated from the final lattice
 *    (ITK BSplineControlPointImageFilter on the input grid), biasField = exp(log field),
 *    corrected = image / biasField.
 *
 * Defaults are those of the usual tools, not of ITK's filter alone: shrinkFactor 4 (ITK's filter has
 * no shrink factor; 4 is ANTs N4BiasFieldCorrection's), numberOfIterations [50, 50, 50, 50]
 * (SimpleITK's and ANTs' 4 levels × 50; ITK's filter defaults to 1 level × 50),
 * convergenceThreshold 0.001, splineOrder 3, numberOfControlPoints 4, numberOfHistogramBins
 * 200, biasFieldFullWidthAtHalfMaximum 0.15, wienerFilterNoise 0.01. 2D and 3D scalar images.
 * As in ITK, the B-spline domain is the image's index extent (origin, spacing and direction do
 * not change the result), and the field is defined up to a constant factor. As in the ITK /
 * SimpleITK / ANTs tools, step 4 maps the full grid's extent onto the lattice domain that the
 * shrunk grid (voxels offset … offset + (m − 1)·f) was fitted on, a stretch of at most f − 1
 * voxels at each end that the tools accept.
 *
 * `backend: 'itk-wasm'` runs the same pipeline in ITK 5.2.1 itself (N4BiasFieldCorrectionImageFilter,
 * OtsuThresholdImageFilter, ShrinkImageFilter, BSplineControlPointImageFilter) compiled to
 * WebAssembly, through itk-wasm's runtime (see n4-itk-wasm.ts); results match this port.
 */
export async function n4BiasFieldCorrection(image: Image, options: N4Options = {}): Promise<N4Result> {
  const op = 'n4BiasFieldCorrection'
  assertScalar(image, op)
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new Error(`${op} needs a 2D or 3D image, got ${dim}D`)
  if (image.size.length !== dim) throw new Error(`${op}: image size ${image.size.join('×')} does not match its dimension ${dim}`)
  const data = pixelData(image)
  const shrinkFactor = options.shrinkFactor ?? 4
  const iterationsPerLevel = options.numberOfIterations ?? [50, 50, 50, 50]
  const convergenceThreshold = options.convergenceThreshold ?? 0.001
  const splineOrder = options.splineOrder ?? 3
  const numberOfControlPoints = options.numberOfControlPoints ?? 4
  const numberOfHistogramBins = options.numberOfHistogramBins ?? 200
  const fwhm = options.biasFieldFullWidthAtHalfMaximum ?? 0.15
  const wienerFilterNoise = options.wienerFilterNoise ?? 0.01
  const { onProgress, signal } = options
  checkInteger(shrinkFactor, 'shrinkFactor', 1)
  if (!Array.isArray(iterationsPerLevel) || iterationsPerLevel.length === 0) {
    throw new Error(`${op}: numberOfIterations must be a non-empty array (one entry per fitting level)`)
  }
  iterationsPerLevel.forEach((n, i) => checkInteger(n, `numberOfIterations[${i}]`, 0))
  checkInteger(splineOrder, 'splineOrder', 1)
  if (splineOrder > 5) throw new Error(`${op}: splineOrder above 5 is not supported, got ${splineOrder}`)
  checkInteger(numberOfControlPoints, 'numberOfControlPoints', splineOrder + 1)
  checkInteger(numberOfHistogramBins, 'numberOfHistogramBins', 2)
  if (!(fwhm > 0)) throw new Error(`${op}: biasFieldFullWidthAtHalfMaximum must be > 0, got ${fwhm}`)
  if (!(wienerFilterNoise >= 0)) throw new Error(`${op}: wienerFilterNoise must be ≥ 0, got ${wienerFilterNoise}`)
  if (!(convergenceThreshold >= 0)) throw new Error(`${op}: convergenceThreshold must be ≥ 0, got ${convergenceThreshold}`)
  const backend = options.backend ?? 'typescript'
  if (backend !== 'typescript' && backend !== 'itk-wasm') throw new Error(`${op}: unknown backend '${String(backend)}' (use 'typescript' or 'itk-wasm')`)
  signal?.throwIfAborted()
  if (options.maskImage) {
    const m = options.maskImage
    assertScalar(m, `${op} mask`)
    if (m.size.length !== dim || m.size.some((s, i) => s !== image.size[i])) {
      throw new Error(`${op}: mask size ${m.size.join('×')} differs from image size ${image.size.join('×')}`)
    }
  }
  if (backend === 'itk-wasm') {
    return n4BiasFieldCorrectionItkWasm(image, options.maskImage, {
      shrinkFactor,
      numberOfIterations: iterationsPerLevel,
      convergenceThreshold,
      splineOrder,
      numberOfControlPoints,
      numberOfHistogramBins,
      biasFieldFullWidthAtHalfMaximum: fwhm,
      wienerFilterNoise,
      onProgress,
      signal,
      webWorker: options.webWorker,
    })
  }

  // 1. Mask (full resolution).
  const fullMask: ArrayLike<number> = options.maskImage ? pixelData(options.maskImage) : itkOtsuMask(data, 200)

  // 2. Shrink image and mask (ITK ShrinkImageFilter sampling).
  // A 3D image with a single slice is fitted as 2D (ITK would divide by zero on that axis).
  const hasZ = dim === 3 && image.size[2] > 1
  const size3 = [image.size[0], image.size[1], dim === 3 ? image.size[2] : 1]
  const plan = shrinkPlan(image.size, shrinkFactor)
  const [mx, my] = plan.size
  const mz = hasZ ? plan.size[2] : 1
  const ox = plan.offset[0]
  const oy = plan.offset[1]
  const oz = hasZ ? plan.offset[2] : 0
  for (let a = 0; a < (hasZ ? 3 : 2); a++) {
    if (plan.size[a] < 2) {
      throw new Error(`${op}: the image is only ${image.size[a]} voxels along axis ${a}; with shrinkFactor ${shrinkFactor} fewer than 2 remain`)
    }
  }
  const n = mx * my * mz
  const logInput = new Float32Array(n)
  const inMask = new Uint8Array(n)
  let count = 0
  {
    let k = 0
    for (let z = 0; z < mz; z++) {
      for (let y = 0; y < my; y++) {
        const row = ((oz + z * shrinkFactor) * size3[1] + (oy + y * shrinkFactor)) * size3[0] + ox
        for (let x = 0; x < mx; x++, k++) {
          const src = row + x * shrinkFactor
          logInput[k] = data[src] // ITK runs N4 on a float image
          if (fullMask[src] !== 0) {
            inMask[k] = 1
            count++
          }
        }
      }
    }
  }
  if (count === 0) throw new Error(`${op}: the mask is empty${shrinkFactor > 1 ? ` after shrinking by ${shrinkFactor}` : ''}`)
  const indices = new Int32Array(count)
  {
    let c = 0
    for (let k = 0; k < n; k++) if (inMask[k]) indices[c++] = k
  }
  // Log of the masked voxels with intensity > 0 (others keep their value, as in ITK).
  let lo = Infinity
  let hi = -Infinity
  for (let c = 0; c < count; c++) {
    const k = indices[c]
    const v = logInput[k]
    if (v > 0) logInput[k] = Math.log(v)
    if (logInput[k] < lo) lo = logInput[k]
    if (logInput[k] > hi) hi = logInput[k]
  }
  if (!(hi > lo)) throw new Error(`${op}: the masked intensities are constant; there is no histogram to sharpen`)

  // 3. N4 iterations.
  const sharpenOptions = { numberOfHistogramBins, biasFieldFullWidthAtHalfMaximum: fwhm, wienerFilterNoise }
  const logUncorrected = Float32Array.from(logInput)
  const sharpened = new Float32Array(n)
  const residual = new Float32Array(n)
  let logField = new Float32Array(n)
  let newField = new Float32Array(n)
  let latticeSize: [number, number, number] = [numberOfControlPoints, numberOfControlPoints, hasZ ? numberOfControlPoints : 1]
  let lattice: Float64Array | null = null
  const iterations: number[] = []
  const convergence: number[] = []
  const totalIterations = iterationsPerLevel.reduce((a, b) => a + b, 0)
  let done = 0
  const maybeYield = makeYielder()
  const levels = iterationsPerLevel.length
  const weightsFor = (size: [number, number, number], order: number): [AxisWeights, AxisWeights, AxisWeights] => [
    axisWeights(mx, size[0], order),
    axisWeights(my, size[1], order),
    hasZ ? axisWeights(mz, size[2], order) : axisWeights(1, 1, order),
  ]

  for (let level = 0; level < levels; level++) {
    const [ax, ay, az] = weightsFor(latticeSize, splineOrder)
    let elapsed = 0
    let measure = Number.MAX_VALUE
    while (elapsed < iterationsPerLevel[level] && measure > convergenceThreshold) {
      elapsed++
      signal?.throwIfAborted()
      sharpenLogImage(logUncorrected, indices, sharpened, sharpenOptions)
      for (let c = 0; c < count; c++) {
        const k = indices[c]
        residual[k] = logUncorrected[k] - sharpened[k]
      }
      const increment = fitLatticeOnGrid(residual, inMask, ax, ay, az)
      if (lattice === null) lattice = increment
      else for (let l = 0; l < lattice.length; l++) lattice[l] += increment[l]
      evaluateLatticeOnGrid(lattice, ax, ay, az, newField)

      // Coefficient of variation of exp(old − new) in the mask (ITK CalculateConvergenceMeasurement).
      let mu = 0
      let sigma = 0
      let N = 0
      for (let c = 0; c < count; c++) {
        const k = indices[c]
        const pixel = Math.exp(Math.fround(logField[k] - newField[k]))
        N += 1
        if (N > 1) sigma += ((pixel - mu) * (pixel - mu) * (N - 1)) / N
        mu = mu * (1 - 1 / N) + pixel / N
      }
      sigma = Math.sqrt(sigma / (N - 1))
      measure = sigma / mu
      const swap = logField
      logField = newField
      newField = swap
      for (let c = 0; c < count; c++) {
        const k = indices[c]
        logUncorrected[k] = logInput[k] - logField[k]
      }
      done++
      onProgress?.(0.95 * (done / Math.max(1, totalIterations)), `N4 level ${level + 1}/${levels}, iteration ${elapsed}, convergence ${measure.toPrecision(3)}`)
      await maybeYield()
    }
    iterations.push(elapsed)
    convergence.push(measure)
    done = iterationsPerLevel.slice(0, level + 1).reduce((a, b) => a + b, 0)
    if (lattice === null) {
      // numberOfIterations[level] = 0 on the first level: ITK would fail; start from a zero field.
      lattice = new Float64Array(latticeSize[0] * latticeSize[1] * latticeSize[2])
    }
    if (level < levels - 1) {
      const refined = refineLattice(lattice, latticeSize, splineOrder, [true, true, hasZ])
      lattice = refined.lattice
      latticeSize = refined.size
    }
  }
  signal?.throwIfAborted()

  // 4. Full-resolution field from the final lattice on the input grid.
  const full = voxelCount(image)
  const logFull = new Float32Array(full)
  const fx = axisWeights(size3[0], latticeSize[0], splineOrder)
  const fy = axisWeights(size3[1], latticeSize[1], splineOrder)
  const fz = hasZ ? axisWeights(size3[2], latticeSize[2], splineOrder) : axisWeights(1, 1, splineOrder)
  evaluateLatticeOnGrid(lattice as Float64Array, fx, fy, fz, logFull)
  const corrected = new Float32Array(full)
  for (let i = 0; i < full; i++) {
    const b = Math.fround(Math.exp(logFull[i]))
    logFull[i] = b
    corrected[i] = data[i] / b
  }
  onProgress?.(1, 'N4 done')
  return {
    corrected: imageLike(image, corrected),
    biasField: imageLike(image, logFull),
    iterations,
    convergence,
  }
}

/**
 * The operation registry: every operation a pipeline (and the Lab, and the `mip` CLI) can run,
 * with its typed options schema, a one-line description, what it needs and produces, how its
 * positional arguments map into a step's `options`, and an estimate of its output's size so a
 * run can refuse, before allocating, what will not fit.
 *
 * A step's `op` is the library function's exported name and its `options` that function's
 * options object; where the function takes a positional argument after the image (the spacing of
 * `resampleToSpacing`, the code of `reorientImage`), the registry names it inside `options`
 * (`positional`). Mask-producing operations (`produces: 'mask'`) add a named mask to the run and
 * leave the image as it is; operations that move voxels (`spatial`) carry every mask along onto
 * the new grid by nearest neighbour (or the same permutation), so masks always match the image.
 */
import { extractSlice, imageLike, type ComponentType, type Image } from '../image'
import { clipIntensity } from '../intensity/clip'
import { castPixelType } from '../intensity/cast'
import { hounsfieldFromStored } from '../intensity/hounsfield'
import { normalizeMinMax } from '../intensity/normalize-min-max'
import { normalizeInRegion } from '../intensity/region-normalize'
import { applyWindow } from '../intensity/window'
import { whiteStripe } from '../intensity/white-stripe'
import { zScore } from '../intensity/z-score'
import { clahe } from '../contrast/clahe'
import { equalizeHistogram } from '../contrast/equalize-histogram'
import { n4BiasFieldCorrection } from '../bias/n4'
import { resample } from '../spatial/resample'
import { resampleToSpacing } from '../spatial/resample-to-spacing'
import { reorientImage } from '../spatial/reorient'
import { padOrCrop, resizeGrid, resizeImage } from '../spatial/resize'
import { flipAxis, type FlipAxis } from '../transform/flip'
import { segmentLungs } from '../segment/lungs'
import { detectMetal } from '../segment/metal'
import { otsuMask } from '../segment/otsu'
import { threshold } from '../segment/threshold'
import { segmentLungFields } from '../segment/lung-field'
import { bodyMask } from './body-mask'
import type { OptionsSchema } from './schema'

/** What an estimate needs to know of an image: its grid and pixel type, not its pixels. */
export interface ImageInfo {
  dimension: number
  size: number[]
  spacing: number[]
  componentType: ComponentType
  components: number
}

export type OperationCategory = 'intensity' | 'contrast' | 'bias' | 'spatial' | 'mask' | 'type'

/** Run-time context a step gets: the masks made so far (by name), progress and cancel. */
export interface StepContext {
  masks: ReadonlyMap<string, Image>
  onProgress?: (fraction: number, message?: string) => void
  signal?: AbortSignal
}

export interface StepOutput {
  /** The new image (image operations) or the new mask (mask operations). */
  image: Image
  /** One line on what the step did (numbers a reader can check). */
  note?: string
}

export interface OperationSpec {
  /** The library function's exported name; a step's `op`. */
  name: string
  /** The library call the step makes, with the positional arguments named as in `options`. */
  signature: string
  description: string
  category: OperationCategory
  options: OptionsSchema
  /** Options passed to the function as positional arguments (after the image), in order. */
  positional?: readonly string[]
  /** Options naming masks of earlier steps that the step reads. */
  maskInputs?: readonly string[]
  /** True when the step cannot run without a mask (`maskInputs` then required). */
  needsMask?: boolean
  /** 'mask': the output is a uint8 0/1 mask stored under `options.maskName`; the image is kept. */
  produces: 'image' | 'mask'
  /** The step changes the voxel grid (or order): masks are carried along. */
  spatial?: boolean
  /** Image dimensions the operation takes. */
  dimensions: readonly number[]
  /** Cross-option checks (e.g. min ≤ max); return a message naming what is wrong, or null. */
  check?: (o: Options) => string | null
  /** The output's grid and pixel type (options with defaults filled in). */
  estimate: (input: ImageInfo, o: Options) => ImageInfo
  /** Extra bytes held while running, beyond input and output (e.g. N4's bias field). Default 0. */
  workBytes?: (input: ImageInfo, o: Options) => number
  run: (image: Image, o: Options, ctx: StepContext) => StepOutput | Promise<StepOutput>
  /** For spatial operations: the same move applied to a mask, onto the output image's grid. */
  moveMask?: (mask: Image, o: Options, output: Image) => Image
}

export type Options = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const COMPONENT_TYPES = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'] as const
const BYTES: Record<ComponentType, number> = { uint8: 1, int8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, float64: 8, int64: 8, uint64: 8 }

/** Bytes of an image with this grid and type. */
export function imageBytes(info: ImageInfo): number {
  return info.size.reduce((a, b) => a * b, 1) * info.components * BYTES[info.componentType]
}

const INTEGER_TYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'])
const same = (i: ImageInfo, componentType: ComponentType = i.componentType): ImageInfo => ({ ...i, size: [...i.size], spacing: [...i.spacing], componentType })
const asMask = (i: ImageInfo): ImageInfo => ({ ...same(i, 'uint8'), components: 1 })
const fmt = (v: number[]) => v.map((x) => +x.toFixed(3)).join(' × ')
const countOnes = (m: Image) => {
  const d = m.data as Uint8Array
  let n = 0
  for (let i = 0; i < d.length; i++) n += d[i] !== 0 ? 1 : 0
  return n
}
const maskNote = (m: Image, what: string) => {
  const n = countOnes(m)
  const ml = (n * m.spacing.reduce((a, b) => a * b, 1)) / 1000
  return `${what}: ${n} voxels${m.imageType.dimension === 3 ? `, ${ml.toFixed(1)} mL` : ''}`
}

/** A mask onto another image's grid by nearest neighbour (0 outside). */
function maskOntoGrid(mask: Image, output: Image): Image {
  return resample(mask, {
    size: [...output.size], spacing: [...output.spacing], origin: [...output.origin],
    direction: output.direction as ArrayLike<number>, interpolator: 'nearest', defaultValue: 0,
  })
}

/** Runs a 2D-only function on a 3D image of one slice (a radiograph read from DICOM). */
function on2D(image: Image, f: (slice: Image) => Image): Image {
  if (image.imageType.dimension === 2) return f(image)
  const out = f(extractSlice(image, 0))
  return imageLike(image, out.data!)
}

const interpolator = { type: 'enum', values: ['nearest', 'linear', 'bspline'], default: 'linear', description: "Interpolation: 'nearest', 'linear' (default, ITK's) or 'bspline' (cubic)" } as const
const outputComponentType = { type: 'enum', values: COMPONENT_TYPES, description: "Output pixel type. Default: the input's (pass 'float32' to keep interpolated fractions)" } as const
const maskName = (name: string) => ({ type: 'mask', default: name, description: `Name under which the mask is kept for later steps and saved. Default '${name}'` } as const)
const maskInput = (what: string) => ({ type: 'mask', description: `Mask (name of an earlier step's mask) ${what}. Default: none` } as const)
const windowOptions = {
  windowCenter: { type: 'number', description: 'Display window centre mapped onto 0..255 first (as applyWindow). Default: the image range is mapped (uint8 input used as is)' },
  windowWidth: { type: 'number', min: 0, exclusiveMin: true, description: 'Display window width (with windowCenter)' },
} as const
const windowOf = (o: Options) => (o.windowCenter !== undefined ? { center: o.windowCenter as number, width: o.windowWidth as number } : undefined)
const windowCheck = (o: Options) => ((o.windowCenter === undefined) !== (o.windowWidth === undefined) ? 'windowCenter and windowWidth go together: give both or neither' : null)

function resampledSize(i: ImageInfo, spacing: number[]): number[] {
  return i.size.map((n, a) => Math.max(1, Math.round((n * i.spacing[a]) / spacing[a])))
}

function fullSize(i: ImageInfo, size: number[]): number[] {
  return size.length === 2 && i.dimension === 3 ? [size[0], size[1], i.size[2]] : [...size]
}

const specs: OperationSpec[] = [
  {
    name: 'hounsfieldFromStored',
    signature: 'hounsfieldFromStored(image, { slope, intercept })',
    description: 'Stored values to Hounsfield units: value × slope + intercept (DICOM Modality LUT). readDicomSeries already applies it; use it for NIfTI files of stored values.',
    category: 'intensity',
    options: {
      slope: { type: 'number', default: 1, description: 'Rescale Slope (0028,1053). Default 1' },
      intercept: { type: 'number', default: 0, unit: 'HU', description: 'Rescale Intercept (0028,1052). Default 0' },
    },
    produces: 'image', dimensions: [2, 3],
    estimate: (i, o) => same(i, INTEGER_TYPES.has(i.componentType) && Number.isInteger(o.slope) && Number.isInteger(o.intercept) ? 'int16' : 'float32'),
    run: (im, o) => ({ image: hounsfieldFromStored(im, { slope: o.slope, intercept: o.intercept }), note: `× ${o.slope} + ${o.intercept}` }),
  },
  {
    name: 'clipIntensity',
    signature: 'clipIntensity(image, { min, max })',
    description: 'Clamps intensities to [min, max] (numpy.clip); the pixel type is kept.',
    category: 'intensity',
    options: {
      min: { type: 'number', description: 'Values below become min. Default: no lower bound' },
      max: { type: 'number', description: 'Values above become max. Default: no upper bound' },
    },
    produces: 'image', dimensions: [2, 3],
    check: (o) => (o.min !== undefined && o.max !== undefined && o.min > o.max ? `min (${o.min}) is greater than max (${o.max})` : null),
    estimate: (i) => same(i),
    run: (im, o) => ({ image: clipIntensity(im, { min: o.min, max: o.max }), note: `clamped to [${o.min ?? '−∞'}, ${o.max ?? '∞'}]` }),
  },
  {
    name: 'normalizeMinMax',
    signature: 'normalizeMinMax(image, { min, max, outMin, outMax })',
    description: 'Linear map of [min, max] (default: the image range) onto [outMin, outMax], clipped; float32.',
    category: 'intensity',
    options: {
      min: { type: 'number', description: 'Input value mapped to outMin; lower values are clipped. Default: the image minimum' },
      max: { type: 'number', description: 'Input value mapped to outMax; higher values are clipped. Default: the image maximum' },
      outMin: { type: 'number', default: 0, description: 'Default 0' },
      outMax: { type: 'number', default: 1, description: 'Default 1' },
    },
    produces: 'image', dimensions: [2, 3],
    check: (o) => (o.min !== undefined && o.max !== undefined && !(o.max > o.min) ? `max (${o.max}) must be greater than min (${o.min})` : null),
    estimate: (i) => same(i, 'float32'),
    run: (im, o) => ({ image: normalizeMinMax(im, { min: o.min, max: o.max, outMin: o.outMin, outMax: o.outMax }), note: `[${o.min ?? 'min'}, ${o.max ?? 'max'}] → [${o.outMin}, ${o.outMax}], float32` }),
  },
  {
    name: 'zScore',
    signature: 'zScore(image, { maskImage: masks[mask] })',
    description: '(x − mean) / std with the statistics of the mask voxels (default: all voxels); float32.',
    category: 'intensity',
    options: { mask: maskInput('whose voxels give the mean and std') },
    maskInputs: ['mask'],
    produces: 'image', dimensions: [2, 3],
    estimate: (i) => same(i, 'float32'),
    run: (im, o, ctx) => ({ image: zScore(im, { maskImage: o.mask ? ctx.masks.get(o.mask) : undefined }), note: o.mask ? `statistics of mask '${o.mask}'` : 'statistics of all voxels' }),
  },
  {
    name: 'whiteStripe',
    signature: 'whiteStripe(image, { contrast, width, maskImage, … }).normalized',
    description: 'White Stripe (Shinohara et al. 2014): z-score by the normal-appearing white matter peak of an MRI; float32.',
    category: 'intensity',
    options: {
      contrast: { type: 'enum', values: ['T1', 'T2', 'FLAIR', 'last', 'largest'], default: 'T1', description: 'Which histogram peak is white matter. Default T1' },
      width: { type: 'number', default: 0.05, min: 0, max: 0.5, exclusiveMin: true, description: 'Half-width of the stripe in quantiles. Default 0.05' },
      mask: maskInput('(brain) the histogram is taken in'),
      foreground: { type: 'enum', values: ['aboveMean', 'positive'], default: 'aboveMean', description: "Without a mask: voxels above the mean (default) or > 0 (skull-stripped)" },
      bins: { type: 'number', integer: true, default: 2000, min: 10, max: 100000, description: 'Histogram bins asked for. Default 2000' },
      breaks: { type: 'enum', values: ['pretty', 'equal'], default: 'pretty', description: "Bin layout: R's pretty() (default) or equal bins (exactly gain/offset invariant)" },
      rareProportion: { type: 'number', default: 0.2, min: 0, max: 1, description: 'T1: bins below this fraction of the highest are dropped. Default 0.2' },
    },
    maskInputs: ['mask'],
    produces: 'image', dimensions: [2, 3],
    estimate: (i) => same(i, 'float32'),
    run: async (im, o, ctx) => {
      const r = await whiteStripe(im, {
        contrast: o.contrast, width: o.width, maskImage: o.mask ? ctx.masks.get(o.mask) : undefined, foreground: o.foreground,
        bins: o.bins, breaks: o.breaks, rareProportion: o.rareProportion, returnHistogram: false, onProgress: ctx.onProgress, signal: ctx.signal,
      })
      return { image: r.normalized, note: `stripe mean ${r.mean.toPrecision(5)}, std ${r.std.toPrecision(4)}, ${r.stripeVoxels} voxels` }
    },
  },
  {
    name: 'n4BiasFieldCorrection',
    signature: 'n4BiasFieldCorrection(image, { maskImage: masks[mask], … }).corrected',
    description: 'N4 bias field correction (Tustison et al. 2010, port of ITK 5.2): removes a smooth multiplicative field; float32.',
    category: 'bias',
    options: {
      mask: maskInput('where the field is fitted (default: an Otsu mask)'),
      shrinkFactor: { type: 'number', integer: true, default: 4, min: 1, max: 16, description: 'Subsampling before fitting. Default 4' },
      numberOfIterations: { type: 'number[]', integer: true, default: [50, 50, 50, 50], min: 0, max: 1000, minLength: 1, maxLength: 8, description: 'Iterations per fitting level (its length = levels). Default [50, 50, 50, 50]' },
      convergenceThreshold: { type: 'number', default: 0.001, min: 0, max: 1, description: 'Level stops at this coefficient of variation. Default 0.001' },
      splineOrder: { type: 'number', integer: true, default: 3, min: 1, max: 5, description: 'B-spline order. Default 3' },
      numberOfControlPoints: { type: 'number', integer: true, default: 4, min: 2, max: 64, description: 'Control points per axis at the first level (≥ order + 1). Default 4' },
      numberOfHistogramBins: { type: 'number', integer: true, default: 200, min: 2, max: 10000, description: 'Histogram bins for sharpening. Default 200' },
      biasFieldFullWidthAtHalfMaximum: { type: 'number', default: 0.15, min: 0, max: 5, exclusiveMin: true, description: 'FWHM of the bias histogram blur (log units). Default 0.15' },
      wienerFilterNoise: { type: 'number', default: 0.01, min: 0, max: 1, description: 'Wiener filter noise. Default 0.01' },
      backend: { type: 'enum', values: ['typescript', 'itk-wasm'], default: 'typescript', description: "'typescript' (default) or ITK's own N4 in WebAssembly" },
    },
    maskInputs: ['mask'],
    produces: 'image', dimensions: [2, 3],
    check: (o) => (o.numberOfControlPoints < o.splineOrder + 1 ? `numberOfControlPoints (${o.numberOfControlPoints}) must be at least splineOrder + 1 (${o.splineOrder + 1})` : null),
    estimate: (i) => same(i, 'float32'),
    workBytes: (i) => imageBytes(same(i, 'float32')) * 2,
    run: async (im, o, ctx) => {
      const r = await n4BiasFieldCorrection(im, {
        maskImage: o.mask ? ctx.masks.get(o.mask) : undefined, shrinkFactor: o.shrinkFactor, numberOfIterations: o.numberOfIterations,
        convergenceThreshold: o.convergenceThreshold, splineOrder: o.splineOrder, numberOfControlPoints: o.numberOfControlPoints,
        numberOfHistogramBins: o.numberOfHistogramBins, biasFieldFullWidthAtHalfMaximum: o.biasFieldFullWidthAtHalfMaximum,
        wienerFilterNoise: o.wienerFilterNoise, backend: o.backend, onProgress: ctx.onProgress, signal: ctx.signal,
      })
      return { image: r.corrected, note: `iterations per level ${r.iterations.join(', ')}` }
    },
  },
  {
    name: 'clahe',
    signature: 'clahe(image, { clipLimit, tileGridSize, window: { center: windowCenter, width: windowWidth } })',
    description: "CLAHE (Zuiderveld 1994), exactly OpenCV's, slice by slice on 8-bit values; uint8.",
    category: 'contrast',
    options: {
      clipLimit: { type: 'number', default: 2, min: 0, max: 1000, description: 'Contrast limit (multiple of the mean bin height; 0 = no clipping). Default 2' },
      tileGridSize: { type: 'number[]', integer: true, length: 2, min: 1, max: 256, default: [8, 8], description: 'Tiles [across x, across y]. Default [8, 8]' },
      ...windowOptions,
    },
    produces: 'image', dimensions: [2, 3],
    check: windowCheck,
    estimate: (i) => same(i, 'uint8'),
    run: (im, o, ctx) => ({ image: clahe(im, { clipLimit: o.clipLimit, tileGridSize: o.tileGridSize, window: windowOf(o), onProgress: ctx.onProgress, signal: ctx.signal }), note: `clip limit ${o.clipLimit}, tiles ${o.tileGridSize.join(' × ')}` }),
  },
  {
    name: 'equalizeHistogram',
    signature: 'equalizeHistogram(image, { window: { center: windowCenter, width: windowWidth } })',
    description: "Global histogram equalization (OpenCV's equalizeHist), slice by slice on 8-bit values; uint8.",
    category: 'contrast',
    options: { ...windowOptions },
    produces: 'image', dimensions: [2, 3],
    check: windowCheck,
    estimate: (i) => same(i, 'uint8'),
    run: (im, o, ctx) => ({ image: equalizeHistogram(im, { window: windowOf(o), onProgress: ctx.onProgress, signal: ctx.signal }) }),
  },
  {
    name: 'applyWindow',
    signature: 'applyWindow(image, { center, width }, { fn, outMin, outMax, outputComponentType })',
    description: 'Display window (DICOM PS3.3 VOI LUT): [center − width/2, center + width/2] onto [outMin, outMax].',
    category: 'intensity',
    options: {
      center: { type: 'number', required: true, description: 'Window Center, in the image units (e.g. HU)' },
      width: { type: 'number', required: true, min: 0, exclusiveMin: true, description: 'Window Width' },
      fn: { type: 'enum', values: ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'], default: 'LINEAR', description: 'VOI LUT Function. Default LINEAR' },
      outMin: { type: 'number', default: 0, description: 'Output minimum. Default 0' },
      outMax: { type: 'number', default: 255, description: 'Output maximum. Default 255' },
      outputComponentType: { type: 'enum', values: ['uint8', 'float32'], default: 'uint8', description: "'uint8' (default, rounded) or 'float32'" },
    },
    positional: ['center', 'width'],
    produces: 'image', dimensions: [2, 3],
    check: (o) => (o.outputComponentType === 'uint8' && [o.outMin, o.outMax].some((v) => v < 0 || v > 255) ? "uint8 output needs outMin and outMax within 0..255 (use outputComponentType 'float32')" : null),
    estimate: (i, o) => same(i, o.outputComponentType),
    run: (im, o) => ({ image: applyWindow(im, { center: o.center, width: o.width }, { fn: o.fn, outMin: o.outMin, outMax: o.outMax, outputComponentType: o.outputComponentType }), note: `C ${o.center} / W ${o.width} (${o.fn})` }),
  },
  {
    name: 'resampleToSpacing',
    signature: 'resampleToSpacing(image, spacing, { interpolator, defaultValue, outputComponentType })',
    description: 'Resamples to a voxel spacing (e.g. 1 mm isotropic), same origin and direction; masks follow by nearest neighbour.',
    category: 'spatial',
    options: {
      spacing: { type: 'number[]', length: 'dimension', required: true, min: 0.01, max: 100, unit: 'mm', description: 'Output spacing per axis (mm)' },
      interpolator,
      defaultValue: { type: 'number', default: 0, description: 'Value outside the input (e.g. −1024 HU for CT air). Default 0' },
      outputComponentType,
    },
    positional: ['spacing'],
    produces: 'image', spatial: true, dimensions: [2, 3],
    estimate: (i, o) => ({ ...same(i, o.outputComponentType ?? i.componentType), size: resampledSize(i, o.spacing), spacing: [...o.spacing] }),
    run: (im, o, ctx) => {
      const out = resampleToSpacing(im, o.spacing, { interpolator: o.interpolator, defaultValue: o.defaultValue, outputComponentType: o.outputComponentType, onProgress: ctx.onProgress, signal: ctx.signal })
      return { image: out, note: `${fmt(im.size)} @ ${fmt(im.spacing)} mm → ${fmt(out.size)} @ ${fmt(out.spacing)} mm (${o.interpolator})` }
    },
    moveMask: (m, _o, out) => maskOntoGrid(m, out),
  },
  {
    name: 'resample',
    signature: 'resample(image, { size, spacing, origin, direction, interpolator, defaultValue, outputComponentType })',
    description: "Resamples onto any grid (ITK ResampleImageFilter); unset parts of the grid are the input's.",
    category: 'spatial',
    options: {
      size: { type: 'number[]', length: 'dimension', integer: true, min: 1, max: 32767, unit: 'voxels', description: "Output size per axis. Default: the input's" },
      spacing: { type: 'number[]', length: 'dimension', min: 0.01, max: 100, unit: 'mm', description: "Output spacing per axis. Default: the input's" },
      origin: { type: 'number[]', length: 'dimension', unit: 'mm', description: "Physical position of voxel 0 (LPS). Default: the input's" },
      direction: { type: 'number[]', minLength: 4, maxLength: 9, min: -1, max: 1, description: "Direction cosines, row-major, dimension² entries. Default: the input's" },
      interpolator,
      defaultValue: { type: 'number', default: 0, description: 'Value outside the input. Default 0' },
      outputComponentType,
    },
    produces: 'image', spatial: true, dimensions: [2, 3],
    estimate: (i, o) => ({ ...same(i, o.outputComponentType ?? i.componentType), size: o.size ? [...o.size] : [...i.size], spacing: o.spacing ? [...o.spacing] : [...i.spacing] }),
    run: (im, o, ctx) => {
      if (o.direction && o.direction.length !== im.imageType.dimension ** 2) throw new Error(`direction needs ${im.imageType.dimension ** 2} entries for a ${im.imageType.dimension}D image, got ${o.direction.length}`)
      const out = resample(im, { size: o.size, spacing: o.spacing, origin: o.origin, direction: o.direction, interpolator: o.interpolator, defaultValue: o.defaultValue, outputComponentType: o.outputComponentType, onProgress: ctx.onProgress, signal: ctx.signal })
      return { image: out, note: `→ ${fmt(out.size)} @ ${fmt(out.spacing)} mm (${o.interpolator})` }
    },
    moveMask: (m, _o, out) => maskOntoGrid(m, out),
  },
  {
    name: 'resizeImage',
    signature: 'resizeImage(image, size, { interpolator, outputComponentType, fit })',
    description: 'Resamples to a voxel shape over the same field of view (spacing changes); masks follow by nearest neighbour.',
    category: 'spatial',
    options: {
      size: { type: 'number[]', required: true, integer: true, min: 1, max: 32767, minLength: 2, maxLength: 3, unit: 'voxels', description: 'Output size per axis (2 entries on a one-slice 3D image resize in-plane)' },
      interpolator,
      outputComponentType,
      fit: { type: 'enum', values: ['stretch', 'contain'], default: 'stretch', description: "'stretch' (default): exactly size; 'contain': square pixels, aspect kept, fits inside size (then padOrCrop)" },
    },
    positional: ['size'],
    produces: 'image', spatial: true, dimensions: [2, 3],
    estimate: (i, o) => ({ ...same(i, o.outputComponentType ?? i.componentType), ...resizeGrid(i.size, i.spacing, o.size, o.fit) }),
    run: (im, o) => {
      const out = resizeImage(im, o.size, { interpolator: o.interpolator, outputComponentType: o.outputComponentType, fit: o.fit })
      return { image: out, note: `${fmt(im.size)} → ${fmt(out.size)} voxels, spacing ${fmt(out.spacing)} mm` }
    },
    moveMask: (m, _o, out) => maskOntoGrid(m, out),
  },
  {
    name: 'padOrCrop',
    signature: 'padOrCrop(image, size, { value })',
    description: 'Pads or crops each axis symmetrically to a voxel shape, voxel size kept; masks are padded with 0.',
    category: 'spatial',
    options: {
      size: { type: 'number[]', required: true, integer: true, min: 1, max: 32767, minLength: 2, maxLength: 3, unit: 'voxels', description: 'Output size per axis (2 entries on a one-slice 3D image keep z)' },
      value: { type: 'number', default: 0, description: 'Value of padded voxels. Default 0' },
    },
    positional: ['size'],
    produces: 'image', spatial: true, dimensions: [2, 3],
    estimate: (i, o) => ({ ...same(i), size: fullSize(i, o.size) }),
    run: (im, o) => {
      const out = padOrCrop(im, o.size, { value: o.value })
      return { image: out, note: `${fmt(im.size)} → ${fmt(out.size)} voxels (pad value ${o.value})` }
    },
    moveMask: (m, o) => padOrCrop(m, o.size, { value: 0 }),
  },
  {
    name: 'reorientImage',
    signature: 'reorientImage(image, orientation)',
    description: "Reorders the voxel axes to point toward an orientation code (nibabel's; 'RAS' = as_closest_canonical); no interpolation.",
    category: 'spatial',
    options: {
      orientation: { type: 'string', default: 'RAS', pattern: /^[RLAPSIrlapsi]{3}$/, description: "Three letters from R/L, A/P, S/I, e.g. 'RAS' (default) or 'LPS'" },
    },
    positional: ['orientation'],
    produces: 'image', spatial: true, dimensions: [3],
    estimate: (i) => same(i),
    run: (im, o) => ({ image: reorientImage(im, String(o.orientation).toUpperCase()), note: `→ ${String(o.orientation).toUpperCase()}` }),
    moveMask: (m, o) => reorientImage(m, String(o.orientation).toUpperCase()),
  },
  {
    name: 'flipAxis',
    signature: 'flipAxis(image, axis)',
    description: 'Mirrors the voxels along one axis (geometry kept: the anatomy is mirrored). A left–right flip makes an anatomically impossible image.',
    category: 'spatial',
    options: {
      axis: { type: 'enum', values: [0, 1, 2, 'LR', 'AP', 'SI'], required: true, description: "Voxel axis 0/1/2, or the patient axis 'LR', 'AP', 'SI'" },
    },
    positional: ['axis'],
    produces: 'image', spatial: true, dimensions: [2, 3],
    estimate: (i) => same(i),
    run: (im, o) => ({ image: flipAxis(im, o.axis as FlipAxis), note: `flipped along ${o.axis}` }),
    moveMask: (m, o) => flipAxis(m, o.axis as FlipAxis),
  },
  {
    name: 'castPixelType',
    signature: 'castPixelType(image, componentType, { rounding })',
    description: 'Changes the pixel type (e.g. float32 HU to int16), clamping to its range, to keep saved files small.',
    category: 'type',
    options: {
      componentType: { type: 'enum', values: COMPONENT_TYPES, required: true, description: 'Output pixel type' },
      rounding: { type: 'enum', values: ['round', 'truncate'], default: 'round', description: "Integer types: 'round' (default, halves away from zero) or 'truncate'" },
    },
    positional: ['componentType'],
    produces: 'image', dimensions: [2, 3],
    estimate: (i, o) => same(i, o.componentType),
    run: (im, o) => ({ image: castPixelType(im, o.componentType, { rounding: o.rounding }), note: `${im.imageType.componentType} → ${o.componentType}` }),
  },
  {
    name: 'normalizeInRegion',
    signature: 'normalizeInRegion(image, masks[mask], method)',
    description: 'z-score or min–max by the statistics of a mask region (e.g. the lung field), applied to every pixel; float32.',
    category: 'intensity',
    options: {
      mask: { type: 'mask', required: true, description: "Mask (name of an earlier step's mask) whose voxels give the statistics" },
      method: { type: 'enum', values: ['zscore', 'minmax'], default: 'zscore', description: "'zscore' (default) or 'minmax'" },
    },
    positional: ['mask', 'method'],
    maskInputs: ['mask'], needsMask: true,
    produces: 'image', dimensions: [2, 3],
    estimate: (i) => same(i, 'float32'),
    run: (im, o, ctx) => ({ image: normalizeInRegion(im, ctx.masks.get(o.mask)!, o.method), note: `${o.method} over mask '${o.mask}'` }),
  },
  {
    name: 'segmentLungs',
    signature: 'segmentLungs(image, { threshold, … })',
    description: 'Lung mask of a chest CT in HU (threshold, outside air removed, largest components, closing, holes filled).',
    category: 'mask',
    options: {
      threshold: { type: 'number', default: -500, min: -1100, max: 0, unit: 'HU', description: 'Air: HU below this. Default −500' },
      borderConnectivity: { type: 'enum', values: [4, 8], default: 4, description: 'In-plane connectivity of the outside air. Default 4' },
      secondComponentFraction: { type: 'number', default: 0.1, min: 0, max: 1, description: 'Second component kept as the other lung if ≥ this fraction of the largest. Default 0.1' },
      closingRadius: { type: 'number', integer: true, default: 2, min: 0, max: 20, unit: 'voxels', description: 'Closing ball radius (0 skips). Default 2' },
      fillHoles: { type: 'boolean', default: true, description: 'Fill vessels and nodules slice by slice. Default true' },
      maskName: maskName('lungs'),
    },
    produces: 'mask', dimensions: [2, 3],
    estimate: asMask,
    run: (im, o, ctx) => {
      const m = segmentLungs(im, { threshold: o.threshold, borderConnectivity: o.borderConnectivity, secondComponentFraction: o.secondComponentFraction, closingRadius: o.closingRadius, fillHoles: o.fillHoles, onProgress: ctx.onProgress, signal: ctx.signal })
      return { image: m, note: maskNote(m, `lungs (HU < ${o.threshold})`) }
    },
  },
  {
    name: 'bodyMask',
    signature: 'bodyMask(image, { threshold })',
    description: 'Body mask of a CT in HU: HU > threshold, the largest component (not the table), holes filled per slice.',
    category: 'mask',
    options: {
      threshold: { type: 'number', default: -500, min: -1100, max: 500, unit: 'HU', description: 'Tissue: HU above this. Default −500' },
      maskName: maskName('body'),
    },
    produces: 'mask', dimensions: [3],
    estimate: asMask,
    run: (im, o) => {
      const m = bodyMask(im, { threshold: o.threshold })
      return { image: m, note: maskNote(m, `body (HU > ${o.threshold})`) }
    },
  },
  {
    name: 'detectMetal',
    signature: 'detectMetal(image, { threshold, minVoxels }).mask',
    description: 'Metal mask of a CT in HU: HU ≥ threshold in components of at least minVoxels voxels.',
    category: 'mask',
    options: {
      threshold: { type: 'number', default: 3000, min: 1000, max: 30000, unit: 'HU', description: 'Metal: HU at or above this. Default 3000' },
      minVoxels: { type: 'number', integer: true, default: 100, min: 0, max: 1e9, unit: 'voxels', description: 'Smaller components are dropped. Default 100' },
      maskName: maskName('metal'),
    },
    produces: 'mask', dimensions: [2, 3],
    estimate: asMask,
    run: (im, o) => {
      const r = detectMetal(im, { threshold: o.threshold, minVoxels: o.minVoxels })
      return { image: r.mask, note: `metal (HU ≥ ${o.threshold}): ${r.components} component(s) ≥ ${o.minVoxels} voxels, ${r.voxelCount} voxels` }
    },
  },
  {
    name: 'otsuMask',
    signature: 'otsuMask(image, { numberOfHistogramBins, maskImage: masks[mask] }).mask',
    description: "Otsu's upper class as a mask (ITK OtsuThresholdImageFilter), e.g. the head in an MRI.",
    category: 'mask',
    options: {
      numberOfHistogramBins: { type: 'number', integer: true, default: 128, min: 2, max: 4096, description: 'Histogram bins. Default 128 (ITK)' },
      mask: maskInput('restricting the voxels considered'),
      maskName: maskName('otsu'),
    },
    maskInputs: ['mask'],
    produces: 'mask', dimensions: [2, 3],
    estimate: asMask,
    run: (im, o, ctx) => {
      const r = otsuMask(im, { numberOfHistogramBins: o.numberOfHistogramBins, maskImage: o.mask ? ctx.masks.get(o.mask) : undefined })
      return { image: r.mask, note: `threshold ${r.threshold.toPrecision(5)}, ${r.voxels} voxels` }
    },
  },
  {
    name: 'threshold',
    signature: 'threshold(image, { lower, upper })',
    description: 'Binary mask of lower ≤ value ≤ upper (ITK BinaryThresholdImageFilter).',
    category: 'mask',
    options: {
      lower: { type: 'number', description: 'Lowest value inside (inclusive). Default −∞' },
      upper: { type: 'number', description: 'Highest value inside (inclusive). Default +∞' },
      maskName: maskName('threshold'),
    },
    produces: 'mask', dimensions: [2, 3],
    check: (o) => (o.lower !== undefined && o.upper !== undefined && o.lower > o.upper ? `lower (${o.lower}) is greater than upper (${o.upper})` : null),
    estimate: asMask,
    run: (im, o) => {
      const m = threshold(im, { lower: o.lower, upper: o.upper })
      return { image: m, note: maskNote(m, `[${o.lower ?? '−∞'}, ${o.upper ?? '∞'}]`) }
    },
  },
  {
    name: 'segmentLungFields',
    signature: 'segmentLungFields(image, { threshold, components, closingRadius }).mask',
    description: 'Lung fields of a chest radiograph (dark regions not touching the border, largest two, closed and filled).',
    category: 'mask',
    options: {
      threshold: { type: 'number', description: "Dark: value ≤ threshold. Default: Otsu's threshold of the image" },
      components: { type: 'number', integer: true, default: 2, min: 1, max: 10, description: 'Dark components kept. Default 2' },
      closingRadius: { type: 'number', integer: true, default: 3, min: 0, max: 50, unit: 'pixels', description: 'Closing disk radius (0 skips). Default 3' },
      maskName: maskName('lungField'),
    },
    produces: 'mask', dimensions: [2, 3],
    estimate: asMask,
    run: (im, o) => {
      if (im.imageType.dimension === 3 && im.size[2] !== 1) throw new Error(`segmentLungFields needs a radiograph (2D, or 3D with one slice); this image has ${im.size[2]} slices`)
      let note = ''
      const m = on2D(im, (s) => {
        const r = segmentLungFields(s, { threshold: o.threshold, components: o.components, closingRadius: o.closingRadius })
        note = `threshold ${r.threshold.toPrecision(5)}, ${r.pixels} pixels`
        return r.mask
      })
      return { image: m, note }
    },
  },
]

/** The registry: operation name → its spec. */
export const OPERATIONS: Readonly<Record<string, OperationSpec>> = Object.freeze(Object.fromEntries(specs.map((s) => [s.name, Object.freeze(s)])))

/** Names of the operations, in registry order. */
export const OPERATION_NAMES: readonly string[] = Object.freeze(specs.map((s) => s.name))

/** The spec of an operation, or undefined. */
export function getOperation(name: string): OperationSpec | undefined {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, name) ? OPERATIONS[name] : undefined
}

/** The image info of an image (for estimates). */
export function imageInfo(image: Pick<Image, 'imageType' | 'size' | 'spacing'>): ImageInfo {
  return { dimension: image.imageType.dimension, size: [...image.size], spacing: [...image.spacing], componentType: image.imageType.componentType, components: image.imageType.components }
}


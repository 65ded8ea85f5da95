import { assertScalar, imageLike, voxelCount, type ComponentType, type Image } from '../image'
import { clipIntensity } from '../intensity/clip'
import { normalizeMinMax } from '../intensity/normalize-min-max'
import { detectMetal } from '../segment/metal'
import { segmentLungs } from '../segment/lungs'
import { SegmentError } from '../segment/errors'
import type { Interpolator } from '../spatial/resample'
import { resampleToSpacing } from '../spatial/resample-to-spacing'
import { ctPipelineAsPipeline } from './ct-pipeline-json'
import { PipelineError } from './errors'
import { planPipeline } from './run'

/** The steps of {@link runCtPipeline}, in the order they run. */
export type CtPipelineStepName = 'resample' | 'lungs' | 'metal' | 'clip' | 'normalize'

export const CT_PIPELINE_STEPS: readonly CtPipelineStepName[] = Object.freeze(['resample', 'lungs', 'metal', 'clip', 'normalize'])

export interface CtPipelineOptions {
  /** Steps to run; a step set to false is skipped (and listed as skipped). Default: all true. */
  steps?: Partial<Record<CtPipelineStepName, boolean>>
  /** Resampling: output spacing in mm, one per axis. Default: [1, 1, 1] (isotropic 1 mm). */
  targetSpacing?: number[]
  /** Resampling of the HU image. Default: 'linear'. Masks are never interpolated linearly. */
  interpolator?: Interpolator
  /** HU given to output voxels outside the input. Default: −1024 (air as scanners store it). */
  defaultValue?: number
  /** Type of the resampled HU. Default: 'float32' (keeps interpolated fractions of an HU). */
  outputComponentType?: ComponentType
  /** HU window kept by the clip step, [min, max]; also the normalisation's input range. Default: [−1200, 600]. */
  clip?: [number, number]
  /** `segmentLungs` threshold (HU). Default: −500. */
  lungThreshold?: number
  /** `detectMetal` threshold (HU). Default: 3000. */
  metalThreshold?: number
  /** `detectMetal` minimum component size, in voxels of the input grid. Default: 100. */
  metalMinVoxels?: number
}

export interface CtPipelineRunOptions {
  /** Fraction of the whole pipeline done (0..1) and a message naming the step. */
  onProgress?: (fraction: number, message?: string) => void
  /** Cancels between steps and inside resampling and lung segmentation. */
  signal?: AbortSignal
  /**
   * Refuse, before any work, a run whose largest step output (estimated by the operation
   * registry's {@link planPipeline}) is above this many bytes: PipelineError TOO_LARGE with the
   * estimate. Default 2^31 − 1 (DEFAULT_MAX_STEP_BYTES).
   */
  maxStepBytes?: number
}

export interface CtPipelineStepReport {
  name: CtPipelineStepName
  /** False when the step was switched off. */
  ran: boolean
  /** Wall time of the step in ms (0 when skipped). */
  ms: number
  /** Size and spacing of the step's output image. */
  size: number[]
  spacing: number[]
  /** One line on what the step did. */
  note: string
  /**
   * Why the step could not apply to this scan (then `ran` is false and the other steps ran):
   * e.g. the lung mask of a scan without lungs (SegmentError NOT_FOUND).
   */
  error?: string
}

export interface CtPipelineResult {
  /** The network input: float32 in [0, 1] when 'normalize' ran, else the clipped (or plain) resampled HU. */
  image: Image
  /** The HU image on the output grid (resampled, not clipped). */
  hu: Image
  /** uint8 0/1 lung mask on the output grid, or null when the step was off. */
  lungMask: Image | null
  /** uint8 0/1 metal mask on the output grid, or null when the step was off. */
  metalMask: Image | null
  steps: CtPipelineStepReport[]
  /** Lung volume in mL (voxels × voxel volume), or null. */
  lungVolumeMl: number | null
  /** Metal voxels on the output grid, or null. */
  metalVoxels: number | null
  /** Metal components found on the input grid (after the size filter), or null. */
  metalComponents: number | null
}

/** Relative cost of each step, to split the progress bar (resampling and lungs dominate). */
const WEIGHT: Record<CtPipelineStepName, number> = { resample: 2, lungs: 5, metal: 1, clip: 0.5, normalize: 0.75 }

/**
 * The share of the progress bar of each step that runs: step `name` reports overall fractions
 * from `from` to `to`. Lets a UI turn the pipeline's overall progress into per-step bars.
 */
export function ctPipelineProgressPlan(steps: CtPipelineOptions['steps'] = {}): { name: CtPipelineStepName; from: number; to: number }[] {
  const on = CT_PIPELINE_STEPS.filter((s) => steps[s] ?? true)
  const total = on.reduce((sum, s) => sum + WEIGHT[s], 0) || 1
  let at = 0
  return on.map((name) => {
    const from = at / total
    at += WEIGHT[name]
    return { name, from, to: at / total }
  })
}

function count(mask: Image): number {
  const d = mask.data as Uint8Array
  let n = 0
  for (let i = 0; i < d.length; i++) n += d[i]
  return n
}

const fmt = (v: number[]) => v.map((x) => +x.toFixed(3)).join(' × ')

/**
 * A chest-CT preprocessing recipe as used by lung-nodule detectors trained on LUNA16 data. LUNA16
 * itself (Setio et al. 2017, "Validation, comparison, and combination of algorithms for automatic
 * detection of pulmonary nodules in computed tomography images: the LUNA16 challenge", Medical
 * Image Analysis 42:1–13) prescribes no preprocessing, only its data (slices ≤ 2.5 mm); the
 * [−1200, 600] HU clip and min–max scaling follow the DSB 2017 winner (Liao et al. 2019,
 * "Evaluate the malignancy of pulmonary nodules using the 3-D deep leaky noisy-OR network",
 * IEEE TNNLS 30(11):3484–3495), the lung mask Hu, Hoffman & Reinhardt 2001 (IEEE TMI 20(6)).
 * Composed from the library's operations; each step can be switched off:
 *
 * 1. resample: `resampleToSpacing(ct, targetSpacing)` ([1, 1, 1] mm), interpolator 'linear'
 *    with defaultValue −1024 HU and float32 output (so a 2.5 mm slice series becomes isotropic);
 * 2. lungs: `segmentLungs` (threshold −500 HU) on the resampled, unclipped HU; on a scan without
 *    lungs (SegmentError NOT_FOUND) the step is reported as not applied, with the reason, and
 *    the other steps run;
 * 3. metal: `detectMetal` (≥ 3000 HU, ≥ 100 voxels) on the ORIGINAL HU, then the mask is
 *    resampled with 'nearest'. Chosen so that `metalMinVoxels` counts acquired voxels and thin
 *    metal is not lost to the partial-volume blur that linear interpolation adds at its edges;
 *    the mask stays binary because it is never interpolated linearly;
 * 4. clip: HU clamped to `clip` ([−1200, 600]), i.e. `np.clip`;
 * 5. normalize: `normalizeMinMax` with min/max = the clip bounds → float32 in [0, 1].
 *
 * Masks are computed before clipping (clipping at 600 HU would hide metal). Progress is split
 * over the steps by their typical cost; `signal` is checked between steps and inside the long ones.
 */
export async function runCtPipeline(ct: Image, options: CtPipelineOptions = {}, run: CtPipelineRunOptions = {}): Promise<CtPipelineResult> {
  assertScalar(ct, 'runCtPipeline')
  if (ct.imageType.dimension !== 3) throw new Error(`runCtPipeline needs a 3D CT volume, got a ${ct.imageType.dimension}D image`)
  if (!ct.data) throw new Error('runCtPipeline: the image has no pixel data')
  const on = (s: CtPipelineStepName) => options.steps?.[s] ?? true
  const targetSpacing = options.targetSpacing ?? [1, 1, 1]
  const interpolator = options.interpolator ?? 'linear'
  const defaultValue = options.defaultValue ?? -1024
  const outputComponentType = options.outputComponentType ?? 'float32'
  const [lo, hi] = options.clip ?? [-1200, 600]
  const lungThreshold = options.lungThreshold ?? -500
  const metalThreshold = options.metalThreshold ?? 3000
  const metalMinVoxels = options.metalMinVoxels ?? 100
  if (targetSpacing.length !== 3) throw new Error(`runCtPipeline: targetSpacing needs 3 values, got ${targetSpacing.length}`)
  if (!targetSpacing.every((s) => s > 0 && Number.isFinite(s))) throw new Error(`runCtPipeline: targetSpacing must be positive, got ${targetSpacing.join(', ')}`)
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new Error(`runCtPipeline: clip must be two finite HU values with min < max, got [${lo}, ${hi}]`)

  // The registry's size plan of the same recipe: e.g. 0.25 mm on a 512 × 512 × 72 series is
  // refused at once with its estimate instead of failing in the allocation minutes later.
  // Only the size verdict is used: the options keep runCtPipeline's own (wider) limits.
  try {
    planPipeline(ct, ctPipelineAsPipeline(options), { maxStepBytes: run.maxStepBytes })
  } catch (e) {
    if (e instanceof PipelineError && e.code === 'TOO_LARGE') throw e
  }
  const { onProgress, signal } = run
  const plan = new Map(ctPipelineProgressPlan(options.steps).map((p) => [p.name, p]))
  const steps: CtPipelineStepReport[] = []
  // A step's own progress f (0..1) is mapped into its share [from, to] of the whole run.
  const scaled = (name: CtPipelineStepName) => (f: number, m?: string) => {
    const p = plan.get(name)!
    onProgress?.(p.from + Math.min(1, Math.max(0, f)) * (p.to - p.from), m ? `${name}: ${m}` : name)
  }
  type StepOutcome = { out: Image; note: string; error?: string }
  const step = async (name: CtPipelineStepName, body: () => StepOutcome | Promise<StepOutcome>, current: Image) => {
    signal?.throwIfAborted()
    if (!on(name)) {
      steps.push({ name, ran: false, ms: 0, size: [...current.size], spacing: [...current.spacing], note: 'switched off' })
      return
    }
    onProgress?.(plan.get(name)!.from, `${name}: start`)
    const t0 = performance.now()
    const { out, note, error } = await body()
    steps.push({ name, ran: !error, ms: performance.now() - t0, size: [...out.size], spacing: [...out.spacing], note, ...(error && { error }) })
    onProgress?.(plan.get(name)!.to, `${name}: done`)
  }

  let hu = ct
  await step('resample', () => {
    hu = resampleToSpacing(ct, targetSpacing, { interpolator, defaultValue, outputComponentType, onProgress: scaled('resample'), signal })
    return { out: hu, note: `${fmt(ct.size)} @ ${fmt(ct.spacing)} mm → ${fmt(hu.size)} @ ${fmt(hu.spacing)} mm (${interpolator})` }
  }, ct)

  let lungMask: Image | null = null
  let lungVolumeMl: number | null = null
  await step('lungs', () => {
    try {
      lungMask = segmentLungs(hu, { threshold: lungThreshold, onProgress: scaled('lungs'), signal })
    } catch (e) {
      // A scan without lungs (a head, a phantom): this step cannot apply; the rest still runs.
      if (!(e instanceof SegmentError && e.code === 'NOT_FOUND')) throw e
      return { out: hu, note: 'could not apply: no lungs found', error: e.message }
    }
    const voxelMl = (hu.spacing[0] * hu.spacing[1] * hu.spacing[2]) / 1000
    lungVolumeMl = count(lungMask) * voxelMl
    return { out: lungMask, note: `HU < ${lungThreshold}, ${lungVolumeMl.toFixed(0)} mL` }
  }, hu)

  let metalMask: Image | null = null
  let metalVoxels: number | null = null
  let metalComponents: number | null = null
  await step('metal', () => {
    const found = detectMetal(ct, { threshold: metalThreshold, minVoxels: metalMinVoxels })
    scaled('metal')(0.4, 'components')
    metalComponents = found.components
    let mask = found.mask
    if (hu !== ct && found.voxelCount > 0) {
      mask = resampleToSpacing(found.mask, hu.spacing, { interpolator: 'nearest', defaultValue: 0, signal })
    } else if (hu !== ct) {
      // Nothing found: an empty mask on the output grid, without resampling zeros.
      mask = imageLike(hu, new Uint8Array(voxelCount(hu)))
    }
    metalMask = mask
    metalVoxels = count(mask)
    return { out: mask, note: `HU ≥ ${metalThreshold}, ${found.components} component(s) ≥ ${metalMinVoxels} voxels, ${found.voxelCount} input voxels` }
  }, hu)

  let image = hu
  await step('clip', () => {
    image = clipIntensity(hu, { min: lo, max: hi })
    return { out: image, note: `HU clamped to [${lo}, ${hi}]` }
  }, hu)

  await step('normalize', () => {
    image = normalizeMinMax(image, { min: lo, max: hi, outMin: 0, outMax: 1 })
    return { out: image, note: `[${lo}, ${hi}] HU → [0, 1], float32` }
  }, image)

  onProgress?.(1, 'done')
  return { image, hu, lungMask, metalMask, steps, lungVolumeMl, metalVoxels, metalComponents }
}

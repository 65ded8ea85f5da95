/**
 * Pipelines as data: validation of the pipeline JSON against the operation registry, a size plan
 * (every step's output estimated before anything runs), and the run itself with per-step
 * progress, timings and errors.
 */
import type { Image } from '../image'
import { PipelineError, stepLabel } from './errors'
import { getOperation, imageBytes, imageInfo, OPERATION_NAMES, type ImageInfo, type OperationSpec, type Options } from './registry'
import { checkOptionValue, withDefaults } from './schema'

export const PIPELINE_FORMAT = 'med-imaging-primer/pipeline'
export const PIPELINE_VERSION = 1

export interface PipelineStep {
  /** The library function's exported name (a key of the registry). */
  op: string
  /** Its options; positional arguments are named inside (see the registry). */
  options?: Record<string, unknown>
  /** A failure of this step is recorded and the run goes on (the image passes through unchanged). Default false. */
  optional?: boolean
  /** A note for readers of the pipeline file. */
  comment?: string
}

export interface Pipeline {
  format: typeof PIPELINE_FORMAT
  version: typeof PIPELINE_VERSION
  name: string
  description?: string
  steps: PipelineStep[]
}

const TOP_KEYS = new Set(['format', 'version', 'name', 'description', 'steps'])
const STEP_KEYS = new Set(['op', 'options', 'optional', 'comment'])

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return row[b.length]
}

/** The known name closest to a misspelt one (case-insensitive edit distance ≤ 3, or containment), for "did you mean". */
function closest(name: string, names: readonly string[]): string | null {
  const low = name.toLowerCase()
  let best: string | null = null
  let bestD = 4
  for (const n of names) {
    const d = distance(low, n.toLowerCase())
    if (d < bestD) [best, bestD] = [n, d]
  }
  return best ?? names.find((n) => low.length >= 3 && (n.toLowerCase().includes(low) || low.includes(n.toLowerCase()))) ?? null
}

/** Masks produced by steps before `index` (with defaults applied). */
function maskNameOf(spec: OperationSpec, options: Record<string, unknown>): string | null {
  if (spec.produces !== 'mask') return null
  return (options.maskName as string | undefined) ?? (spec.options.maskName?.default as string)
}

/**
 * Checks a pipeline (parsed JSON, or a JSON string) against the registry and returns it typed.
 * Throws {@link PipelineError} naming the step: BAD_FORMAT (not a pipeline, unknown top-level or
 * step key), BAD_VERSION, UNKNOWN_OP, UNKNOWN_OPTION, BAD_OPTION_TYPE, OUT_OF_RANGE,
 * MISSING_OPTION, UNKNOWN_MASK (a step reads a mask no earlier step makes). Checks that need the
 * image (array lengths per dimension, supported dimensions, sizes) are made by {@link planPipeline}.
 */
export function validatePipeline(json: unknown): Pipeline {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json)
    } catch (e) {
      throw new PipelineError('BAD_FORMAT', `The pipeline is not valid JSON: ${(e as Error).message}`)
    }
  }
  if (!isObject(json)) throw new PipelineError('BAD_FORMAT', 'A pipeline must be a JSON object { "format": "med-imaging-primer/pipeline", "version": 1, "name": …, "steps": […] }')
  if (json.format !== PIPELINE_FORMAT) throw new PipelineError('BAD_FORMAT', `"format" must be "${PIPELINE_FORMAT}", got ${JSON.stringify(json.format)}`)
  if (json.version !== PIPELINE_VERSION) throw new PipelineError('BAD_VERSION', `"version" ${JSON.stringify(json.version)} is not supported: this library reads version ${PIPELINE_VERSION}`)
  for (const k of Object.keys(json)) if (!TOP_KEYS.has(k)) throw new PipelineError('BAD_FORMAT', `Unknown top-level key "${k}" (allowed: ${[...TOP_KEYS].join(', ')})`)
  if (typeof json.name !== 'string' || json.name.trim() === '') throw new PipelineError('BAD_FORMAT', '"name" must be a non-empty string')
  if (json.description !== undefined && typeof json.description !== 'string') throw new PipelineError('BAD_FORMAT', '"description" must be a string')
  if (!Array.isArray(json.steps)) throw new PipelineError('BAD_FORMAT', '"steps" must be an array of { "op": …, "options": {…} }')
  const masks = new Set<string>()
  const steps: PipelineStep[] = json.steps.map((raw: unknown, i: number) => {
    if (!isObject(raw)) throw new PipelineError('BAD_FORMAT', `${stepLabel(i)} must be an object { "op": …, "options": {…} }`, { step: i })
    if (typeof raw.op !== 'string') throw new PipelineError('BAD_FORMAT', `${stepLabel(i)}: "op" must be the name of an operation, got ${JSON.stringify(raw.op)}`, { step: i })
    const op = raw.op
    const spec = getOperation(op)
    if (!spec) {
      const hint = closest(op, OPERATION_NAMES)
      throw new PipelineError('UNKNOWN_OP', `${stepLabel(i)}: unknown operation "${op}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${OPERATION_NAMES.join(', ')}`, { step: i, op })
    }
    for (const k of Object.keys(raw)) if (!STEP_KEYS.has(k)) throw new PipelineError('UNKNOWN_OPTION', `${stepLabel(i, op)}: unknown key "${k}" (a step has ${[...STEP_KEYS].join(', ')}; options go inside "options")`, { step: i, op })
    if (raw.optional !== undefined && typeof raw.optional !== 'boolean') throw new PipelineError('BAD_FORMAT', `${stepLabel(i, op)}: "optional" must be true or false`, { step: i, op })
    if (raw.comment !== undefined && typeof raw.comment !== 'string') throw new PipelineError('BAD_FORMAT', `${stepLabel(i, op)}: "comment" must be a string`, { step: i, op })
    const options = raw.options ?? {}
    if (!isObject(options)) throw new PipelineError('BAD_FORMAT', `${stepLabel(i, op)}: "options" must be an object`, { step: i, op })
    const known = Object.keys(spec.options)
    for (const [k, v] of Object.entries(options)) {
      const s = spec.options[k]
      if (!s) {
        const hint = closest(k, known)
        throw new PipelineError('UNKNOWN_OPTION', `${stepLabel(i, op)}: unknown option "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}; ${op} takes ${known.length ? known.join(', ') : 'no options'}`, { step: i, op })
      }
      checkOptionValue(v, s, k, i, op)
    }
    for (const [k, s] of Object.entries(spec.options)) {
      if (s.required && !(k in options)) throw new PipelineError('MISSING_OPTION', `${stepLabel(i, op)}: option "${k}" is required (${s.description})`, { step: i, op })
    }
    const full = withDefaults(options, spec.options)
    const problem = spec.check?.(full)
    if (problem) throw new PipelineError('OUT_OF_RANGE', `${stepLabel(i, op)}: ${problem}`, { step: i, op })
    for (const k of spec.maskInputs ?? []) {
      const name = full[k] as string | undefined
      if (name !== undefined && !masks.has(name)) {
        throw new PipelineError('UNKNOWN_MASK', `${stepLabel(i, op)}: option "${k}" names mask "${name}", which no earlier step makes${masks.size ? ` (masks so far: ${[...masks].join(', ')})` : ' (no earlier step makes a mask)'}`, { step: i, op })
      }
    }
    const made = maskNameOf(spec, full)
    if (made) masks.add(made)
    const step: PipelineStep = { op, options: { ...options } }
    if (raw.optional !== undefined) step.optional = raw.optional
    if (raw.comment !== undefined) step.comment = raw.comment
    return step
  })
  const out: Pipeline = { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: json.name, steps }
  if (json.description !== undefined) out.description = json.description
  return out
}

export interface StepPlan {
  index: number
  op: string
  /** Options with every default filled in. */
  options: Options
  /** Grid and pixel type of the step's output (the mask, for mask steps). */
  output: ImageInfo
  /** Bytes of the step's output plus masks it moves and its own working memory. */
  bytes: number
  /** Masks that exist after the step (name → info). */
  masks: string[]
}

export interface PipelinePlan {
  steps: StepPlan[]
  /** The image after the last step. */
  output: ImageInfo
  /** Largest bytes of any one step (what must fit beside the input). */
  peakStepBytes: number
}

const fmtSize = (s: number[]) => s.join('×')

/** "1.23 GB" (decimal units, as a file manager shows them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`
  return `${(bytes / 1e9).toFixed(2)} GB`
}

/** Default limit of one step's estimated memory: 2^31 − 1 bytes (the largest typed array every engine allocates, and NIfTI's limit here). */
export const DEFAULT_MAX_STEP_BYTES = 2 ** 31 - 1

/**
 * Estimates every step's output (grid, pixel type, bytes) for an input image of the given grid,
 * without touching pixels, and checks what needs the image: supported dimensions, per-axis array
 * lengths. Throws {@link PipelineError} BAD_IMAGE, BAD_OPTION_TYPE, or TOO_LARGE (with the
 * estimate) when a step would need more than `maxStepBytes` (default {@link DEFAULT_MAX_STEP_BYTES}).
 */
export function planPipeline(input: ImageInfo | Image, pipeline: Pipeline, options: { maxStepBytes?: number } = {}): PipelinePlan {
  const limit = options.maxStepBytes ?? DEFAULT_MAX_STEP_BYTES
  let info: ImageInfo = 'imageType' in input ? imageInfo(input) : { ...input, size: [...input.size], spacing: [...input.spacing] }
  const masks = new Map<string, ImageInfo>()
  const steps: StepPlan[] = []
  let peak = 0
  pipeline.steps.forEach((step, i) => {
    const spec = getOperation(step.op)
    if (!spec) throw new PipelineError('UNKNOWN_OP', `${stepLabel(i)}: unknown operation "${step.op}"`, { step: i, op: step.op })
    const op = step.op
    if (!spec.dimensions.includes(info.dimension)) {
      throw new PipelineError('BAD_IMAGE', `${stepLabel(i, op)} takes ${spec.dimensions.join('D or ')}D images; the image is ${info.dimension}D (${fmtSize(info.size)})`, { step: i, op })
    }
    if (info.components !== 1 && spec.name !== 'flipAxis' && spec.name !== 'reorientImage' && spec.name !== 'padOrCrop') {
      throw new PipelineError('BAD_IMAGE', `${stepLabel(i, op)} needs a scalar image; this one has ${info.components} components per pixel`, { step: i, op })
    }
    const o = withDefaults(step.options ?? {}, spec.options)
    for (const [k, s] of Object.entries(spec.options)) if (k in o) checkOptionValue(o[k], s, k, i, op, info.dimension)
    if ((op === 'resizeImage' || op === 'padOrCrop') && !((o.size as number[]).length === info.dimension || ((o.size as number[]).length === 2 && info.dimension === 3))) {
      throw new PipelineError('BAD_OPTION_TYPE', `${stepLabel(i, op)}: option "size" must have ${info.dimension} entries for this ${info.dimension}D image, got ${(o.size as number[]).length}`, { step: i, op })
    }
    const out = spec.estimate(info, o)
    let bytes = imageBytes(out) + (spec.workBytes?.(info, o) ?? 0)
    if (spec.spatial) bytes += masks.size * imageBytes({ ...out, componentType: 'uint8', components: 1 })
    if (bytes > limit) {
      throw new PipelineError('TOO_LARGE', `${stepLabel(i, op)} would need about ${formatBytes(bytes)} (output ${fmtSize(out.size)} ${out.componentType}${spec.spatial && masks.size ? ` and ${masks.size} mask(s)` : ''}), above the limit of ${formatBytes(limit)}: refused before running`, { step: i, op })
    }
    peak = Math.max(peak, bytes)
    if (spec.produces === 'mask') masks.set(maskNameOf(spec, o)!, out)
    else {
      info = out
      if (spec.spatial) for (const k of masks.keys()) masks.set(k, { ...out, componentType: 'uint8', components: 1 })
    }
    steps.push({ index: i, op, options: o, output: out, bytes, masks: [...masks.keys()] })
  })
  return { steps, output: info, peakStepBytes: peak }
}

export interface StepReport {
  index: number
  op: string
  /** 'ok', 'failed' (an optional step, or any step with continueOnError), or 'not-run' (after a failure that stopped the run). */
  status: 'ok' | 'failed' | 'not-run'
  /** Wall time in ms. */
  ms: number
  /** Estimated bytes (from the plan). */
  estimatedBytes: number
  /** The step's output grid and type (the mask's for mask steps). */
  size?: number[]
  spacing?: number[]
  componentType?: string
  /** The mask the step made. */
  mask?: string
  note?: string
  /** The failure, in words, and its code when the library gave one. */
  error?: string
  errorCode?: string
}

export interface RunPipelineOptions {
  /** Fraction of the whole run (0..1) and a message naming the step. */
  onProgress?: (fraction: number, message?: string) => void
  /** Cancels between steps and inside the long ones. */
  signal?: AbortSignal
  /** Called when a step starts (report without timing) and ends. */
  onStep?: (report: StepReport, phase: 'start' | 'end') => void
  /** Refuse (TOO_LARGE, before any work) a step whose estimate is above this. Default {@link DEFAULT_MAX_STEP_BYTES}. */
  maxStepBytes?: number
  /**
   * On a failing step: false (default) stops and throws STEP_FAILED (unless the step is
   * `optional`); true records the failure and goes on with the image unchanged (what an
   * interactive view wants). Steps that need a mask the failed step should have made then fail too.
   */
  continueOnError?: boolean
  /** Keep the output of every step (image or mask), for a before/after view. Default false. */
  keepIntermediates?: boolean
}

export interface RunPipelineResult {
  /** The image after the last step. */
  image: Image
  /** The masks made, by name, on the final grid. */
  masks: Record<string, Image>
  steps: StepReport[]
  /** True when every step ran. */
  ok: boolean
  /** Total wall time in ms. */
  ms: number
  /** Per step (when keepIntermediates): its output. */
  intermediates?: (Image | null)[]
}

/** Weight of each step in the progress bar: rough relative costs. */
const WEIGHT: Record<string, number> = { n4BiasFieldCorrection: 20, whiteStripe: 3, segmentLungs: 5, bodyMask: 3, resampleToSpacing: 2, resample: 2, resizeImage: 2, clahe: 2, detectMetal: 1 }

function message(e: unknown): { text: string; code?: string } {
  const err = e as { message?: string; code?: unknown }
  return { text: err?.message ?? String(e), code: typeof err?.code === 'string' ? err.code : undefined }
}

/**
 * Runs a pipeline on an image: validates it ({@link validatePipeline}), plans it
 * ({@link planPipeline}: every step's output estimated and refused with the estimate when above
 * `maxStepBytes`, before anything runs), then runs the steps in order with progress split by
 * their typical cost, a {@link StepReport} per step (timing, output grid, note) through `onStep`,
 * and cancel through `signal`. Mask steps add a named mask; spatial steps carry the masks onto
 * the new grid. A step that throws stops the run with PipelineError STEP_FAILED naming the step
 * and the cause (its `code` in the message) — unless it is `optional` or `continueOnError` is set;
 * then it is reported as failed and the run goes on.
 */
export async function runPipeline(image: Image, pipelineJson: unknown, options: RunPipelineOptions = {}): Promise<RunPipelineResult> {
  const pipeline = validatePipeline(pipelineJson)
  if (!image || !image.data) throw new PipelineError('BAD_IMAGE', 'runPipeline: the image has no pixel data')
  const plan = planPipeline(image, pipeline, { maxStepBytes: options.maxStepBytes })
  const { signal, onStep } = options
  // Never report going backwards (rounding at step boundaries, a step restarting its own count).
  let last = 0
  const onProgress = options.onProgress && ((f: number, m?: string) => { last = Math.max(last, f); options.onProgress!(last, m) })
  const weights = plan.steps.map((s) => WEIGHT[s.op] ?? 0.5)
  const total = weights.reduce((a, b) => a + b, 0) || 1
  const from: number[] = []
  weights.reduce((at, w, i) => ((from[i] = at / total), at + w), 0)
  const masks = new Map<string, Image>()
  const failedMasks = new Map<string, number>()
  const reports: StepReport[] = plan.steps.map((s) => ({ index: s.index, op: s.op, status: 'not-run', ms: 0, estimatedBytes: s.bytes }))
  const intermediates: (Image | null)[] | undefined = options.keepIntermediates ? plan.steps.map(() => null) : undefined
  let current = image
  let ok = true
  const t0 = performance.now()
  for (const s of plan.steps) {
    signal?.throwIfAborted()
    const spec = getOperation(s.op)!
    const report = reports[s.index]
    const label = stepLabel(s.index, s.op)
    const share = weights[s.index] / total
    const stepProgress = (f: number, m?: string) => onProgress?.(from[s.index] + Math.min(1, Math.max(0, f)) * share, m ? `${label}: ${m}` : label)
    onProgress?.(from[s.index], `${label}: start`)
    onStep?.({ ...report }, 'start')
    const started = performance.now()
    try {
      for (const k of spec.maskInputs ?? []) {
        const name = s.options[k] as string | undefined
        if (name !== undefined && !masks.has(name)) {
          const by = failedMasks.get(name)
          throw new PipelineError('UNKNOWN_MASK', `mask "${name}" is missing${by !== undefined ? `: ${stepLabel(by, plan.steps[by].op)}, which makes it, failed` : ''}`, { step: s.index, op: s.op })
        }
      }
      const r = await spec.run(current, s.options, { masks, onProgress: stepProgress, signal })
      signal?.throwIfAborted()
      if (spec.produces === 'mask') {
        const name = s.options.maskName as string
        masks.set(name, r.image)
        report.mask = name
      } else {
        if (spec.spatial && masks.size > 0) {
          for (const [k, m] of masks) masks.set(k, spec.moveMask!(m, s.options, r.image))
        }
        current = r.image
      }
      report.status = 'ok'
      report.size = [...r.image.size]
      report.spacing = [...r.image.spacing]
      report.componentType = r.image.imageType.componentType
      if (r.note) report.note = r.note
      if (intermediates) intermediates[s.index] = r.image
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e
      const { text, code } = message(e)
      report.status = 'failed'
      report.error = text
      if (code) report.errorCode = code
      report.ms = performance.now() - started
      ok = false
      if (spec.produces === 'mask') failedMasks.set(s.options.maskName as string, s.index)
      onStep?.({ ...report }, 'end')
      const step = pipeline.steps[s.index]
      if (!(step.optional || options.continueOnError)) {
        throw new PipelineError('STEP_FAILED', `${label} failed: ${text}${code ? ` [${code}]` : ''}`, { step: s.index, op: s.op, cause: e })
      }
      continue
    }
    report.ms = performance.now() - started
    onStep?.({ ...report }, 'end')
  }
  onProgress?.(1, 'done')
  return { image: current, masks: Object.fromEntries(masks), steps: reports, ok, ms: performance.now() - t0, ...(intermediates ? { intermediates } : {}) }
}

/** Canonical JSON (object keys sorted) of a value: the same pipeline always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isObject(value)) return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`
  return JSON.stringify(value)
}

/**
 * SHA-256 (hex) of the pipeline's canonical JSON with every default filled in, so that two files
 * that run the same operations with the same effective options have the same hash (names and
 * comments excluded; a changed default in a later library version changes it). Uses Web Crypto
 * (browsers, Node ≥ 20).
 */
export async function pipelineHash(pipelineJson: unknown): Promise<string> {
  const p = validatePipeline(pipelineJson)
  const effective = p.steps.map((s) => ({ op: s.op, options: withDefaults(s.options ?? {}, getOperation(s.op)!.options), optional: s.optional ?? false }))
  const bytes = new TextEncoder().encode(canonicalJson({ format: p.format, version: p.version, steps: effective }))
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}


/**
 * One case of a `mip run`: read, run the pipeline, write OUT/<case>.nii.gz (+ one
 * OUT/<case>.mask-<name>.nii.gz per mask) and OUT/<case>.json (provenance), each atomically
 * (a temporary file in OUT, then rename), the provenance last: its presence with the same
 * pipeline hash marks the case done for a resumed run.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { writeNifti } from '../io/nifti'
import type { Image } from '../image'
import { PipelineError } from '../pipeline/errors'
import { runPipeline, type Pipeline, type StepReport } from '../pipeline/run'
import { describeOutput, makeProvenance, PROVENANCE_FORMAT, type OutputFile, type Provenance } from '../pipeline/provenance'
import { readCase, type CaseEntry } from './cases'

export interface CaseTask {
  entry: CaseEntry
  pipeline: Pipeline
  pipelineHash: string
  outDir: string
  maxStepBytes: number
  writeMasks: boolean
  /** gzip level of the .nii.gz outputs, 0–9. Default 6 (zlib's and ITK's default). */
  gzipLevel?: number
}

export type CaseResult =
  | { status: 'ok'; case: string; ms: number; outputs: string[]; steps: StepReport[] }
  | { status: 'failed'; case: string; ms: number; reason: string; code?: string; failedStep?: { index: number; op: string }; steps?: StepReport[] }

/** Writes a file atomically: a unique temporary name in the same folder, then rename. */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await writeFile(tmp, data)
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}

/** The provenance of a finished case when its outputs exist and match `hash`, else null. */
export async function completedProvenance(outDir: string, name: string, hash: string): Promise<Provenance | null> {
  try {
    const p = JSON.parse(await readFile(join(outDir, `${name}.json`), 'utf8')) as Provenance
    if (p.format !== PROVENANCE_FORMAT || p.status !== 'ok' || p.pipelineHash !== hash || !Array.isArray(p.outputs)) return null
    for (const o of p.outputs) {
      const s = await stat(join(outDir, o.file)).catch(() => null)
      if (!s || s.size !== o.bytes) return null
    }
    return p
  } catch {
    return null
  }
}

/** Runs one case; never throws (a failure is returned with its reason and, when a step failed, the step). */
export async function processCase(task: CaseTask, onProgress: (fraction: number, message?: string) => void): Promise<CaseResult> {
  const t0 = performance.now()
  const startedAt = new Date().toISOString()
  const name = task.entry.name
  // Reports of the steps that ended, kept for the run report when a later step fails.
  const ended: StepReport[] = []
  try {
    onProgress(0, 'reading')
    const { image, summary } = await readCase(task.entry, (f, m) => onProgress(0.1 * f, m ? `reading: ${m}` : 'reading'))
    const readMs = performance.now() - t0
    const result = await runPipeline(image, task.pipeline, {
      maxStepBytes: task.maxStepBytes,
      onProgress: (f, m) => onProgress(0.1 + 0.8 * f, m),
      onStep: (r, phase) => { if (phase === 'end') ended.push(r) },
    })
    onProgress(0.9, 'writing')
    const tw = performance.now()
    const outputs: OutputFile[] = []
    const put = async (img: Image, file: string, role: 'image' | 'mask', mask?: string) => {
      // The library's NIfTI writer makes the file; Node's native zlib compresses it (the same
      // gzip stream as writeNifti's fflate, several times faster on 100 MB volumes).
      const raw = new Uint8Array(writeNifti(img, { gzip: false }))
      const gz = gzipSync(raw, { level: task.gzipLevel ?? 6 })
      const bytes = new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength)
      await writeAtomic(join(task.outDir, file), bytes)
      outputs.push(describeOutput(img, file, role, bytes.byteLength, mask))
    }
    await put(result.image, `${name}.nii.gz`, 'image')
    if (task.writeMasks) for (const [m, img] of Object.entries(result.masks)) await put(img, `${name}.mask-${m}.nii.gz`, 'mask', m)
    const provenance = makeProvenance({
      case: name, input: summary, pipeline: task.pipeline, pipelineHash: task.pipelineHash,
      runtime: { node: process.version, platform: `${process.platform}-${process.arch}` },
      startedAt, finishedAt: new Date().toISOString(), readMs, writeMs: performance.now() - tw,
      steps: result.steps, outputs,
    })
    await writeAtomic(join(task.outDir, `${name}.json`), JSON.stringify(provenance, null, 2) + '\n')
    onProgress(1, 'done')
    return { status: 'ok', case: name, ms: performance.now() - t0, outputs: [...outputs.map((o) => o.file), `${name}.json`], steps: result.steps }
  } catch (e) {
    const err = e as { message?: string; code?: unknown }
    const failed = e instanceof PipelineError && e.step !== undefined ? { index: e.step, op: e.op ?? '' } : undefined
    return {
      status: 'failed', case: name, ms: performance.now() - t0, reason: err?.message ?? String(e),
      ...(typeof err?.code === 'string' ? { code: err.code } : {}), ...(failed ? { failedStep: failed } : {}), ...(ended.length ? { steps: ended } : {}),
    }
  }
}

/**
 * The Lab's downloads, all made in this tab: the result or a mask as .nii.gz (writeNifti in the
 * worker, gzip level 1; optionally cast to a smaller pixel type first), and the provenance
 * record (src/pipeline/provenance.ts: input geometry and safe metadata only, no names or UIDs).
 * File names are fixed ("lab-result…") so that no name the reader's files carry ends up in them.
 */
import type { ComponentType, Image } from '../../src/image'
import { pipelineHash, type Pipeline, type StepReport } from '../../src/pipeline/run'
import { describeOutput, makeProvenance, summarizeInput, type OutputFile, type Provenance } from '../../src/pipeline/provenance'
import { siteWorker } from '../shared/site-worker'

export interface Written { file: string; role: 'image' | 'mask'; mask?: string; bytes: ArrayBuffer; image: Image; ms: number }

/** Hands bytes to the browser as a download. */
export function saveFile(bytes: BlobPart, file: string, type: string): void {
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([bytes], { type })), download: file })
  document.body.append(a) // a detached link does not download in every browser
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

/** The .nii.gz of an image (a mask when `mask` is given), cast to `componentType` first when it differs. */
export async function writeVolume(image: Image, what: { mask?: string; componentType?: ComponentType | '' }, signal?: AbortSignal): Promise<Written> {
  const { runInWorker } = siteWorker()
  const t0 = performance.now()
  let out = image
  if (!what.mask && what.componentType && what.componentType !== image.imageType.componentType) {
    out = await runInWorker('castPixelType', [image, what.componentType, { rounding: 'round' }], { signal })
  }
  const description = what.mask ? `mask ${what.mask} (med-imaging-primer Lab)` : 'med-imaging-primer Pipeline Lab result'
  const bytes = await runInWorker('writeNifti', [out, { level: 1, description }], { signal })
  const file = what.mask ? `lab-mask-${what.mask}.nii.gz` : 'lab-result.nii.gz'
  return { file, role: what.mask ? 'mask' : 'image', ...(what.mask ? { mask: what.mask } : {}), bytes, image: out, ms: performance.now() - t0 }
}

export interface ProvenanceInput {
  image: Image
  kind: string
  files: number
  readMs: number
  pipeline: Pipeline
  steps: StepReport[]
  startedAt: string
  finishedAt: string
  written: Written[]
}

/** The provenance record of a Lab run (the same format as `mip`'s `<case>.json`). */
export async function provenanceOf(p: ProvenanceInput): Promise<Provenance> {
  const outputs: OutputFile[] = p.written.map((w) => describeOutput(w.image, w.file, w.role, w.bytes.byteLength, w.mask))
  return makeProvenance({
    case: 'lab', input: summarizeInput(p.image, { kind: p.kind, files: p.files }), pipeline: p.pipeline, pipelineHash: await pipelineHash(p.pipeline),
    runtime: { userAgent: navigator.userAgent }, startedAt: p.startedAt, finishedAt: p.finishedAt,
    readMs: Math.round(p.readMs), writeMs: Math.round(p.written.reduce((a, w) => a + w.ms, 0)), steps: p.steps, outputs,
  })
}

/**
 * The fuzz's child process: reads each input it is sent with every reader of its kind and answers
 * whether the rules hold (valid image, or the library's coded error in plain words).
 */
import { DicomError, listDicomSeries, readDicomHeader, readDicomSeries } from '../../src/io/dicom'
import { NiftiError, readNifti, readNiftiSync } from '../../src/io/nifti'
import type { Image } from '../../src/image'

const INTERNALS = /dicomParser|DataView|Aborted\(|ASSERTIONS|undefined is not|Cannot read prop|is not a function|Maximum call stack|Invalid typed array length|Array buffer allocation failed/

function imageProblem(img: Image): string | null {
  const size = img.size
  if (!size.length || size.some((s) => !(Number.isInteger(s) && s > 0))) return `size ${size.join('×')}`
  const voxels = size.reduce((a, b) => a * b, 1)
  const comps = img.imageType.components
  if (!img.data || img.data.length !== voxels * comps) return `data length ${img.data?.length} ≠ ${voxels} × ${comps}`
  if (img.spacing.some((s) => !(Number.isFinite(s) && s > 0))) return `spacing ${img.spacing.join(', ')}`
  if (img.origin.some((o) => !Number.isFinite(o))) return `origin ${img.origin.join(', ')}`
  if (Array.from(img.direction as ArrayLike<number>).some((d) => !Number.isFinite(d))) return 'direction not finite'
  return null
}

function errorProblem(e: unknown, kind: 'dicom' | 'nifti'): string | null {
  const ok = kind === 'dicom' ? e instanceof DicomError : e instanceof NiftiError
  if (!ok) return `raw ${typeof e === 'string' ? 'string' : (e as Error)?.name ?? typeof e}: ${String((e as Error)?.message ?? e).slice(0, 160)}`
  const err = e as DicomError | NiftiError
  if (!err.code) return 'error without code'
  if (!err.message || INTERNALS.test(err.message)) return `${err.code} message names internals: ${err.message.slice(0, 160)}`
  return null
}

process.on('message', async (m: { kind: 'dicom' | 'nifti'; bytes: string }) => {
  const bytes = new Uint8Array(Buffer.from(m.bytes, 'base64'))
  const readers: [string, () => Promise<unknown>][] = m.kind === 'dicom'
    ? [
        ['readDicomSeries', () => readDicomSeries([bytes])],
        ['listDicomSeries', () => listDicomSeries([bytes])],
        ['readDicomHeader', async () => readDicomHeader(bytes.slice().buffer)],
      ]
    : [
        ['readNifti', () => readNifti(bytes)],
        ['readNiftiSync', async () => readNiftiSync(bytes)],
      ]
  const outcomes: string[] = []
  for (const [name, read] of readers) {
    try {
      const r = await read()
      if (name === 'readDicomSeries' || name.startsWith('readNifti')) {
        const p = imageProblem(r as Image)
        if (p) return process.send!({ ok: false, reason: `${name} returned an invalid image: ${p}`, outcome: 'invalid-image' })
      }
      outcomes.push('ok')
    } catch (e) {
      const p = errorProblem(e, m.kind)
      if (p) return process.send!({ ok: false, reason: `${name}: ${p}`, outcome: 'bad-error' })
      outcomes.push((e as DicomError).code)
    }
  }
  process.send!({ ok: true, outcome: outcomes[0] === 'ok' ? 'read' : 'refused' })
})

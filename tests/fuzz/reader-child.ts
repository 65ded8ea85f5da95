/**
 * The fuzz's child process: reads each input it is sent with every reader of its kind and answers
 * whether the rules hold (valid image, or the library's coded error in plain words).
 */
import { DicomError, listDicomSeries, readDicomHeader, readDicomSeries } from '../../src/io/dicom'
import { NiftiError, readNifti, readNiftiSync } from '../../src/io/nifti'
import type { Image } from '../../src/image'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// A good 5-slice series: a mutated file dropped into its folder must never fail the folder (issue 13).
const SERIES_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '../reference/io/dicom/files/series_oblique')
const GOOD_SERIES = readdirSync(SERIES_DIR).sort().map((f) => new File([readFileSync(join(SERIES_DIR, f))], f))

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
        ['readDicomSeries (folder)', () => readDicomSeries([new File([bytes], 'mutated.dcm'), ...GOOD_SERIES])],
        ['listDicomSeries (folder)', () => listDicomSeries([new File([bytes], 'mutated.dcm'), ...GOOD_SERIES])],
      ]
    : [
        ['readNifti', () => readNifti(bytes)],
        ['readNiftiSync', async () => readNiftiSync(bytes)],
      ]
  const outcomes: string[] = []
  for (const [name, read] of readers) {
    try {
      const r = await read()
      if (name.startsWith('readDicomSeries') || name.startsWith('readNifti')) {
        const p = imageProblem(r as Image)
        if (p) return process.send!({ ok: false, reason: `${name} returned an invalid image: ${p}`, outcome: 'invalid-image' })
      }
      // The good series has 5 slices: the default series has at least as many (most slices wins).
      if (name === 'readDicomSeries (folder)' && (r as Image).size[2] < 5) {
        return process.send!({ ok: false, reason: `${name} read a ${(r as Image).size.join('×')} series instead of the good 5-slice one`, outcome: 'folder' })
      }
      if (name === 'listDicomSeries (folder)' && !(r as { slices: number }[]).some((s) => s.slices >= 5)) {
        return process.send!({ ok: false, reason: `${name} lost the good series`, outcome: 'folder' })
      }
      outcomes.push('ok')
    } catch (e) {
      // One bad file must not fail a folder that holds a good series.
      if (name.endsWith('(folder)')) return process.send!({ ok: false, reason: `${name} failed because of the mutated file: ${(e as Error)?.message?.slice(0, 200) ?? e}`, outcome: 'folder' })
      const p = errorProblem(e, m.kind)
      if (p) return process.send!({ ok: false, reason: `${name}: ${p}`, outcome: 'bad-error' })
      outcomes.push((e as DicomError).code)
    }
  }
  process.send!({ ok: true, outcome: outcomes[0] === 'ok' ? 'read' : 'refused' })
})

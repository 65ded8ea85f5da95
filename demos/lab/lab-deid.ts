/**
 * The Lab's de-identified export: the loaded series' DICOM files through deidentifyDicomSeries
 * (PS3.15 Annex E basic profile, one UID map for the series, in the worker), the before/after
 * rows the reader checks, and a zip (fflate) of the new files. Everything stays in this tab.
 *
 * The zip holds the files under fixed names (IM00001.dcm, …: no name the reader's files carry)
 * and a report of what was done per element (tag, keyword, action, value after) — never the
 * values before, which are the identifying data themselves.
 */
import { zipSync } from 'fflate'
import type { DeidAction, DeidChange } from '../../src/io/dicom-deidentify'
import { siteWorker } from '../shared/site-worker'

export interface DeidFile { bytes: Uint8Array; changes: DeidChange[]; warnings: string[] }
export interface DeidExport { files: DeidFile[]; warnings: string[]; uids: number; ms: number }

/** Plain words for each action (PS3.15 Table E.1-1a). */
export const ACTION_WORDS: Record<DeidAction, string> = {
  D: 'dummy value', Z: 'emptied', X: 'removed', K: 'kept', C: 'cleaned', U: 'new UID', added: 'added',
}

/** De-identifies the files of one series in the worker, with one UID map for all of them. */
export async function deidentifyFiles(files: (Blob | ArrayBuffer)[], signal?: AbortSignal): Promise<DeidExport> {
  const t0 = performance.now()
  const buffers = await Promise.all(files.map((f) => (f instanceof Blob ? f.arrayBuffer() : f.slice(0))))
  if (signal?.aborted) throw new DOMException('cancelled', 'AbortError')
  const r = await siteWorker().runInWorker('deidentifyDicomSeries', [buffers], { signal })
  return { files: r.files.map((f) => ({ bytes: f.bytes, changes: f.changes, warnings: f.warnings })), warnings: r.warnings, uids: r.uidMap.size, ms: performance.now() - t0 }
}

/** The zip of a de-identified export: deid/IM00001.dcm … and deid/deidentification-report.json. */
export function zipExport(e: DeidExport): Uint8Array {
  const entries: Record<string, Uint8Array> = {}
  e.files.forEach((f, i) => (entries[`deid/IM${String(i + 1).padStart(5, '0')}.dcm`] = f.bytes))
  const report = {
    profile: 'DICOM PS3.15 Annex E, Basic Application Level Confidentiality Profile (113100, DCM)',
    note: 'Values before de-identification are not included. Text burned into the pixels is not removed.',
    warnings: e.warnings,
    files: e.files.map((f, i) => ({
      file: `IM${String(i + 1).padStart(5, '0')}.dcm`,
      changes: f.changes.map((c) => ({ path: c.path, keyword: c.keyword, action: c.action, code: c.code, after: c.action === 'U' ? '(new UID)' : c.after })),
    })),
  }
  entries['deid/deidentification-report.json'] = new TextEncoder().encode(JSON.stringify(report, null, 1) + '\n')
  // DICOM pixel data rarely compresses much; level 1 keeps the zip quick for big series.
  return zipSync(entries, { level: 1 })
}

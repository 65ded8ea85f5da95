/**
 * Scans a reader opens in a figure: files from a file picker, a folder picker
 * (`webkitdirectory`) or a drag-and-drop of files and folders (read recursively with
 * `DataTransferItem.webkitGetAsEntry()`, the File and Directory Entries API), read in the worker.
 */
import type { Image } from '../../src/image'
import { siteWorker } from './site-worker'

/** The files a file or folder picker holds, emptying it so that choosing the same files again fires `change`. */
export function takeChosenFiles(input: HTMLInputElement | null): File[] {
  const files = Array.from(input?.files ?? [])
  if (input) input.value = ''
  return files
}

/** Files of a drop, folders included (walked recursively). Call synchronously from the drop handler. */
export function filesFromDrop(event: DragEvent): Promise<File[]> {
  const items = Array.from(event.dataTransfer?.items ?? [])
  // Entries must be taken during the event: the DataTransfer is emptied once the handler returns.
  const entries = items.map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() ?? null : null))
  if (entries.length === 0 || entries.every((e) => e === null)) return Promise.resolve(Array.from(event.dataTransfer?.files ?? []))
  return Promise.all(entries.map((e) => (e ? walk(e) : Promise.resolve([])))).then((lists) => lists.flat())
}

async function walk(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return [await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))]
  }
  if (!entry.isDirectory) return []
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  const children: FileSystemEntry[] = []
  // readEntries returns at most ~100 entries per call: repeat until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject))
    if (batch.length === 0) break
    children.push(...batch)
  }
  const lists = await Promise.all(children.map(walk))
  return lists.flat()
}

/** Drops files that cannot be part of a scan (hidden files, OS thumbnails), keeping DICOM without extension. */
export function scanCandidates(files: File[]): File[] {
  return files.filter((f) => !f.name.startsWith('.') && !/^(thumbs\.db|desktop\.ini)$/i.test(f.name) && !/\.(txt|json|xml|jpg|jpeg|png|pdf|html?)$/i.test(f.name))
}

/** The NIfTI file among the files, if any. */
export function niftiFile(files: File[]): File | undefined {
  return files.find((f) => /\.nii(\.gz)?$/i.test(f.name))
}

/** A file-name stem for downloads: "ct-thorax-phantom", "scan" from "scan.nii.gz", or the folder name. */
export function downloadStem(label: string): string {
  const stem = label.replace(/\.nii(\.gz)?$/i, '').replace(/\.dcm$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')
  return stem || 'ct'
}

export interface ReadScanOptions {
  signal?: AbortSignal
  onProgress?: (fraction: number, message: string) => void
}

/**
 * Reads the reader's files in the worker: the NIfTI file if there is one, else the DICOM files as
 * one series (the first series found). Returns the image, a label for it, and the first DICOM file
 * (for a header inspector; null for NIfTI).
 */
export async function readScanFiles(files: File[], options: ReadScanOptions = {}): Promise<{ image: Image; label: string; firstDicom: File | null }> {
  const { runInWorker } = siteWorker()
  const { signal, onProgress } = options
  const nifti = niftiFile(files)
  if (nifti) {
    onProgress?.(0.1, `Reading ${nifti.name}…`)
    const image = await runInWorker('readNifti', [await nifti.arrayBuffer()], { signal, transfer: true })
    return { image, label: nifti.name, firstDicom: null }
  }
  const dicom = scanCandidates(files)
  onProgress?.(0.1, `Reading ${dicom.length} DICOM file(s)…`)
  const image = await runInWorker('readDicomSeries', [dicom], {
    signal,
    onProgress: (f, m) => onProgress?.(0.1 + 0.9 * f, m ?? 'Decoding DICOM…'),
  })
  return { image, label: `${dicom.length} DICOM file(s) you opened`, firstDicom: dicom[0] ?? null }
}

/** Hands bytes to the browser as a download named `name` (nothing leaves the machine). */
export function saveBytes(bytes: BlobPart, name: string, type = 'application/gzip'): void {
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([bytes], { type })), download: name })
  document.body.append(a) // a detached link does not download in every browser
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000) // after the browser has taken the file
}

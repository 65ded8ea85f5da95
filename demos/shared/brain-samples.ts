/**
 * The brain scans of the MRI figures: Colin27 T1 from MRIcron (ch2, the full head, and ch2bet,
 * skull-stripped; see public/data/README.md), fetched through the sample cache so every figure
 * of a visit shares one download, and the reader's own scan.
 */
import type { Image } from '../../src/image'
import { formatBytes, loadSample } from '../kit/sample-cache'
import { openScanFiles } from '../kit/open-scan'
import { siteWorker } from './site-worker'

export type BrainSample = 'ch2bet' | 'ch2'
export type PhaseReport = (fraction: number | null, text: string) => void

/** Files of each sample: the scan first, then the skull-stripped brain that masks it. */
const FILES: Record<BrainSample, string[]> = {
  ch2bet: ['/data/ch2bet.nii.gz'],
  ch2: ['/data/ch2.nii.gz', '/data/ch2bet.nii.gz'],
}

/**
 * Downloads and reads a Colin27 sample: the scan and the stripped brain (the same image for
 * ch2bet; for ch2 only when `withMask`, else the scan itself). Download progress in bytes fills
 * `share` of the bar.
 */
export async function loadBrainSample(id: BrainSample, signal: AbortSignal, onPhase: PhaseReport, { share = 0.8, withMask = true } = {}): Promise<{ image: Image; stripped: Image }> {
  const paths = withMask ? FILES[id] : FILES[id].slice(0, 1)
  const got = paths.map(() => ({ received: 0, total: undefined as number | undefined }))
  const report = () => {
    const received = got.reduce((s, g) => s + g.received, 0)
    const total = got.every((g) => g.total) ? got.reduce((s, g) => s + g.total!, 0) : undefined
    onPhase(total ? share * (received / total) : null, `Downloading Colin27 T1: ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''}`)
  }
  const images = await Promise.all(paths.map((path, i) => readSample(path, signal, (received, total) => {
    Object.assign(got[i], { received, total })
    report()
    if (got.every((g) => g.total && g.received === g.total)) onPhase(share, 'Reading NIfTI…')
  })))
  const image = images[0]
  const stripped = images[images.length - 1]
  if (stripped.size.some((n, i) => n !== image.size[i])) throw new Error('The brain mask and the T1 scan have different sizes')
  return { image, stripped }
}

/**
 * Each sample read once per visit (parsing Colin27 costs ~0.3 s; the 5.1 page has three figures
 * on it): the Image is shared, so callers must not change it or transfer its buffer to the
 * worker. A read that failed or was cancelled, or an Image whose buffer was transferred after
 * all, is read again.
 */
const parsed = new Map<string, Promise<Image>>()

async function readSample(path: string, signal: AbortSignal, onProgress: (received: number, total: number | undefined) => void): Promise<Image> {
  const hit = await parsed.get(path)?.catch(() => null)
  if (hit && (hit.data as ArrayBufferView).byteLength > 0) return hit
  const read = loadSample(path, { signal, onProgress }).then((bytes) => siteWorker().runInWorker('readNifti', [bytes], { signal, transfer: true }) as Promise<Image>)
  parsed.set(path, read)
  read.catch(() => parsed.get(path) === read && parsed.delete(path))
  return read
}

/**
 * Reads the reader's files (NIfTI or DICOM, recognised by content; the first series of a folder
 * with several; unreadable files skipped and named) as one scalar image of `dimensions` (2 and/or 3).
 */
export async function readOwnScan(files: File[], signal: AbortSignal, onPhase: PhaseReport, method: string, dimensions: number[]): Promise<{ image: Image; label: string }> {
  const opened = await openScanFiles(files, { signal, onProgress: (f, m) => onPhase(0.8 * f, m ?? 'Reading your scan…') })
  if (!opened) throw new DOMException('No series chosen.', 'AbortError')
  const { image } = opened
  const skipped = opened.skipped.length ? ` (skipped: ${opened.skipped.map((f) => `${f.name}: ${f.reason}`).join('; ')})` : ''
  if (image.imageType.components !== 1) throw new Error(`${method} needs a scalar (grey-level) image; this one has ${image.imageType.components} components per pixel`)
  const dim = image.imageType.dimension === 3 && (image.size[2] ?? 1) < 2 ? 2 : image.imageType.dimension
  if (!dimensions.includes(dim)) throw new Error(`${method} needs a ${dimensions.join(' or ')}D image; this one is ${image.size.join('×')}`)
  return { image, label: opened.label + skipped }
}

/**
 * A first picture for the radiograph figures (1.3, 2.3) while the 5 MB thorax phantom downloads:
 * the phantom's 2.8 mm in-plane copy (1.3 MB, same slices) projected by the library's
 * projectRadiograph in the worker and painted as its log image, 1st to 99th percentile. It covers
 * the same 358 × 180 mm as the full radiograph, so it fills the same reserved canvas box; the
 * figure replaces it with the simulated acquisition from the 1.4 mm phantom.
 */
import { loadSample } from '../kit/sample-cache'
import { siteWorker } from './site-worker'
import { drawScaled } from './sinogram-draw'
import type { Image } from '../../src/image'

export const PHANTOM = '/data/ct-thorax-phantom/thorax-1.4mm.nii.gz'
export const PHANTOM_PREVIEW = '/data/ct-thorax-phantom/thorax-2.8mm.nii.gz'

/** Display window of a log image: its 1st and 99th percentiles (nearest rank below). */
export function logImageWindow(image: Image): { low: number; high: number } {
  const sorted = Float32Array.from(image.data as Float32Array).sort()
  return { low: sorted[Math.floor(0.01 * sorted.length)], high: sorted[Math.floor(0.99 * sorted.length)] }
}

export interface PhantomWithPreviewOptions {
  /** Bytes of the 1.4 mm phantom received so far, and its size once known. */
  onProgress: (received: number, total: number | undefined) => void
  /** Called once the preview is on `canvas` (latestRun's `shown`). */
  shown: () => void
  /** Shows what is going on (the figure's progress label). */
  label: (text: string) => void
}

/**
 * The 1.4 mm phantom's bytes. The 2.8 mm copy downloads first and its projection is painted on
 * `canvas` (then `shown()`) while the full copy downloads: one download at a time, so the
 * preview's does not share the bandwidth.
 */
export async function loadPhantomWithPreview(canvas: () => HTMLCanvasElement | null, signal: AbortSignal, options: PhantomWithPreviewOptions): Promise<ArrayBuffer> {
  const { runInWorker } = siteWorker()
  options.label('Downloading a 2.8 mm preview of the phantom…')
  const coarse = await loadSample(PHANTOM_PREVIEW, { signal })
  let downloading = true
  const painted = (async () => {
    const volume = await runInWorker('readNifti', [coarse], { signal, transfer: true })
    const drr: Image = await runInWorker('projectRadiograph', [volume, { output: 'attenuation' }], { signal, transfer: true })
    const c = canvas()
    if (!c || signal.aborted) return
    const { low, high } = logImageWindow(drr)
    drawScaled(c, drr, low, high)
    if (downloading) options.label('Preview (2.8 mm copy, noise-free); downloading the 1.4 mm phantom…')
    options.shown()
  })()
  painted.catch(() => {}) // awaited below; handled meanwhile if the full download fails first
  options.label('Downloading the 1.4 mm thorax phantom…')
  const bytes = await loadSample(PHANTOM, { signal, onProgress: options.onProgress })
  downloading = false
  await painted
  return bytes
}

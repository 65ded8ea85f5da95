/**
 * A first picture for the radiograph figures (1.3, 2.3) while the 5 MB thorax phantom downloads:
 * the phantom's 2.8 mm in-plane copy (1.3 MB, same slices) projected by the library's
 * projectRadiograph in the worker and painted as its log image, 1st to 99th percentile. It covers
 * the same 358 × 180 mm as the full radiograph, so it fills the same reserved canvas box; the
 * figure replaces it with the simulated acquisition from the 1.4 mm phantom.
 */
import { loadSample } from '../kit/sample-cache'
import { siteWorker } from './site-worker'
import { drawGray } from './canvas'
import type { Image } from '../../src/image'

export const PHANTOM = '/data/ct-thorax-phantom/thorax-1.4mm.nii.gz'
export const PHANTOM_PREVIEW = '/data/ct-thorax-phantom/thorax-2.8mm.nii.gz'

/** Window of a log image: its 1st and 99th percentiles (the display of the radiograph figures). */
export function percentileWindow(image: Image): { low: number; high: number } {
  const sorted = Float32Array.from(image.data as Float32Array).sort()
  return { low: sorted[Math.floor(0.01 * sorted.length)], high: sorted[Math.floor(0.99 * sorted.length)] }
}

/** Paints a log image (line integrals) on `canvas` in `window`. */
export function paintLogImage(canvas: HTMLCanvasElement, image: Image, window: { low: number; high: number }): void {
  const { low, high } = window
  const g = image.data as Float32Array
  drawGray(canvas, Uint8Array.from(g, (v) => Math.max(0, Math.min(255, Math.round((255 * (v - low)) / (high - low))))), image.size[0], image.size[1])
}

/**
 * Downloads the coarse copy; resolves once it is in (so the caller can start the full download)
 * with `painted`, which settles when its projection is on `canvas`.
 */
export async function startRadiographPreview(canvas: () => HTMLCanvasElement | null, signal: AbortSignal): Promise<{ painted: Promise<void> }> {
  const { runInWorker } = siteWorker()
  const bytes = await loadSample(PHANTOM_PREVIEW, { signal })
  const painted = (async () => {
    const volume = await runInWorker('readNifti', [bytes], { signal })
    const drr: Image = await runInWorker('projectRadiograph', [volume, { output: 'attenuation' }], { signal, transfer: true })
    const c = canvas()
    if (c && !signal.aborted) paintLogImage(c, drr, percentileWindow(drr))
  })()
  painted.catch(() => {}) // awaited by the caller after the full download; no unhandled rejection meanwhile
  return { painted }
}

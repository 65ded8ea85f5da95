/**
 * Decoding compressed DICOM (JPEG, JPEG-LS, JPEG 2000, …) with itk-wasm's GDCM-based
 * `readImageDicomFileSeries` (browser) / `readImageDicomFileSeriesNode` (Node).
 */
import type { Image as ItkImage } from 'itk-wasm'
import { loadItkWasmDicom } from './itk-wasm-config'

export interface ItkWasmDecodeOptions {
  /**
   * Browser only: run the decoder in a new Web Worker (true) or in the calling thread (false).
   * Default: false inside a Web Worker (the caller is already off the main thread), true otherwise.
   */
  webWorker?: boolean
}

export interface ItkWasmDecoded {
  image: ItkImage
  /** Input names in the order of the image's slices. */
  sortedNames: string[]
}

let sharedPool: import('itk-wasm').WorkerPool | null = null

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node
}

function inWebWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope
  return typeof scope === 'function' && globalThis instanceof scope
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'))
  return i >= 0 ? p.slice(i + 1) : p
}

/**
 * Reads files of one series with itk-wasm (GDCM) as one already sorted series
 * (`singleSortedSeries`: the slices stay in the given order). Names must be unique plain file
 * names. The returned pixel values have GDCM's Modality LUT (RescaleSlope/Intercept) applied.
 */
export async function decodeWithItkWasm(files: { name: string; bytes: Uint8Array }[], options: ItkWasmDecodeOptions = {}): Promise<ItkWasmDecoded> {
  const mod = await loadItkWasmDicom()
  if (isNode()) {
    // The Node build reads files from disk (it mounts their folder into the WASI file system).
    // Module names in variables keep bundlers from resolving Node built-ins for the browser.
    const fsName = 'node:fs/promises'
    const osName = 'node:os'
    const pathName = 'node:path'
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises')
    const os = (await import(/* @vite-ignore */ osName)) as typeof import('node:os')
    const path = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path')
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mip-dicom-'))
    // Emscripten sets process.exitCode = 1 when the decoder fails, even when the caller catches
    // the error: keep the process's own exit status.
    const exitCode = process.exitCode
    try {
      const paths = files.map((f) => path.join(dir, f.name))
      await Promise.all(files.map((f, i) => fs.writeFile(paths[i], f.bytes)))
      const r = await mod.readImageDicomFileSeriesNode({ inputImages: paths, singleSortedSeries: true })
      return { image: r.outputImage, sortedNames: (r.sortedFilenames as string[]).map(baseName) }
    } finally {
      process.exitCode = exitCode
      await fs.rm(dir, { recursive: true, force: true })
    }
  }
  // Never let itk-wasm fall back to its CDN default: the site must serve the pipelines itself.
  const base = (mod as { getPipelinesBaseUrl?: () => string | URL | undefined }).getPipelinesBaseUrl?.()
  if (base === undefined || /^https?:\/\/cdn\./.test(String(base))) {
    throw Object.assign(new Error(
      'itk-wasm is not configured: call configureItkWasm({ pipelinesBaseUrl, pipelineWorkerUrl }) with URLs the site serves ' +
        '(copies of @itk-wasm/dicom/dist/pipelines and itk-wasm\'s pipeline worker) before reading compressed DICOM; this library never loads code from a CDN',
    ), { name: 'ItkWasmConfigError' })
  }
  // itk-wasm may transfer (detach) the input buffers to its worker: give it copies.
  const inputs = files.map((f) => ({ path: f.name, data: f.bytes.slice() }))
  const useWorker = options.webWorker ?? !inWebWorker()
  if (!useWorker) {
    const r = await mod.readImageDicomFileSeriesWorkerFunction(inputs, true, { webWorker: false })
    return { image: r.outputImage, sortedNames: r.sortedFilenames.map(baseName) }
  }
  // One pool per page, kept: its workers keep the loaded pipeline, so later reads skip loading it.
  const r = await mod.readImageDicomFileSeries({ inputImages: inputs, singleSortedSeries: true, webWorkerPool: sharedPool })
  sharedPool = r.webWorkerPool
  return { image: r.outputImage, sortedNames: (r.sortedFilenames as string[]).map(baseName) }
}

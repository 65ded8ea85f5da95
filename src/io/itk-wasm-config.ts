/**
 * Where the itk-wasm packages load their WebAssembly pipelines and worker from. The library never
 * fetches from a CDN: in a browser the application must call {@link configureItkWasm} with URLs it
 * serves itself (copies of node_modules/@itk-wasm/dicom/dist/pipelines,
 * node_modules/@itk-wasm/image-io/dist/pipelines and itk-wasm's pipeline worker). In Node the
 * packages read their pipelines from node_modules and these URLs are not used.
 */

export interface ItkWasmConfig {
  /**
   * Base URL of the pipelines folder. One URL for both packages (a folder holding the files of
   * both dist/pipelines folders), or one per package.
   */
  pipelinesBaseUrl?: string | URL | { dicom: string | URL; imageIo: string | URL }
  /** URL of itk-wasm's itk-wasm-pipeline.worker.js (default: the one the bundler ships, never a CDN). */
  pipelineWorkerUrl?: string | URL | null
  /**
   * Base URL of this project's own pipelines (the folder holding public/pipelines/, e.g.
   * n4-bias-field-correction.js + .wasm.zst; the site serves it at `/pipelines`). Needed in a
   * browser by `n4BiasFieldCorrection(image, { backend: 'itk-wasm' })`; unused in Node.
   */
  ownPipelinesBaseUrl?: string | URL
}

let config: ItkWasmConfig | null = null

interface UrlSetters {
  setPipelinesBaseUrl?: (url: string | URL) => void
  setPipelineWorkerUrl?: (url: string | URL | null) => void
}

function apply(mod: UrlSetters, which: 'dicom' | 'imageIo'): void {
  if (!config) return
  const base = config.pipelinesBaseUrl
  if (base !== undefined && typeof mod.setPipelinesBaseUrl === 'function') {
    const url = typeof base === 'string' || base instanceof URL ? base : base[which]
    mod.setPipelinesBaseUrl(url)
  }
  if (config.pipelineWorkerUrl !== undefined && typeof mod.setPipelineWorkerUrl === 'function') {
    mod.setPipelineWorkerUrl(config.pipelineWorkerUrl)
  }
}

/**
 * Sets the pipelines base URL and pipeline worker URL of `@itk-wasm/dicom` and `@itk-wasm/image-io`
 * (their `setPipelinesBaseUrl` / `setPipelineWorkerUrl`). Call it once at start-up, in the thread
 * (page or worker) that reads the images. The setting is remembered and re-applied whenever this
 * library loads either package. In Node the setters do not exist and the call only records it.
 */
export async function configureItkWasm(options: ItkWasmConfig): Promise<void> {
  config = { ...options }
  const [dicom, imageIo] = await Promise.all([import('@itk-wasm/dicom'), import('@itk-wasm/image-io')])
  apply(dicom as unknown as UrlSetters, 'dicom')
  apply(imageIo as unknown as UrlSetters, 'imageIo')
}

/** The configuration passed to {@link configureItkWasm}, or null. */
export function getItkWasmConfig(): ItkWasmConfig | null {
  return config ? { ...config } : null
}

/** Loads `@itk-wasm/dicom` (browser or Node build, chosen by the bundler/Node export conditions) with the configured URLs applied. */
export async function loadItkWasmDicom(): Promise<typeof import('@itk-wasm/dicom')> {
  const mod = await import('@itk-wasm/dicom')
  apply(mod as unknown as UrlSetters, 'dicom')
  return mod
}

/**
 * The demos' access to the library worker: configured once with the site's own URLs for
 * itk-wasm (copied to /itk/ at build time), so nothing is fetched from a CDN.
 */
import { withBase } from 'vitepress'
import { loadSample } from '../kit/sample-cache'
import { configureWorker, runInWorker, terminateWorker } from '../../src/worker/client'

let configured = false

function absolute(path: string): string {
  return new URL(withBase(path), window.location.href).href
}

export function siteWorker() {
  if (!configured) {
    configureWorker({
      pipelinesBaseUrl: absolute('/itk/pipelines'),
      pipelineWorkerUrl: absolute('/itk/itk-wasm-pipeline.min.worker.js'),
      ownPipelinesBaseUrl: absolute('/pipelines'),
    })
    configured = true
  }
  return { runInWorker, terminateWorker }
}

/** Fetches a site file once per visit (see kit/sample-cache.ts), reporting bytes received. */
export function fetchBytes(
  path: string,
  onProgress?: (received: number, total: number | undefined) => void,
  signal?: AbortSignal,
): Promise<ArrayBuffer> {
  return loadSample(path, { onProgress, signal })
}

/** Fetches many site files (each once per visit), reporting the fraction of files done. */
export async function fetchAll(
  paths: string[],
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<ArrayBuffer[]> {
  let done = 0
  return Promise.all(paths.map(async (p) => {
    const bytes = await loadSample(p, { signal })
    onProgress?.(++done / paths.length)
    return bytes
  }))
}

/**
 * The demos' access to the library worker: configured once with the site's own URLs for
 * itk-wasm (copied to /itk/ at build time), so nothing is fetched from a CDN.
 */
import { withBase } from 'vitepress'
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

/** Fetches a site file as an ArrayBuffer, reporting bytes received when the size is known. */
export async function fetchBytes(
  path: string,
  onProgress?: (received: number, total: number | undefined) => void,
  signal?: AbortSignal,
): Promise<ArrayBuffer> {
  const response = await fetch(withBase(path), { signal })
  if (!response.ok) throw new Error(`Could not load ${path}: HTTP ${response.status} ${response.statusText}`)
  const total = Number(response.headers.get('content-length')) || undefined
  if (!response.body || !onProgress) return response.arrayBuffer()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.length
    onProgress(received, total)
  }
  const out = new Uint8Array(received)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out.buffer
}

/** Fetches many site files, reporting the fraction of files done. */
export async function fetchAll(
  paths: string[],
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<ArrayBuffer[]> {
  let done = 0
  const results = new Array<ArrayBuffer>(paths.length)
  const queue = paths.map((p, i) => [p, i] as const)
  // A few requests at a time: fast on a local site, gentle on a slow one.
  const workers = Array.from({ length: 6 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      results[next[1]] = await fetchBytes(next[0], undefined, signal)
      done++
      onProgress?.(done / paths.length)
    }
  })
  await Promise.all(workers)
  return results
}

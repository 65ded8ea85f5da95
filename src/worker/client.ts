/**
 * `runInWorker(op, args, { onProgress, signal })`: what the demos call to run a library
 * operation in the library's Web Worker. Results come back with their pixel buffers
 * transferred (no copy). Inputs are copied unless `transfer: true` (then the caller's buffers
 * are moved to the worker and become unusable on the page).
 *
 * Cancel: aborting `signal` rejects the promise with an AbortError at once and terminates the
 * worker (a long synchronous filter cannot be interrupted otherwise); the next call starts a
 * fresh worker. Other calls running in the same worker are rejected too, with a message saying so.
 */
import type { OperationName, Operations } from './operations'
import { collectTransferables, type WorkerResponse } from './protocol'

export interface RunInWorkerOptions {
  onProgress?: (fraction: number, message?: string) => void
  signal?: AbortSignal
  /** Move the inputs' buffers to the worker instead of copying them. Default false. */
  transfer?: boolean
}

export interface WorkerSetup {
  /** Creates the worker; default: the module worker bundled from ./worker.ts. */
  create?: () => Worker
  /** Where itk-wasm pipelines are served (the site copies them to /itk/pipelines). */
  pipelinesBaseUrl?: string
  /** itk-wasm's own pipeline worker script on the site. */
  pipelineWorkerUrl?: string
  /** Where this project's own pipelines are served (public/pipelines: ITK's N4 in WebAssembly). */
  ownPipelinesBaseUrl?: string
}

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
  onProgress?: (fraction: number, message?: string) => void
}

let setup: WorkerSetup = {}
let worker: Worker | null = null
let nextId = 1
const pending = new Map<number, Pending>()

/** Sets how the worker is created and where it finds itk-wasm's files. Call once at start-up. */
export function configureWorker(options: WorkerSetup): void {
  setup = { ...setup, ...options }
  if (worker) terminateWorker('Worker reconfigured')
}

function abortError(message: string): Error {
  const e = new Error(message)
  e.name = 'AbortError'
  return e
}

/** Terminates the worker; every running call is rejected with an AbortError. */
export function terminateWorker(reason = 'Cancelled'): void {
  worker?.terminate()
  worker = null
  for (const [, p] of pending) p.reject(abortError(reason))
  pending.clear()
}

function getWorker(): Worker {
  if (worker) return worker
  const w = setup.create ? setup.create() : new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
  w.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const msg = event.data
    const p = pending.get(msg.id)
    if (!p) return
    if (msg.type === 'progress') {
      p.onProgress?.(msg.fraction, msg.message)
    } else if (msg.type === 'result') {
      pending.delete(msg.id)
      p.resolve(msg.value)
    } else {
      pending.delete(msg.id)
      const err = new Error(msg.error.message) as Error & { code?: string }
      err.name = msg.error.name
      if (msg.error.code) err.code = msg.error.code
      p.reject(err)
    }
  }
  w.onerror = (event: ErrorEvent) => {
    const message = `The processing worker crashed: ${event.message || 'unknown error'}`
    worker = null
    for (const [, p] of pending) p.reject(new Error(message))
    pending.clear()
  }
  worker = w
  if (setup.pipelinesBaseUrl && setup.pipelineWorkerUrl) {
    const id = nextId++
    const { pipelinesBaseUrl, pipelineWorkerUrl, ownPipelinesBaseUrl } = setup
    // Fire and forget: messages are handled in order, so it runs before any operation.
    w.postMessage({ id, op: '__configure', args: [{ pipelinesBaseUrl, pipelineWorkerUrl, ownPipelinesBaseUrl }] })
  }
  return w
}

/** Runs library operation `op` with `args` in the worker. */
export function runInWorker<K extends OperationName>(
  op: K,
  args: Parameters<Operations[K]>,
  options: RunInWorkerOptions = {},
): Promise<Awaited<ReturnType<Operations[K]>>> {
  const { signal, onProgress, transfer = false } = options
  if (signal?.aborted) return Promise.reject(abortError('Cancelled'))
  const w = getWorker()
  const id = nextId++
  return new Promise((resolve, reject) => {
    const onAbort = () => terminateWorker('Cancelled')
    signal?.addEventListener('abort', onAbort, { once: true })
    pending.set(id, {
      resolve: (v) => {
        signal?.removeEventListener('abort', onAbort)
        resolve(v as Awaited<ReturnType<Operations[K]>>)
      },
      reject: (e) => {
        signal?.removeEventListener('abort', onAbort)
        reject(e)
      },
      onProgress,
    })
    w.postMessage({ id, op, args }, transfer ? collectTransferables(args) : [])
  })
}

/**
 * `runInWorker(op, args, { onProgress, signal })`: what the demos call to run a library
 * operation in a Web Worker. Results come back with their pixel buffers transferred (no copy).
 * Inputs are copied unless `transfer: true` (then the caller's buffers are moved to the worker
 * and become unusable on the page).
 *
 * The workers are a small pool (default min(4, max(2, navigator.hardwareConcurrency))), created
 * on demand: a job goes to an idle worker, or to a new one while the pool is not full, or waits
 * in a first-in first-out queue. One job runs in a worker at a time, so a long N4 run in one
 * figure does not make another figure wait (while a worker is free).
 *
 * Cancel: aborting a job's `signal` rejects that job with an AbortError at once. A queued job is
 * just removed; a running one has its worker terminated (a long synchronous filter cannot be
 * interrupted otherwise), and a fresh worker is created when a job needs one. Other jobs are
 * not affected. A worker that crashes fails only the job it was running.
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
  /** Creates a worker; default: the module worker bundled from ./worker.ts. */
  create?: () => Worker
  /** Where itk-wasm pipelines are served (the site copies them to /itk/pipelines). */
  pipelinesBaseUrl?: string
  /** itk-wasm's own pipeline worker script on the site. */
  pipelineWorkerUrl?: string
  /** Where this project's own pipelines are served (public/pipelines: ITK's N4 in WebAssembly). */
  ownPipelinesBaseUrl?: string
  /** Most workers alive at once. Default min(4, max(2, navigator.hardwareConcurrency)). */
  poolSize?: number
}

interface Job {
  id: number
  op: string
  args: unknown[]
  transfer: Transferable[]
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
  onProgress?: (fraction: number, message?: string) => void
  /** The worker running the job; null while queued. */
  slot: Slot | null
}

interface Slot {
  worker: Worker
  job: Job | null
}

let setup: WorkerSetup = {}
let nextId = 1
const slots: Slot[] = []
const queue: Job[] = []

function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2
  return Math.min(4, Math.max(2, cores))
}

function poolSize(): number {
  const n = setup.poolSize ?? defaultPoolSize()
  return Math.max(1, Math.floor(n))
}

/**
 * Sets how workers are created and where they find itk-wasm's files. Call once at start-up;
 * calling it again terminates the workers alive (their jobs are rejected).
 */
export function configureWorker(options: WorkerSetup): void {
  setup = { ...setup, ...options }
  if (slots.length > 0) terminateWorker('Worker reconfigured')
}

function abortError(message: string): Error {
  const e = new Error(message)
  e.name = 'AbortError'
  return e
}

/** Terminates every worker; every running and queued job is rejected with an AbortError. */
export function terminateWorker(reason = 'Cancelled'): void {
  const jobs = [...slots.map((s) => s.job).filter((j): j is Job => j !== null), ...queue]
  for (const s of slots) s.worker.terminate()
  slots.length = 0
  queue.length = 0
  for (const j of jobs) j.reject(abortError(reason))
}

/** How many workers are alive and how many jobs wait (for tests and diagnostics). */
export function workerPoolStatus(): { workers: number; busy: number; queued: number } {
  return { workers: slots.length, busy: slots.filter((s) => s.job).length, queued: queue.length }
}

function removeSlot(slot: Slot): void {
  const i = slots.indexOf(slot)
  if (i >= 0) slots.splice(i, 1)
  slot.worker.terminate()
}

function createSlot(): Slot {
  const w = setup.create ? setup.create() : new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
  const slot: Slot = { worker: w, job: null }
  w.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const msg = event.data
    const job = slot.job
    if (!job || job.id !== msg.id) return // e.g. the __configure reply
    if (msg.type === 'progress') {
      job.onProgress?.(msg.fraction, msg.message)
      return
    }
    slot.job = null
    if (msg.type === 'result') {
      job.resolve(msg.value)
    } else {
      const err = new Error(msg.error.message) as Error & { code?: string }
      err.name = msg.error.name
      if (msg.error.code) err.code = msg.error.code
      job.reject(err)
    }
    dispatch()
  }
  w.onerror = (event: ErrorEvent) => {
    event.preventDefault?.()
    const job = slot.job
    slot.job = null
    removeSlot(slot)
    job?.reject(new Error(`The processing worker crashed: ${event.message || 'unknown error'}`))
    dispatch()
  }
  slots.push(slot)
  if (setup.pipelinesBaseUrl && setup.pipelineWorkerUrl) {
    const { pipelinesBaseUrl, pipelineWorkerUrl, ownPipelinesBaseUrl } = setup
    // Fire and forget: messages are handled in order, so it runs before any operation.
    w.postMessage({ id: nextId++, op: '__configure', args: [{ pipelinesBaseUrl, pipelineWorkerUrl, ownPipelinesBaseUrl }] })
  }
  return slot
}

/** Starts queued jobs on idle workers, creating workers up to the pool size. */
function dispatch(): void {
  while (queue.length > 0) {
    let slot = slots.find((s) => s.job === null)
    if (!slot) {
      if (slots.length >= poolSize()) return
      slot = createSlot()
    }
    const job = queue.shift()!
    job.slot = slot
    slot.job = job
    slot.worker.postMessage({ id: job.id, op: job.op, args: job.args }, job.transfer)
  }
}

/** Runs library operation `op` with `args` in a worker of the pool. */
export function runInWorker<K extends OperationName>(
  op: K,
  args: Parameters<Operations[K]>,
  options: RunInWorkerOptions = {},
): Promise<Awaited<ReturnType<Operations[K]>>> {
  const { signal, onProgress, transfer = false } = options
  if (signal?.aborted) return Promise.reject(abortError('Cancelled'))
  return new Promise((resolve, reject) => {
    const job: Job = {
      id: nextId++,
      op,
      args,
      transfer: transfer ? collectTransferables(args) : [],
      resolve: (v) => {
        signal?.removeEventListener('abort', onAbort)
        resolve(v as Awaited<ReturnType<Operations[K]>>)
      },
      reject: (e) => {
        signal?.removeEventListener('abort', onAbort)
        reject(e)
      },
      onProgress,
      slot: null,
    }
    function onAbort(): void {
      const queued = queue.indexOf(job)
      if (queued >= 0) {
        queue.splice(queued, 1)
      } else if (job.slot && job.slot.job === job) {
        job.slot.job = null
        removeSlot(job.slot)
      } else {
        return // already settled
      }
      job.reject(abortError('Cancelled'))
      dispatch()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const idle = slots.some((s) => s.job === null) || slots.length < poolSize()
    if (!idle && !transfer) {
      // Waiting: copy the inputs now, as postMessage would have, so that the caller may change
      // them meanwhile; the copy is then moved to the worker.
      job.args = structuredClone(args) as unknown[]
      job.transfer = collectTransferables(job.args)
    }
    queue.push(job)
    dispatch()
  })
}

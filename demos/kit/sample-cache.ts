/**
 * Sample loader: every site file is fetched at most once per visit and shared by all figures that
 * ask for it, on this page and on the next ones (VitePress navigates without reloading, so this
 * module's cache survives page changes). Finished files are kept up to `CACHE_LIMIT_BYTES`, least
 * recently used first out. Each caller may cancel its own wait; the download itself stops only
 * when every caller waiting for it has cancelled. Progress is reported in bytes.
 *
 * Callers get their own copy of the bytes, so they may transfer it to the worker.
 *
 * A `background` download (e.g. the full volume behind a figure that already shows its first
 * slice) yields the line to every other download: it stops reading while one is under way, so
 * the figure the reader scrolls to next gets the bandwidth for its first picture. A paused
 * response keeps its connection; the browser stops receiving once its buffers are full (flow
 * control), so nothing is fetched twice. A caller that needs the file now promotes it.
 */
import { withBase } from 'vitepress'

/** Bytes of finished downloads kept for later figures and pages, by default. */
export const CACHE_LIMIT_BYTES = 384 * 1024 * 1024
let limitBytes = CACHE_LIMIT_BYTES

/** Changes how many bytes of finished downloads are kept (e.g. lower on a small device). */
export function setSampleCacheLimit(bytes: number): void {
  limitBytes = bytes
  evict()
}

export type BytesProgress = (received: number, total: number | undefined) => void

export interface LoadSampleOptions {
  /** Cancels this caller's wait (and the download, when no other caller waits for it). */
  signal?: AbortSignal
  /** Bytes received so far and the total when the server sent a Content-Length. */
  onProgress?: BytesProgress
  /**
   * Yield to other downloads (default false): reading pauses while any foreground download is
   * under way. A later call without `background` for the same file promotes it to the foreground.
   */
  background?: boolean
}

interface Entry {
  promise: Promise<ArrayBuffer>
  controller: AbortController
  waiting: number
  received: number
  total: number | undefined
  listeners: Set<BytesProgress>
  bytes?: ArrayBuffer
  /** Yields to foreground downloads while true. */
  background: boolean
  /** Resumes a paused background download (set while it is paused). */
  wake?: () => void
  /** Counted in `foreground` (a foreground download not yet finished). */
  counted: boolean
}

const entries = new Map<string, Entry>()
/** Every URL this page asked the loader for, in order (read by tests and the site benchmark). */
export const requestLog: string[] = []

function abortError(): DOMException {
  return new DOMException('The download was cancelled.', 'AbortError')
}

/** Foreground downloads under way, and the paused background downloads waiting for none. */
let foreground = 0
const waitingForIdle = new Set<() => void>()

function countForeground(entry: Entry, on: boolean): void {
  if (entry.counted === on) return
  entry.counted = on
  foreground += on ? 1 : -1
  if (foreground === 0) {
    for (const wake of waitingForIdle) wake()
    waitingForIdle.clear()
  }
}

/** Resolves when no foreground download is under way, or the entry is promoted or cancelled. */
function yieldLine(entry: Entry): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      waitingForIdle.delete(wake)
      entry.controller.signal.removeEventListener('abort', wake)
      resolve()
    }
    waitingForIdle.add(wake)
    entry.wake = wake
    entry.controller.signal.addEventListener('abort', wake)
  })
}

function evict(): void {
  let size = 0
  for (const e of entries.values()) size += e.bytes?.byteLength ?? 0
  // Map iteration order is insertion order; a hit re-inserts, so the first entries are the oldest.
  for (const [key, e] of entries) {
    if (size <= limitBytes) break
    if (!e.bytes) continue
    size -= e.bytes.byteLength
    entries.delete(key)
  }
}

async function download(url: string, entry: Entry): Promise<ArrayBuffer> {
  requestLog.push(url)
  const response = await fetch(url, { signal: entry.controller.signal })
  if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status} ${response.statusText}`)
  entry.total = Number(response.headers.get('content-length')) || undefined
  if (!response.body) return response.arrayBuffer()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  for (;;) {
    while (entry.background && foreground > 0 && !entry.controller.signal.aborted) await yieldLine(entry)
    entry.wake = undefined
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    entry.received += value.length
    for (const l of entry.listeners) l(entry.received, entry.total)
  }
  const out = new Uint8Array(entry.received)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out.buffer
}

/** Fetches a file of the site (path from the site root, e.g. `/data/ch2.nii.gz`). */
export function loadSample(path: string, options: LoadSampleOptions = {}): Promise<ArrayBuffer> {
  const { signal, onProgress, background = false } = options
  if (signal?.aborted) return Promise.reject(abortError())
  const url = withBase(path)
  let entry = entries.get(url)
  if (entry) {
    entries.delete(url) // re-insert: most recently used
    entries.set(url, entry)
    if (!background && entry.background && !entry.bytes) {
      // Needed now: stop yielding, and count as foreground (other background downloads yield to it).
      entry.background = false
      countForeground(entry, true)
      entry.wake?.()
    }
  } else {
    const created: Entry = { controller: new AbortController(), waiting: 0, received: 0, total: undefined, listeners: new Set(), promise: null!, background, counted: false }
    countForeground(created, !background)
    created.promise = download(url, created).then(
      (bytes) => {
        created.bytes = bytes
        countForeground(created, false)
        evict()
        return bytes
      },
      (err) => {
        countForeground(created, false)
        entries.delete(url)
        throw err
      },
    )
    entries.set(url, created)
    entry = created
  }
  const e = entry
  if (e.bytes) {
    onProgress?.(e.bytes.byteLength, e.bytes.byteLength)
    return Promise.resolve(e.bytes.slice(0))
  }
  e.waiting++
  if (onProgress) {
    e.listeners.add(onProgress)
    if (e.received) onProgress(e.received, e.total)
  }
  return new Promise<ArrayBuffer>((resolve, reject) => {
    let settled = false
    const leave = () => {
      if (settled) return false
      settled = true
      e.waiting--
      if (onProgress) e.listeners.delete(onProgress)
      signal?.removeEventListener('abort', onAbort)
      return true
    }
    const onAbort = () => {
      if (!leave()) return
      if (e.waiting === 0 && !e.bytes) {
        e.controller.abort()
        entries.delete(url)
      }
      reject(abortError())
    }
    signal?.addEventListener('abort', onAbort)
    e.promise.then(
      (bytes) => leave() && resolve(bytes.slice(0)),
      (err) => leave() && reject(err),
    )
  })
}

export interface SeriesManifest {
  files: string[]
  [key: string]: unknown
}

/**
 * Fetches every file a manifest (`{ files: [...] }`, names relative to the manifest) lists, a few
 * at a time, reporting the bytes of all files together (the total once every size is known).
 */
export async function loadSampleSeries(manifestPath: string, options: LoadSampleOptions = {}): Promise<ArrayBuffer[]> {
  const manifest = JSON.parse(new TextDecoder().decode(await loadSample(manifestPath, { signal: options.signal }))) as SeriesManifest
  const dir = manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1)
  const paths = manifest.files.map((f) => dir + f)
  const received = new Array<number>(paths.length).fill(0)
  const totals = new Array<number | undefined>(paths.length).fill(undefined)
  const report = () => {
    if (!options.onProgress) return
    const sum = received.reduce((a, b) => a + b, 0)
    const known = totals.every((t) => t !== undefined)
    options.onProgress(sum, known ? totals.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined)
  }
  const results = new Array<ArrayBuffer>(paths.length)
  let next = 0
  // Six requests at a time, as browsers allow per host on HTTP/1.1.
  const lanes = Array.from({ length: Math.min(6, paths.length) }, async () => {
    while (next < paths.length) {
      const i = next++
      results[i] = await loadSample(paths[i]!, {
        signal: options.signal,
        onProgress: (r, t) => {
          received[i] = r
          totals[i] = t
          report()
        },
      })
    }
  })
  await Promise.all(lanes)
  return results
}

/** Human-readable size: "4.2 MB", "512 kB". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`
  return `${n} B`
}

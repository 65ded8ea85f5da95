/** Messages between the page and the library's Web Worker (src/worker/worker.ts). */

export interface WorkerRequest {
  id: number
  op: string
  args: unknown[]
}

export interface WorkerConfigure {
  id: number
  op: '__configure'
  args: [{ pipelinesBaseUrl: string; pipelineWorkerUrl: string; ownPipelinesBaseUrl?: string }]
}

export type WorkerResponse =
  | { id: number; type: 'progress'; fraction: number; message?: string }
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; error: { name: string; message: string; code?: string } }

/**
 * Buffers of typed arrays found in a value (images, results holding images, arrays of them),
 * for zero-copy transfer with postMessage. Only looks a few levels deep; never lists one buffer twice.
 */
export function collectTransferables(value: unknown, depth = 0, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  if (value == null || depth > 4) return [...out]
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer
    // Transfer only when the view owns its whole buffer: transferring a shared buffer would
    // detach other views (e.g. a slice of a larger volume).
    if (buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buffer.byteLength) out.add(buffer)
  } else if (value instanceof ArrayBuffer) {
    out.add(value)
  } else if (Array.isArray(value)) {
    for (const v of value) collectTransferables(v, depth + 1, out)
  } else if (typeof value === 'object' && !(value instanceof Map) && !(typeof Blob !== 'undefined' && value instanceof Blob)) {
    for (const v of Object.values(value as Record<string, unknown>)) collectTransferables(v, depth + 1, out)
  }
  return [...out]
}

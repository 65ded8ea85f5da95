/**
 * A library Web Worker (the client runs a pool of them, one job each): runs any operation of `operations` by name, off the page's
 * main thread, so the UI never freezes. Progress is posted at most every 50 ms (a new phase at once, see progress-throttle.ts); cancel is by
 * AbortSignal inside the operation (cooperative) and, from the client, by terminating the worker.
 */
import { operations, progressOptionIndex, type OperationName } from './operations'
import { progressThrottle } from './progress-throttle'
import { collectTransferables, type WorkerRequest, type WorkerResponse } from './protocol'
import { configureItkWasm, type ItkWasmConfig } from '../io/itk-wasm-config'

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void
  onmessage: ((event: MessageEvent) => void) | null
}
const scope = self as unknown as WorkerScope

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer)
}

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const { id, op, args } = event.data
  try {
    if (op === '__configure') {
      await configureItkWasm(args[0] as ItkWasmConfig)
      post({ id, type: 'result', value: true })
      return
    }
    if (!(op in operations)) throw new Error(`Unknown operation "${op}"`)
    const name = op as OperationName
    const callArgs = [...args]
    const at = progressOptionIndex[name]
    if (at !== undefined) {
      const shouldPost = progressThrottle(50)
      const onProgress = (fraction: number, message?: string) => {
        if (shouldPost(fraction, message)) post({ id, type: 'progress', fraction, message })
      }
      while (callArgs.length < at) callArgs.push(undefined)
      callArgs[at] = { ...((callArgs[at] as object | undefined) ?? {}), onProgress }
    }
    const fn = operations[name] as (...a: unknown[]) => unknown
    const value = await fn(...callArgs)
    post({ id, type: 'result', value }, collectTransferables(value))
  } catch (e) {
    const err = e as Error & { code?: string }
    post({ id, type: 'error', error: { name: err?.name ?? 'Error', message: err?.message ?? String(e), code: err?.code } })
  }
}

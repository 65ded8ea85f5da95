/**
 * Worker thread of `mip run`: takes one case at a time from the main thread, runs it with
 * {@link processCase} and posts progress and the result back.
 */
import { parentPort } from 'node:worker_threads'
import { processCase, type CaseTask } from './process-case'

export type ToWorker = { type: 'case'; task: CaseTask } | { type: 'exit' }
export type FromWorker =
  | { type: 'progress'; case: string; fraction: number; message?: string }
  | { type: 'result'; result: Awaited<ReturnType<typeof processCase>> }

if (!parentPort) throw new Error('case-worker.ts runs as a worker thread of mip')
const port = parentPort
port.on('message', async (msg: ToWorker) => {
  if (msg.type === 'exit') {
    port.close()
    return
  }
  const name = msg.task.entry.name
  let last = 0
  const result = await processCase(msg.task, (fraction, message) => {
    const now = Date.now()
    // A few progress messages per second are enough for a bar.
    if (fraction < 1 && now - last < 200) return
    last = now
    port.postMessage({ type: 'progress', case: name, fraction, message } satisfies FromWorker)
  })
  port.postMessage({ type: 'result', result } satisfies FromWorker)
})

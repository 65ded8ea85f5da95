/**
 * The client's worker pool, driven with scripted fake workers: each fake records the jobs it is
 * given and answers only when the test says so, so the tests decide which job finishes first.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { configureWorker, runInWorker, terminateWorker, workerPoolStatus } from '../../../src/worker/client'

interface Posted { id: number; op: string; args: unknown[] }

class ScriptedWorker {
  static all: ScriptedWorker[] = []
  onmessage: ((e: { data: unknown }) => void) | null = null
  onerror: ((e: { message: string; preventDefault?: () => void }) => void) | null = null
  posted: Posted[] = []
  terminated = false
  constructor() {
    ScriptedWorker.all.push(this)
  }
  postMessage(message: Posted, transfer: Transferable[] = []) {
    this.posted.push(structuredClone(message, { transfer }))
  }
  terminate() {
    this.terminated = true
  }
  /** The job the worker is running (the last one posted to it). */
  get current(): Posted {
    return this.posted.at(-1)!
  }
  reply(value: unknown) {
    this.onmessage?.({ data: { id: this.current.id, type: 'result', value } })
  }
  progress(fraction: number) {
    this.onmessage?.({ data: { id: this.current.id, type: 'progress', fraction } })
  }
  crash(message: string) {
    this.onerror?.({ message })
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0))
const alive = () => ScriptedWorker.all.filter((w) => !w.terminated)
const image = () => makeImage([4, 4], { componentType: 'float32' })

beforeEach(() => {
  terminateWorker('test reset')
  ScriptedWorker.all = []
  configureWorker({ create: () => new ScriptedWorker() as unknown as Worker, poolSize: 2 })
})

describe('worker pool', () => {
  it('runs two jobs in parallel on two workers, created only when needed', async () => {
    expect(ScriptedWorker.all).toHaveLength(0)
    const a = runInWorker('histogram', [image(), { bins: 4 }])
    const b = runInWorker('coefficientOfVariation', [image(), {}])
    expect(ScriptedWorker.all).toHaveLength(2)
    const [wa, wb] = ScriptedWorker.all
    expect(wa.current.op).toBe('histogram')
    expect(wb.current.op).toBe('coefficientOfVariation')
    // The second finishes first: no head-of-line blocking.
    wb.reply(0.5)
    await expect(b).resolves.toBe(0.5)
    wa.reply('hist')
    await expect(a).resolves.toBe('hist')
    // Idle workers are reused, not multiplied.
    const c = runInWorker('histogram', [image(), {}])
    expect(ScriptedWorker.all).toHaveLength(2)
    ScriptedWorker.all.find((w) => w.current.op === 'histogram' && w.posted.length === 2)!.reply(1)
    await expect(c).resolves.toBe(1)
  })

  it('cancelling one running job rejects only it and replaces only its worker', async () => {
    const ca = new AbortController()
    const progress: number[] = []
    const a = runInWorker('n4BiasFieldCorrection', [image(), {}], { signal: ca.signal })
    const b = runInWorker('histogram', [image(), {}], { onProgress: (f) => progress.push(f) })
    const [wa, wb] = ScriptedWorker.all
    ca.abort()
    await expect(a).rejects.toMatchObject({ name: 'AbortError' })
    expect(wa.terminated).toBe(true)
    expect(wb.terminated).toBe(false)
    wb.progress(0.5)
    wb.reply('b done')
    await expect(b).resolves.toBe('b done')
    expect(progress).toEqual([0.5])
    // A new job gets a fresh worker in place of the terminated one when the other is busy.
    const d = runInWorker('histogram', [image(), {}])
    const e = runInWorker('histogram', [image(), {}])
    expect(alive()).toHaveLength(2)
    expect(workerPoolStatus()).toEqual({ workers: 2, busy: 2, queued: 0 })
    for (const w of alive()) w.reply('ok')
    await expect(Promise.all([d, e])).resolves.toEqual(['ok', 'ok'])
  })

  it('queues a job when every worker is busy; cancelling it just removes it', async () => {
    const a = runInWorker('histogram', [image(), {}])
    const b = runInWorker('histogram', [image(), {}])
    const cq = new AbortController()
    const queued = runInWorker('n4BiasFieldCorrection', [image(), {}], { signal: cq.signal })
    const last = runInWorker('coefficientOfVariation', [image(), {}])
    expect(ScriptedWorker.all).toHaveLength(2)
    expect(workerPoolStatus()).toEqual({ workers: 2, busy: 2, queued: 2 })
    cq.abort()
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' })
    expect(ScriptedWorker.all.some((w) => w.terminated)).toBe(false)
    expect(workerPoolStatus().queued).toBe(1)
    // When a worker frees up, the next queued job (not the cancelled one) runs on it.
    const [wa, wb] = ScriptedWorker.all
    wa.reply('a')
    await expect(a).resolves.toBe('a')
    expect(wa.current.op).toBe('coefficientOfVariation')
    expect(ScriptedWorker.all.flatMap((w) => w.posted).some((p) => p.op === 'n4BiasFieldCorrection')).toBe(false)
    wa.reply(2)
    wb.reply('b')
    await expect(Promise.all([b, last])).resolves.toEqual(['b', 2])
  })

  it('a queued job gets a copy of its inputs taken when it was queued', async () => {
    const a = runInWorker('histogram', [image(), {}])
    const b = runInWorker('histogram', [image(), {}])
    const input = image()
    const c = runInWorker('histogram', [input, {}])
    ;(input.data as Float32Array)[0] = 42 // changed by the page while the job waits
    const [wa, wb] = ScriptedWorker.all
    wa.reply(1)
    await a
    const sent = wa.current.args[0] as { data: Float32Array }
    expect(sent.data[0]).toBe(0)
    wa.reply(3)
    wb.reply(2)
    await expect(Promise.all([b, c])).resolves.toEqual([2, 3])
  })

  it('a crashing worker fails only its own job; queued jobs still run', async () => {
    const a = runInWorker('histogram', [image(), {}])
    const b = runInWorker('histogram', [image(), {}])
    const c = runInWorker('coefficientOfVariation', [image(), {}])
    const [wa, wb] = ScriptedWorker.all
    wa.crash('out of memory')
    await expect(a).rejects.toThrow(/worker crashed: out of memory/)
    expect(wa.terminated).toBe(true)
    // The queued job went to a fresh worker; the other running job is untouched.
    await tick()
    const fresh = ScriptedWorker.all[2]
    expect(fresh.current.op).toBe('coefficientOfVariation')
    fresh.reply(7)
    wb.reply('b')
    await expect(Promise.all([b, c])).resolves.toEqual(['b', 7])
  })

  it('configures each new worker with the itk-wasm URLs before its first job', async () => {
    configureWorker({ pipelinesBaseUrl: 'http://x/itk/pipelines', pipelineWorkerUrl: 'http://x/itk/w.js' })
    const a = runInWorker('histogram', [image(), {}])
    const b = runInWorker('histogram', [image(), {}])
    for (const w of ScriptedWorker.all) {
      expect(w.posted[0].op).toBe('__configure')
      expect(w.posted[0].args[0]).toMatchObject({ pipelinesBaseUrl: 'http://x/itk/pipelines' })
      expect(w.posted[1].op).toBe('histogram')
      // The reply to __configure is ignored; the job's own reply settles it.
      w.onmessage?.({ data: { id: w.posted[0].id, type: 'result', value: true } })
      w.reply('done')
    }
    await expect(Promise.all([a, b])).resolves.toEqual(['done', 'done'])
    configureWorker({ pipelinesBaseUrl: undefined, pipelineWorkerUrl: undefined })
  })

  it('terminateWorker rejects every running and queued job', async () => {
    const jobs = [0, 1, 2].map(() => runInWorker('histogram', [image(), {}]))
    terminateWorker('Page left')
    for (const j of jobs) await expect(j).rejects.toMatchObject({ name: 'AbortError', message: 'Page left' })
    expect(alive()).toHaveLength(0)
  })
})

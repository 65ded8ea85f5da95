/**
 * The worker protocol, run in-process: src/worker/worker.ts is loaded with a stand-in `self`,
 * and the client talks to it through a fake Worker that delivers messages asynchronously
 * (structured clone, transfer lists honoured), as a browser would.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { makeImage, type Image } from '../../../src/image'
import { collectTransferables } from '../../../src/worker/protocol'
import { configureWorker, runInWorker } from '../../../src/worker/client'

type Handler = (event: { data: unknown }) => void
const scope: { postMessage: (m: unknown, t?: Transferable[]) => void; onmessage: Handler | null } = {
  postMessage: () => {},
  onmessage: null,
}
const transferredToWorker: ArrayBuffer[][] = []
let terminated = 0

class FakeWorker {
  onmessage: Handler | null = null
  onerror: ((e: ErrorEvent) => void) | null = null
  private alive = true
  constructor() {
    scope.postMessage = (message, transfer = []) => {
      const copy = structuredClone(message, { transfer })
      setTimeout(() => this.alive && this.onmessage?.({ data: copy }), 0)
    }
  }
  postMessage(message: unknown, transfer: Transferable[] = []) {
    transferredToWorker.push(transfer as ArrayBuffer[])
    const copy = structuredClone(message, { transfer })
    setTimeout(() => this.alive && scope.onmessage?.({ data: copy }), 0)
  }
  terminate() {
    this.alive = false
    terminated++
  }
}

beforeAll(async () => {
  ;(globalThis as unknown as { self: unknown }).self = scope
  await import('../../../src/worker/worker')
  configureWorker({ create: () => new FakeWorker() as unknown as Worker })
})

function ramp(n: number): Image {
  const data = new Int16Array(n * n)
  for (let i = 0; i < data.length; i++) data[i] = (i % n) * 10 - 1000
  return makeImage([n, n], { data, spacing: [0.5, 0.5] })
}

describe('runInWorker', () => {
  it('runs a library operation by name and returns its result with geometry', async () => {
    const image = ramp(16)
    const out = await runInWorker('applyWindow', [image, { center: -960, width: 81 }, {}])
    expect(out.imageType.componentType).toBe('uint8')
    expect(out.spacing).toEqual([0.5, 0.5])
    // -1000 lies just above c - 0.5 - (w-1)/2 = -1000.5, so it is on the ramp (PS3.3 LINEAR).
    const data = out.data as Uint8Array
    expect(data[0]).toBe(Math.floor(((-1000 - (-960 - 0.5)) / 80 + 0.5) * 255 + 0.5))
    expect(data[15]).toBe(255)
    // The input was copied, not moved: the caller still has its pixels.
    expect(image.data!.length).toBe(256)
  })

  it('moves input buffers only when asked to', async () => {
    const image = ramp(8)
    await runInWorker('histogram', [image, { bins: 4 }], { transfer: true })
    expect(image.data!.length).toBe(0) // detached by the transfer
    // Pixels and the direction matrix were moved; nothing else.
    expect(transferredToWorker.at(-1)!.length).toBe(2)
  })

  it('reports progress from operations that take onProgress', async () => {
    const image = makeImage([32, 32, 6], { componentType: 'uint8' })
    const fractions: number[] = []
    await runInWorker('clahe', [image, { tileGridSize: [2, 2] }], { onProgress: (f) => fractions.push(f) })
    expect(fractions.length).toBeGreaterThan(0)
    expect(fractions.at(-1)).toBe(1)
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1])
  })

  it('rejects with the library error message and code', async () => {
    const error = await runInWorker('readDicomSeries', [[]]).catch((e: Error & { code?: string }) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error & { code?: string }).code).toBe('EMPTY_INPUT')
    expect((error as Error).message).toMatch(/no DICOM files/i)
  })

  it('cancels: an aborted call rejects with AbortError and the worker is terminated', async () => {
    const controller = new AbortController()
    const image = makeImage([64, 64, 64], { componentType: 'float32' })
    const before = terminated
    const pending = runInWorker('n4BiasFieldCorrection', [image, { shrinkFactor: 2 }], { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    expect(terminated).toBe(before + 1)
    // The next call gets a fresh worker and works.
    const out = await runInWorker('coefficientOfVariation', [ramp(4), {}])
    expect(Number.isFinite(out)).toBe(true)
  })

  it('rejects unknown operations', async () => {
    await expect(runInWorker('noSuchOp' as 'histogram', [ramp(2)] as never)).rejects.toThrow(/Unknown operation/)
  })
})

describe('collectTransferables', () => {
  it('finds each owned pixel buffer once, in nested results, and skips views of shared buffers', () => {
    const a = ramp(4)
    const b = ramp(4)
    const shared = new Float32Array(16)
    const view = new Float32Array(shared.buffer, 16, 2)
    const list = collectTransferables({ corrected: a, biasField: b, again: a, view, arr: [a.data] })
    // Pixels and direction of each image, once each; not the shared buffer behind `view`.
    expect(list).toHaveLength(4)
    expect(list).toContain(a.data!.buffer)
    expect(list).toContain(b.data!.buffer)
    expect(list).toContain(a.direction.buffer)
    expect(list).not.toContain(shared.buffer)
  })
})

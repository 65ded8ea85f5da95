// The figures' sample loader: one network fetch per file per visit, shared by every caller, each
// caller cancelling only its own wait, bytes reported, least recently used files evicted.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('vitepress', () => ({ withBase: (p: string) => p }))

interface FakeFile { bytes: Uint8Array; chunks: number }
let files: Map<string, FakeFile>
let fetches: string[]
let aborted: string[]
/** Chunk releases waiting for the test: a download advances one chunk per release. */
let gates: Array<() => void>

function fakeFetch(url: string, init?: { signal?: AbortSignal }): Promise<Response> {
  fetches.push(url)
  const f = files.get(url)
  if (!f) return Promise.resolve(new Response('missing', { status: 404, statusText: 'Not Found' }))
  const size = Math.ceil(f.bytes.length / f.chunks)
  let at = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      return new Promise<void>((resolve) => {
        gates.push(() => {
          if (init?.signal?.aborted) return resolve()
          if (at >= f.bytes.length) controller.close()
          else {
            controller.enqueue(f.bytes.slice(at, at + size))
            at += size
          }
          resolve()
        })
      })
    },
  })
  init?.signal?.addEventListener('abort', () => aborted.push(url))
  return Promise.resolve(new Response(body, { headers: { 'content-length': String(f.bytes.length) } }))
}

/** Lets every pending chunk through until the downloads finish or stall on an abort. */
async function release(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 0))
    const g = gates.splice(0)
    g.forEach((open) => open())
  }
}

const fileOf = (n: number, chunks = 4): FakeFile => ({ bytes: Uint8Array.from({ length: n }, (_, i) => i % 251), chunks })

beforeEach(() => {
  vi.resetModules()
  files = new Map([['/a.bin', fileOf(1000)], ['/b.bin', fileOf(300, 3)], ['/series/index.json', { bytes: new TextEncoder().encode('{"files":["s1","s2"]}'), chunks: 1 }], ['/series/s1', fileOf(40, 2)], ['/series/s2', fileOf(60, 2)]])
  fetches = []
  aborted = []
  gates = []
  vi.stubGlobal('fetch', vi.fn(fakeFetch))
})
afterEach(() => vi.unstubAllGlobals())

describe('loadSample', () => {
  it('fetches a file once for concurrent and later callers, each getting its own copy', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    const p1 = loadSample('/a.bin')
    const p2 = loadSample('/a.bin')
    await release()
    const [a, b] = await Promise.all([p1, p2])
    const c = await loadSample('/a.bin')
    expect(fetches).toEqual(['/a.bin'])
    expect(new Uint8Array(a)).toEqual(files.get('/a.bin')!.bytes)
    expect(a).not.toBe(b)
    expect(b).not.toBe(c)
    // A caller may transfer (detach) its copy without harming the cache.
    structuredClone(a, { transfer: [a] })
    expect(a.byteLength).toBe(0)
    expect(new Uint8Array(await loadSample('/a.bin'))[999]).toBe(999 % 251)
  })

  it('reports bytes received with the total, also to a caller that joins mid-download', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    const first: Array<[number, number | undefined]> = []
    const p1 = loadSample('/a.bin', { onProgress: (r, t) => first.push([r, t]) })
    await release(3)
    const late: Array<[number, number | undefined]> = []
    const p2 = loadSample('/a.bin', { onProgress: (r, t) => late.push([r, t]) })
    await release()
    await Promise.all([p1, p2])
    expect(first.at(-1)).toEqual([1000, 1000])
    expect(first.map(([r]) => r)).toEqual([250, 500, 750, 1000])
    expect(late.length).toBeGreaterThan(0)
    expect(late.at(-1)).toEqual([1000, 1000])
    expect(late[0]![0]).toBeGreaterThan(0)
  })

  it('cancelling one caller leaves the download to the others', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    const c1 = new AbortController()
    const p1 = loadSample('/a.bin', { signal: c1.signal })
    const p2 = loadSample('/a.bin')
    await release(2)
    c1.abort()
    await expect(p1).rejects.toMatchObject({ name: 'AbortError' })
    await release()
    expect((await p2).byteLength).toBe(1000)
    expect(aborted).toEqual([])
    expect(fetches).toEqual(['/a.bin'])
  })

  it('stops the download when every caller has cancelled, and fetches afresh next time', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    const c1 = new AbortController(), c2 = new AbortController()
    const p1 = loadSample('/a.bin', { signal: c1.signal })
    const p2 = loadSample('/a.bin', { signal: c2.signal })
    await release(2)
    c1.abort()
    c2.abort()
    await expect(p1).rejects.toMatchObject({ name: 'AbortError' })
    await expect(p2).rejects.toMatchObject({ name: 'AbortError' })
    expect(aborted).toEqual(['/a.bin'])
    const p3 = loadSample('/a.bin')
    await release()
    expect((await p3).byteLength).toBe(1000)
    expect(fetches).toEqual(['/a.bin', '/a.bin'])
  })

  it('rejects at once for an already aborted signal, without fetching', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    const c = new AbortController()
    c.abort()
    await expect(loadSample('/a.bin', { signal: c.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(fetches).toEqual([])
  })

  it('names the file and the HTTP status of a failed download, and retries later', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    await expect(loadSample('/missing.bin')).rejects.toThrow('Could not load /missing.bin: HTTP 404 Not Found')
    await expect(loadSample('/missing.bin')).rejects.toThrow('HTTP 404')
    expect(fetches).toEqual(['/missing.bin', '/missing.bin'])
  })
})

describe('loadSampleSeries', () => {
  it('follows the manifest, returns files in manifest order and sums bytes over files', async () => {
    const { loadSampleSeries } = await import('../../../../demos/kit/sample-cache')
    const seen: Array<[number, number | undefined]> = []
    const p = loadSampleSeries('/series/index.json', { onProgress: (r, t) => seen.push([r, t]) })
    await release()
    const [s1, s2] = await p
    expect(s1!.byteLength).toBe(40)
    expect(s2!.byteLength).toBe(60)
    expect(seen.at(-1)).toEqual([100, 100])
    // received never goes backwards
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0])
  })
})

describe('eviction', () => {
  it('drops the least recently used finished file beyond the byte limit', async () => {
    const mod = await import('../../../../demos/kit/sample-cache')
    mod.setSampleCacheLimit(1000)
    files.set('/big1', fileOf(501, 1))
    files.set('/big2', fileOf(501, 1))
    const p1 = mod.loadSample('/big1')
    await release()
    await p1
    const p2 = mod.loadSample('/big2')
    await release()
    await p2
    // big1 was evicted (limit exceeded), big2 stays.
    const p3 = mod.loadSample('/big2')
    await release()
    await p3
    const p4 = mod.loadSample('/big1')
    await release()
    await p4
    expect(fetches).toEqual(['/big1', '/big2', '/big1'])
  })

  it('pauses a background download while a foreground one runs, then finishes it without refetching', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    files.set('/volume', fileOf(2000, 40))
    const got: number[] = []
    const volume = loadSample('/volume', { background: true, onProgress: (r) => got.push(r) })
    await release(3)
    const before = got.at(-1)!
    expect(before).toBeGreaterThan(0)
    files.set('/figure', fileOf(600, 12))
    const figure = loadSample('/figure')
    // While the figure's file downloads (12 chunks), the volume only drains what was already on
    // its way (the stream's queue: a few chunks), instead of a chunk per round.
    let figureDone = false
    void figure.then(() => (figureDone = true))
    for (let i = 0; i < 40 && !figureDone; i++) await release(1)
    expect(figureDone).toBe(true)
    expect(got.at(-1)! - before).toBeLessThanOrEqual(150)
    await release()
    expect((await volume).byteLength).toBe(2000)
    expect(fetches).toEqual(['/volume', '/figure'])
    expect(aborted).toEqual([])
  })

  it('a foreground caller of a paused background file promotes it', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    const volume = loadSample('/a.bin', { background: true })
    await release(2)
    const other = loadSample('/b.bin')
    await release(1)
    // /a.bin is paused behind /b.bin; asking for it now makes both foreground: both finish.
    const now = loadSample('/a.bin')
    await release()
    expect((await now).byteLength).toBe(1000)
    expect((await volume).byteLength).toBe(1000)
    expect((await other).byteLength).toBe(300)
    expect(fetches).toEqual(['/a.bin', '/b.bin'])
  })

  it('cancelling a paused background download stops it', async () => {
    const { loadSample } = await import('../../../../demos/kit/sample-cache')
    const c = new AbortController()
    const volume = loadSample('/a.bin', { background: true, signal: c.signal })
    await release(2)
    const other = loadSample('/b.bin')
    await release(1)
    c.abort()
    await expect(volume).rejects.toMatchObject({ name: 'AbortError' })
    await release()
    expect((await other).byteLength).toBe(300)
    expect(aborted).toEqual(['/a.bin'])
  })
})

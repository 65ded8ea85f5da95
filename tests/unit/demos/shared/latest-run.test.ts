// latestRun: a figure is 'loading' until its first picture, and a task that draws one early
// (shown()) leaves 'loading' for 'running' then, not when the whole task ends.
import { describe, expect, it } from 'vitest'
import { latestRun } from '../../../../demos/shared/latest-run'

describe('latestRun', () => {
  it("goes loading → running at shown() → ready at the end", async () => {
    const r = latestRun()
    const seen: string[] = []
    let release = () => {}
    const gate = new Promise<void>((res) => (release = res))
    const done = r.run(async (_signal, _progress, shown) => {
      seen.push(r.state.value)
      shown()
      seen.push(r.state.value)
      await gate
    })
    await Promise.resolve()
    expect(r.state.value).toBe('running')
    release()
    expect(await done).toBe(true)
    expect(seen).toEqual(['loading', 'running'])
    expect(r.state.value).toBe('ready')
  })

  it('stays loading without shown(), and a cancel after shown() keeps the picture (ready, no error)', async () => {
    const r = latestRun()
    const first = r.run(async (signal) => {
      expect(r.state.value).toBe('loading')
      await new Promise((res, rej) => signal.addEventListener('abort', () => rej(new DOMException('x', 'AbortError'))))
    })
    r.cancel()
    expect(await first).toBe(false)
    expect(r.state.value).toBe('error')
    const second = r.run(async (signal, _p, shown) => {
      shown()
      await new Promise((res, rej) => signal.addEventListener('abort', () => rej(new DOMException('x', 'AbortError'))))
    })
    await Promise.resolve()
    r.cancel()
    expect(await second).toBe(false)
    expect(r.state.value).toBe('ready')
  })

  it('ignores shown() from a superseded run', async () => {
    const r = latestRun()
    let late = () => {}
    const old = r.run(async (signal, _p, shown) => {
      late = shown
      await new Promise((res) => signal.addEventListener('abort', res))
    })
    const newer = r.run(async () => { await new Promise((res) => setTimeout(res, 5)) })
    late()
    expect(r.state.value).toBe('loading')
    await Promise.all([old, newer])
    expect(r.state.value).toBe('ready')
  })
})

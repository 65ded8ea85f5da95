/**
 * Benchmark conventions: every `bench/*.bench.ts` default-exports an async function that
 * returns rows. `npm run bench` runs them all and prints one table. Reference timings come
 * from native tools installed from Debian (OpenCV, scipy, ITK) run in the same session.
 */
import { execFileSync } from 'node:child_process'

export interface BenchRow {
  /** Library function, e.g. 'clahe'. */
  operation: string
  /** What it ran on, e.g. 'CT 512×512 uint8'. */
  input: string
  /** Median wall time of our implementation, ms. */
  ms: number
  /** Name of the native reference, e.g. 'OpenCV 4.6 (1 thread)'. */
  reference?: string
  /** Median wall time of the reference on the same input, ms. */
  referenceMs?: number
  /** Target from the issue, e.g. '≤ 2× OpenCV'. */
  target?: string
  /** Agreement or other notes. */
  note?: string
}

/** Median wall time in ms of `fn` over `repeats` runs after `warmup` runs. */
export async function timeIt(fn: () => unknown | Promise<unknown>, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

/**
 * Median wall time in ms of `run()` in a Debian python3 snippet: `setup` imports what it needs
 * and defines `run()`; it is called `warmup` times, then timed `runs` times. Undefined when the
 * reference is not installed.
 */
export function pythonMedianMs(setup: string, args: string[], runs: number, warmup = 1): number | undefined {
  const timing = `
import time as _time, statistics as _statistics
for _ in range(${warmup}): run()
_ts = []
for _ in range(${runs}):
    _t = _time.perf_counter(); run(); _ts.append((_time.perf_counter() - _t) * 1000)
print(_statistics.median(_ts))
`
  return pythonReferenceMs(setup + '\n' + timing, args)
}

/**
 * Runs a Debian python3 snippet that prints a single number (ms) on its last line; returns it,
 * or undefined when the reference is not installed (the row then shows no ratio).
 */
export function pythonReferenceMs(script: string, args: string[] = []): number | undefined {
  try {
    const out = execFileSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    const last = out.trim().split('\n').pop() ?? ''
    const v = Number(last)
    return Number.isFinite(v) ? v : undefined
  } catch {
    return undefined
  }
}

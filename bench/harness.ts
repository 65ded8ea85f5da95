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

/** Minimum and median wall time in ms of `fn` over `repeats` synchronous runs after `warmup` runs. */
export function timeStats(fn: () => unknown, repeats: number, warmup = 20): { min: number; median: number } {
  for (let i = 0; i < warmup; i++) fn()
  const times = new Float64Array(repeats)
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now()
    fn()
    times[i] = performance.now() - t0
  }
  times.sort()
  return { min: times[0], median: times[repeats >> 1] }
}

/**
 * Runs a reference timing script of tests/reference/bench/ with the Debian python3; it prints one
 * JSON line with `min` and `median` (ms). Undefined when the reference is not installed.
 */
export function referenceStats(script: string, args: string[], env: Record<string, string> = {}): { min: number; median: number } | undefined {
  try {
    const out = execFileSync('/usr/bin/python3', [script, ...args], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
    })
    const r = JSON.parse(out.trim().split('\n').pop() ?? '') as { min: number; median: number }
    return Number.isFinite(r.min) && Number.isFinite(r.median) ? r : undefined
  } catch {
    return undefined
  }
}

/**
 * Ours against a reference, timed back to back (reference, ours, reference) so that both see the
 * same machine load; each side's figure is its minimum over many repeats (the least disturbed
 * run), and the note gives both medians.
 */
export function versusReference(
  ours: () => unknown, repeats: number, reference: () => { min: number; median: number } | undefined,
): { ms: number; referenceMs?: number; note: string } {
  const r1 = reference()
  const o = timeStats(ours, repeats)
  const r2 = reference()
  const refs = [r1, r2].filter((r): r is { min: number; median: number } => r !== undefined)
  if (refs.length === 0) return { ms: o.min, note: `min of ${repeats}; median ${o.median.toFixed(2)} ms; reference not installed` }
  const refMin = Math.min(...refs.map((r) => r.min))
  const refMedian = Math.min(...refs.map((r) => r.median))
  return {
    ms: o.min,
    referenceMs: refMin,
    note: `min of ${repeats} each; medians ${o.median.toFixed(2)} vs ${refMedian.toFixed(2)} ms (${(o.median / refMedian).toFixed(2)}×)`,
  }
}

/**
 * `npm run bench -- recon`: radon and iradon (FBP, ramp, linear) of the 512² modified
 * Shepp–Logan phantom vs scikit-image 0.19.3 on the same data, one thread each
 * (tests/reference/bench/radon_skimage.py); target (issue 11 item 4): ≤ 1× skimage. The note
 * gives the agreement with skimage's output (max |difference| / its range).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pixelData } from '../src/image'
import { iradon, radon, sheppLoganPhantom } from '../src/recon/index'
import { referenceStats, versusReference, type BenchRow } from './harness'

const script = join(dirname(fileURLToPath(import.meta.url)), '../tests/reference/bench/radon_skimage.py')
const uniform = (n: number) => Array.from({ length: n }, (_, i) => (i * 180) / n)

function agreement(ours: ArrayLike<number>, file: string): string {
  if (!existsSync(file)) return 'skimage output not available'
  const theirs = new Float64Array(readFileSync(file).buffer.slice(0))
  let worst = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < theirs.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i] - theirs[i]))
    min = Math.min(min, theirs[i])
    max = Math.max(max, theirs[i])
  }
  return `max |ours − skimage| = ${(worst / (max - min)).toExponential(1)} of its range`
}

/** Minimum process CPU time (ms) of `fn` over `repeats` runs: less disturbed than wall time on a shared machine. */
function cpuMin(fn: () => unknown, repeats: number): number {
  let best = Infinity
  for (let i = 0; i < repeats; i++) {
    const c = process.cpuUsage()
    fn()
    const d = process.cpuUsage(c)
    best = Math.min(best, (d.user + d.system) / 1000)
  }
  return best
}

/** skimage's minimum CPU time from the reference script's JSON (run once more for it). */
function referenceCpu(args: string[]): number | undefined {
  try {
    const out = execFileSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    const v = (JSON.parse(out.trim().split('\n').pop() ?? '') as { cpuMin?: number }).cpuMin
    return Number.isFinite(v) ? v : undefined
  } catch {
    return undefined
  }
}

const cpuNote = (ours: number, theirs: number | undefined) => (theirs ? `CPU time ${ours.toFixed(0)} vs ${theirs.toFixed(0)} ms (${(ours / theirs).toFixed(2)}×)` : `CPU time ${ours.toFixed(0)} ms`)

export default async (): Promise<BenchRow[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'recon-bench-'))
  const rows: BenchRow[] = []
  try {
    const img = sheppLoganPhantom(512)
    const fImg = join(dir, 'phantom.f64')
    writeFileSync(fImg, pixelData(img) as Float64Array)
    for (const views of [180, 360]) {
      const angles = uniform(views)
      const vs = versusReference(() => radon(img, { angles }), 3, () => referenceStats(script, ['radon', fImg, '512', String(views), '3', `${fImg}.${views}.out`]))
      rows.push({
        operation: 'radon', input: `512² Shepp–Logan, ${views} views, circle`, ...vs,
        reference: 'skimage 0.19.3 radon (1 thread)', target: '≤ 1× skimage',
        note: `${agreement(pixelData(radon(img, { angles })), `${fImg}.${views}.out`)}; ${vs.note}; ${cpuNote(cpuMin(() => radon(img, { angles }), 3), referenceCpu(['radon', fImg, '512', String(views), '3']))}`,
      })
    }
    const angles = uniform(360)
    const sino = radon(img, { angles })
    const fSino = join(dir, 'sino.f64')
    writeFileSync(fSino, pixelData(sino) as Float64Array)
    const vs = versusReference(() => iradon(sino, { angles, filter: 'ramp' }), 5, () => referenceStats(script, ['iradon', fSino, '512', '360', '3', `${fSino}.out`]))
    rows.push({
      operation: 'iradon (FBP, ramp, linear)', input: '512 bins × 360 views → 512²', ...vs,
      reference: 'skimage 0.19.3 iradon (1 thread)', target: '≤ 1× skimage',
      note: `${agreement(pixelData(iradon(sino, { angles })), `${fSino}.out`)}; ${vs.note}; ${cpuNote(cpuMin(() => iradon(sino, { angles }), 5), referenceCpu(['iradon', fSino, '512', '360', '3']))}`,
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

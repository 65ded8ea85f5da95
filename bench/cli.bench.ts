/**
 * `mip run` (the CLI, from the sources through tsx) with the ct-lung preset on 10 copies of the
 * thorax CT phantom (512 × 512 × 72 DICOM slices each; the copies are folders of symbolic links),
 * with 1 and 2 worker threads. No native reference: the row shows the wall time per run and
 * per case, and the speed-up of the second thread (bounded by the cores the machine has free).
 * Run on 2026-12-02 (2 cores shared with five other sessions, load average 3–12): 1 job 219.7 s,
 * 2 jobs 135.2 s (1.63×), 10/10 ok; one case alone on the quieter machine 5.3 s (read 0.15 s,
 * steps 2.8 s, writing four .nii.gz 2.4 s).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRow } from './harness'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const CASES = 10

export default async function (): Promise<BenchRow[]> {
  const phantom = join(root, 'public/data/ct-thorax-phantom')
  if (!existsSync(phantom)) return [{ operation: 'mip run', input: 'thorax phantom missing (npm run data)', ms: NaN }]
  const dir = mkdtempSync(join(tmpdir(), 'mip-bench-'))
  try {
    const slices = readdirSync(phantom).filter((f) => f.endsWith('.dcm'))
    for (let c = 0; c < CASES; c++) {
      const d = join(dir, 'in', `case-${String(c).padStart(2, '0')}`)
      mkdirSync(d, { recursive: true })
      for (const f of slices) symlinkSync(join(phantom, f), join(d, f))
    }
    const rows: BenchRow[] = []
    let oneJob = 0
    for (const jobs of [1, 2]) {
      const out = join(dir, `out-${jobs}`)
      const t0 = performance.now()
      execFileSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/mip.ts'), 'run', '--pipeline', join(root, 'pipelines/ct-lung.json'), '--input', join(dir, 'in'), '--output', out, '--jobs', String(jobs), '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
      const ms = performance.now() - t0
      if (jobs === 1) oneJob = ms
      const report = JSON.parse(readFileSync(join(out, 'run-report.json'), 'utf8')) as { counts: { ok: number } }
      const prov = JSON.parse(readFileSync(join(out, 'case-00.json'), 'utf8')) as { readMs: number; writeMs: number; steps: { op: string; ms: number }[] }
      const steps = prov.steps.map((s) => `${s.op} ${(s.ms / 1000).toFixed(1)}`).join(', ')
      rows.push({
        operation: `mip run ct-lung, --jobs ${jobs}`,
        input: `${CASES} × phantom 512×512×72 (${slices.length} files)`,
        ms,
        note: `${report.counts.ok}/${CASES} ok, ${(ms / CASES / 1000).toFixed(1)} s/case` +
          (jobs === 2 ? `, ${(oneJob / ms).toFixed(2)}× of 1 job (${availableParallelism()} cores)` : `; case-00: read ${(prov.readMs / 1000).toFixed(1)} s, ${steps}, write ${(prov.writeMs / 1000).toFixed(1)} s`),
      })
    }
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

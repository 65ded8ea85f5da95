/**
 * `npm run bench -- kspace`: fft2 with { shift: true } (the k-space of chapter 2.2) of a 256² and
 * a 512² image vs numpy's np.fft.fftshift(np.fft.fft2(x)) on the same data, one thread each
 * (tests/reference/bench/fft2_numpy.py); target (issue 11 item 4): fft2 of 256² ≤ 2× numpy. The
 * note gives the agreement with numpy's output (max |difference| / max |numpy|).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pixelData } from '../src/image'
import { fft2 } from '../src/mri/kspace'
import { sheppLoganPhantom } from '../src/recon/index'
import { referenceStats, versusReference, type BenchRow } from './harness'

const script = join(dirname(fileURLToPath(import.meta.url)), '../tests/reference/bench/fft2_numpy.py')

function agreement(ours: ArrayLike<number>, file: string): string {
  if (!existsSync(file)) return 'numpy output not available'
  const theirs = new Float64Array(readFileSync(file).buffer.slice(0))
  let worst = 0
  let scale = 0
  for (let i = 0; i < theirs.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i] - theirs[i]))
    scale = Math.max(scale, Math.abs(theirs[i]))
  }
  return `max |ours − numpy| = ${(worst / scale).toExponential(1)} of max |numpy|`
}

export default async (): Promise<BenchRow[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'kspace-bench-'))
  const rows: BenchRow[] = []
  try {
    for (const n of [256, 512]) {
      const img = sheppLoganPhantom(n)
      const file = join(dir, `phantom-${n}.f64`)
      writeFileSync(file, pixelData(img) as Float64Array)
      const repeats = n === 256 ? 200 : 50
      const vs = versusReference(() => fft2(img, { shift: true }), repeats, () => referenceStats(script, [file, String(n), String(n), String(repeats), `${file}.out`]))
      rows.push({
        operation: 'fft2 { shift: true }', input: `${n}² Shepp–Logan (real → complex)`, ...vs,
        reference: 'numpy np.fft.fftshift(np.fft.fft2(x)) (1 thread)', target: n === 256 ? '≤ 2× numpy' : '',
        note: `${agreement(pixelData(fft2(img, { shift: true })), `${file}.out`)}; ${vs.note}`,
      })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

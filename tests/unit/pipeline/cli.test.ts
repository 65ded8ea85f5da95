/**
 * End-to-end test of the `mip` CLI from the sources (node --import tsx src/cli/mip.ts), on a small
 * dataset made in a temporary folder from the samples: a DICOM series folder (6 slices of the
 * thorax phantom), a folder with two series (CT_small + MR_small), a JPEG 2000 file (decoded by
 * itk-wasm in the worker thread), a NIfTI (ch2bet) and two broken cases.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDicomSeries } from '../../../src/io/dicom'
import { readNifti } from '../../../src/io/nifti'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const data = join(root, 'public/data')
const phantom = join(data, 'ct-thorax-phantom')
const PHANTOM_SLICES = ['slice-030.dcm', 'slice-031.dcm', 'slice-032.dcm', 'slice-033.dcm', 'slice-034.dcm', 'slice-035.dcm']

function mip(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/mip.ts'), ...args], { cwd: root, env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => (stdout += d))
    p.stderr.on('data', (d) => (stderr += d))
    p.on('error', reject)
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

let dir: string
let input: string
let pipelineFile: string
const CASES = ['brain', 'broken-nifti', 'broken-truncated', 'j2k', 'thorax', 'two-series']
const OK = ['brain', 'j2k', 'thorax', 'two-series']

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mip-cli-test-'))
  input = join(dir, 'in')
  mkdirSync(join(input, 'thorax'), { recursive: true })
  // Copy slices in reverse name order: the reader sorts by position, not by name or order.
  for (const f of [...PHANTOM_SLICES].reverse()) cpSync(join(phantom, f), join(input, 'thorax', f))
  mkdirSync(join(input, 'two-series', 'sub'), { recursive: true })
  cpSync(join(data, 'CT_small.dcm'), join(input, 'two-series', 'a.dcm'))
  cpSync(join(data, 'MR_small.dcm'), join(input, 'two-series', 'sub', 'b.dcm'))
  writeFileSync(join(input, 'two-series', '.DS_Store'), 'junk')
  cpSync(join(data, '693_J2KI.dcm'), join(input, 'j2k.dcm'))
  cpSync(join(data, 'ch2bet.nii.gz'), join(input, 'brain.nii.gz'))
  cpSync(join(data, 'bad/not-a-scan.nii.gz'), join(input, 'broken-nifti.nii.gz'))
  mkdirSync(join(input, 'broken-truncated'))
  cpSync(join(data, 'bad/MR_truncated.dcm'), join(input, 'broken-truncated', 'x.dcm'))
  writeFileSync(join(input, 'notes.txt'), 'not a case')
  pipelineFile = join(dir, 'p.json')
  writeFileSync(pipelineFile, JSON.stringify({
    format: 'med-imaging-primer/pipeline', version: 1, name: 'cli-test',
    steps: [
      { op: 'resampleToSpacing', options: { spacing: [2, 2, 2], interpolator: 'linear', outputComponentType: 'float32' } },
      { op: 'otsuMask', options: { maskName: 'fg' } },
      { op: 'clipIntensity', options: { min: -1000, max: 1000 } },
      { op: 'normalizeMinMax', options: {} },
    ],
  }))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Report { counts: Record<string, number>; cases: { case: string; status: string; reason?: string; code?: string; outputs?: string[] }[]; shard: unknown }
const readJson = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T

describe('mip run', () => {
  it('writes every case that reads, reports the broken ones, exits 2; outputs have the right geometry', async () => {
    const out = join(dir, 'out')
    const r = await mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out, '--jobs', '2'])
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/6 case\(s\), up to 2 job\(s\)/)
    expect(r.stderr).toMatch(/ignored notes\.txt/)
    expect(r.stderr).toMatch(/mip: 4 ok, 2 failed, 0 skipped of 6/)
    const report = readJson<Report>(join(out, 'run-report.json'))
    expect(report.counts).toEqual({ total: 6, ok: 4, failed: 2, skipped: 0 })
    expect(report.cases.map((c) => c.case)).toEqual(CASES)
    const byName = Object.fromEntries(report.cases.map((c) => [c.case, c]))
    expect(byName['broken-nifti'].reason).toMatch(/Truncated NIfTI-2 header/)
    expect(byName['broken-nifti'].code).toBe('TRUNCATED')
    expect(byName['broken-truncated'].status).toBe('failed')
    for (const name of OK) {
      expect(byName[name].status).toBe('ok')
      expect(byName[name].outputs).toEqual([`${name}.nii.gz`, `${name}.mask-fg.nii.gz`, `${name}.json`])
    }
    // No temporary files are left behind.
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([])

    // Geometry: the thorax output is the phantom series resampled to 2 mm, same origin and direction.
    const files = PHANTOM_SLICES.map((f) => new Uint8Array(readFileSync(join(phantom, f))))
    const src = await readDicomSeries(files)
    const img = await readNifti(readFileSync(join(out, 'thorax.nii.gz')))
    const mask = await readNifti(readFileSync(join(out, 'thorax.mask-fg.nii.gz')))
    expect(img.size).toEqual(src.size.map((n, a) => Math.round((n * src.spacing[a]) / 2)))
    for (const im of [img, mask]) {
      im.spacing.forEach((s) => expect(s).toBeCloseTo(2, 5))
      im.origin.forEach((o, a) => expect(o).toBeCloseTo(src.origin[a], 4))
      Array.from(im.direction as ArrayLike<number>).forEach((d, a) => expect(d).toBeCloseTo(src.direction[a] as number, 6))
      expect(im.size).toEqual(img.size)
    }
    expect(img.imageType.componentType).toBe('float32')
    expect(mask.imageType.componentType).toBe('uint8')
    const v = img.data as Float32Array
    let lo = Infinity
    let hi = -Infinity
    for (const x of v) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)]
    expect([lo, hi]).toEqual([0, 1])

    // Provenance: input summary, pipeline, hash, library version, per-step timings; no patient data.
    const prov = readJson<Record<string, any>>(join(out, 'two-series.json')) // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(prov.format).toBe('med-imaging-primer/provenance')
    expect(prov.library).toEqual({ name: 'med-imaging-primer', version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version })
    expect(prov.pipeline.name).toBe('cli-test')
    expect(prov.pipelineHash).toMatch(/^[0-9a-f]{64}$/)
    expect(prov.input.series).toBe(2)
    expect(prov.input.files).toBe(2)
    expect(prov.input.notes[0]).toMatch(/^2 series found \(2 with images\); read the first image series \(CT, 1 file\(s\)\)/)
    expect(prov.steps.map((s: { op: string; status: string; ms: number }) => [s.op, s.status, typeof s.ms])).toEqual([
      ['resampleToSpacing', 'ok', 'number'], ['otsuMask', 'ok', 'number'], ['clipIntensity', 'ok', 'number'], ['normalizeMinMax', 'ok', 'number'],
    ])
    const j2k = readJson<Record<string, any>>(join(out, 'j2k.json')) // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(j2k.input.acquisition.Decoder).toBe('itk-wasm (GDCM)')
    for (const f of readdirSync(out)) {
      const text = readFileSync(join(out, f)).toString('latin1')
      const plain = f.endsWith('.gz') ? '' : text
      for (const phi of ['CompressedSamples', '1CT1', '4MR1', 'PatientName', 'SeriesInstanceUID', 'StudyInstanceUID']) expect(plain, `${f} contains ${phi}`).not.toContain(phi)
    }
  }, 180_000)

  it('resumes: a second run skips the finished cases and leaves their files alone', async () => {
    const out = join(dir, 'out')
    const before = statSync(join(out, 'brain.nii.gz')).mtimeMs
    const dry = await mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout.split('\n').filter((l) => /^(done|todo)\t/.test(l)).map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual(
      CASES.map((c) => `${OK.includes(c) ? 'done' : 'todo'} ${c}`))
    const r = await mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out, '--jobs', '2'])
    expect(r.code).toBe(2)
    const report = readJson<Report>(join(out, 'run-report.json'))
    expect(report.counts).toEqual({ total: 6, ok: 0, failed: 2, skipped: 4 })
    expect(r.stderr).toMatch(/skip {4}brain {2}\(outputs match the pipeline\)/)
    expect(statSync(join(out, 'brain.nii.gz')).mtimeMs).toBe(before)
    // A changed pipeline is not "done": it runs again.
    const changed = join(dir, 'p2.json')
    const p = readJson<{ steps: { options: Record<string, unknown> }[] }>(pipelineFile)
    p.steps[2].options.max = 999
    writeFileSync(changed, JSON.stringify(p))
    const again = await mip(['run', '--pipeline', changed, '--input', input, '--output', out, '--jobs', '2', '--quiet'])
    expect(readJson<Report>(join(out, 'run-report.json')).counts).toEqual({ total: 6, ok: 4, failed: 2, skipped: 0 })
    expect(again.code).toBe(2)
  }, 180_000)

  it('3 shards (--shard and JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID with --shard-count) together do every case exactly once', async () => {
    const out = join(dir, 'sharded')
    const runs = await Promise.all([
      mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out, '--jobs', '1', '--shard', '0/3']),
      mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out, '--jobs', '1', '--shard-count', '3'], { JOB_COMPLETION_INDEX: '1' }),
      mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out, '--jobs', '1', '--shard-count', '3'], { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1' }),
    ])
    const seen: string[] = []
    for (let i = 0; i < 3; i++) {
      const rep = readJson<Report>(join(out, `run-report-shard-${i}-of-3.json`))
      expect(rep.shard).toEqual({ index: i, count: 3 })
      // Shard i takes the cases whose index in the sorted list is ≡ i (mod 3).
      expect(rep.cases.map((c) => c.case)).toEqual(CASES.filter((_, k) => k % 3 === i))
      seen.push(...rep.cases.map((c) => c.case))
    }
    expect(seen.sort()).toEqual(CASES)
    expect(runs.map((r) => r.code)).toEqual([0, 2, 2].map((_, i) => (CASES.filter((_, k) => k % 3 === i).some((c) => c.startsWith('broken')) ? 2 : 0)))
    for (const name of OK) expect(existsSync(join(out, `${name}.json`))).toBe(true)
  }, 240_000)

  it('exits 1 for a usage or pipeline error, before any work', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ format: 'med-imaging-primer/pipeline', version: 1, name: 'x', steps: [{ op: 'clipIntensity', options: { min: 0 } }, { op: 'normaliseMinMax' }] }))
    const out = join(dir, 'never')
    const r = await mip(['run', '--pipeline', bad, '--input', input, '--output', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/pipeline error \[UNKNOWN_OP\]: step 2: unknown operation "normaliseMinMax" \(did you mean "normalizeMinMax"\?\)/)
    expect(existsSync(out)).toBe(false)
    expect((await mip(['run', '--input', input, '--output', out])).stderr).toMatch(/--pipeline is required/)
    expect((await mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out, '--shard', '3/3'])).code).toBe(1)
    expect((await mip(['run', '--pipeline', pipelineFile, '--input', input, '--output', out], { JOB_COMPLETION_INDEX: '0' })).stderr).toMatch(/give the number of shards with --shard-count/)
    expect(existsSync(out)).toBe(false)
    const v = await mip(['validate', join(root, 'pipelines/ct-lung.json')])
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/valid pipeline "ct-lung"/)
  }, 120_000)
})

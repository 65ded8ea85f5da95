#!/usr/bin/env node
/**
 * `mip`: runs a med-imaging-primer pipeline (pipelines/*.json) on every case of a folder, with
 * worker threads, sharding for cluster arrays, resumable atomic outputs and a run report.
 * Exit status: 0 every case ok (or skipped as done), 2 some cases failed, 1 usage or pipeline
 * error (before any work).
 */
import { readFile, mkdir } from 'node:fs/promises'
import { availableParallelism, totalmem } from 'node:os'
import { resolve, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { OPERATIONS, OPERATION_NAMES } from '../pipeline/registry'
import { DEFAULT_MAX_STEP_BYTES, formatBytes, pipelineHash, validatePipeline, type Pipeline } from '../pipeline/run'
import { LIBRARY_NAME, LIBRARY_VERSION } from '../pipeline/version'
import { discoverCases, duplicateNames, shardCases, type CaseEntry } from './cases'
import { completedProvenance, writeAtomic, type CaseResult, type CaseTask } from './process-case'
import type { FromWorker, ToWorker } from './case-worker'

const USAGE = `mip — run a med-imaging-primer pipeline on a dataset (${LIBRARY_NAME} ${LIBRARY_VERSION})

Usage:
  mip run --pipeline P.json --input DIR --output OUT [options]
  mip validate P.json        check a pipeline file and print its steps
  mip ops                    list the operations a pipeline can use, with their options
  mip --help | --version

Each direct child of DIR is one case: a folder of DICOM files (one series; the first image
series if there are several, noted in the provenance), a .nii / .nii.gz file, or a .dcm file.
For each case mip writes OUT/<case>.nii.gz, OUT/<case>.mask-<name>.nii.gz per mask, and
OUT/<case>.json (provenance: input summary without patient data, pipeline and its hash,
library version, per-step timings). A case whose outputs exist and match the pipeline is
skipped, so a killed run continues where it stopped.

Options of run:
  --pipeline FILE     pipeline JSON ({ "format": "med-imaging-primer/pipeline", ... })
  --input DIR         folder of cases
  --output DIR        output folder (created)
  --jobs N            worker threads (default: number of cores, ${availableParallelism()} here)
  --shard I/N         process the cases whose index in the sorted list is ≡ I (mod N), I 0-based
  --shard-count N     shard index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or
                      SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) when --shard is absent
  --max-memory MB     refuse a step whose output is estimated above this (default: the smaller
                      of 2 GiB and total memory / (2 × jobs))
  --no-masks          do not write the masks
  --gzip-level N      compression of the .nii.gz outputs, 0 (fastest) to 9 (default 6)
  --force             redo cases even when their outputs match
  --quiet             no progress bar, only the summary
  --dry-run           list this shard's cases and which are already done; run nothing

Exit status: 0 all cases ok or already done, 2 some failed (the others are written),
1 usage or pipeline error (before any work).`

class UsageError extends Error {}

interface RunArgs {
  pipeline: string
  input: string
  output: string
  jobs: number
  shard: { index: number; count: number } | null
  maxStepBytes: number
  writeMasks: boolean
  force: boolean
  quiet: boolean
  dryRun: boolean
  gzipLevel: number
}

function intArg(v: string | undefined, flag: string, min: number): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${flag} needs an integer ≥ ${min}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`)
  return Number(v)
}

export function parseRunArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RunArgs {
  const vals: Record<string, string> = {}
  const flags = new Set<string>()
  const withValue = new Set(['--pipeline', '--input', '--output', '--jobs', '--shard', '--shard-count', '--max-memory', '--gzip-level'])
  const bare = new Set(['--no-masks', '--force', '--quiet', '--dry-run'])
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]
    let v: string | undefined
    const eq = a.indexOf('=')
    if (a.startsWith('--') && eq > 0) {
      v = a.slice(eq + 1)
      a = a.slice(0, eq)
    }
    if (withValue.has(a)) {
      v ??= argv[++i]
      if (v === undefined) throw new UsageError(`${a} needs a value`)
      vals[a] = v
    } else if (bare.has(a)) flags.add(a)
    else throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}`)
  }
  for (const need of ['--pipeline', '--input', '--output']) if (!vals[need]) throw new UsageError(`${need} is required`)
  const jobs = vals['--jobs'] !== undefined ? intArg(vals['--jobs'], '--jobs', 1) : availableParallelism()
  let shard: RunArgs['shard'] = null
  const countArg = vals['--shard-count'] !== undefined ? intArg(vals['--shard-count'], '--shard-count', 1) : undefined
  if (vals['--shard'] !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(vals['--shard'])
    if (!m) throw new UsageError(`--shard needs I/N (e.g. 0/4), got ${JSON.stringify(vals['--shard'])}`)
    shard = { index: Number(m[1]), count: Number(m[2]) }
    if (countArg !== undefined && countArg !== shard.count) throw new UsageError(`--shard ${vals['--shard']} and --shard-count ${countArg} disagree`)
  } else {
    const k8s = env.JOB_COMPLETION_INDEX
    const slurm = env.SLURM_ARRAY_TASK_ID
    const raw = k8s ?? slurm
    if (raw !== undefined && raw !== '') {
      const count = countArg ?? (k8s === undefined && env.SLURM_ARRAY_TASK_COUNT ? intArg(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT', 1) : undefined)
      if (count === undefined) throw new UsageError(`${k8s !== undefined ? 'JOB_COMPLETION_INDEX' : 'SLURM_ARRAY_TASK_ID'} is set: give the number of shards with --shard-count N`)
      let index = intArg(raw, k8s !== undefined ? 'JOB_COMPLETION_INDEX' : 'SLURM_ARRAY_TASK_ID', 0)
      if (k8s === undefined && env.SLURM_ARRAY_TASK_MIN) index -= intArg(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN', 0)
      shard = { index, count }
    } else if (countArg !== undefined) {
      throw new UsageError('--shard-count needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment (or use --shard I/N)')
    }
  }
  if (shard && !(shard.count >= 1 && shard.index >= 0 && shard.index < shard.count)) throw new UsageError(`shard index ${shard.index} is outside 0..${shard.count - 1}`)
  const maxStepBytes = vals['--max-memory'] !== undefined
    ? intArg(vals['--max-memory'], '--max-memory', 1) * 2 ** 20
    : Math.min(DEFAULT_MAX_STEP_BYTES, Math.floor(totalmem() / (2 * jobs)))
  return {
    pipeline: vals['--pipeline'], input: vals['--input'], output: vals['--output'], jobs, shard, maxStepBytes,
    writeMasks: !flags.has('--no-masks'), force: flags.has('--force'), quiet: flags.has('--quiet'), dryRun: flags.has('--dry-run'),
    gzipLevel: vals['--gzip-level'] !== undefined ? Math.min(9, intArg(vals['--gzip-level'], '--gzip-level', 0)) : 6,
  }
}

async function loadPipeline(file: string): Promise<Pipeline> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read the pipeline ${file}: ${(e as Error).message}`)
  }
  return validatePipeline(text)
}

function workerUrl(): URL {
  // From the sources (tsx, tests) the worker is case-worker.ts; from the package, dist/cli/case-worker.js.
  return new URL(import.meta.url.endsWith('.ts') ? './case-worker-dev.mjs' : './case-worker.js', import.meta.url)
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** The progress display on stderr: a bar redrawn in place on a terminal, one line per finished case. */
class Progress {
  private running = new Map<string, { fraction: number; message?: string }>()
  private done = 0
  private lastDraw = 0
  constructor(private total: number, private tty: boolean, private quiet: boolean) {}
  update(name: string, fraction: number, message?: string) {
    this.running.set(name, { fraction, message })
    this.draw()
  }
  line(text: string) {
    if (this.quiet) return
    this.clear()
    process.stderr.write(text + '\n')
    this.draw(true)
  }
  finish(name: string) {
    this.running.delete(name)
    this.done++
  }
  private clear() {
    if (this.tty) process.stderr.write('\r\x1b[2K')
  }
  private draw(force = false) {
    if (!this.tty || this.quiet) return
    const now = Date.now()
    if (!force && now - this.lastDraw < 100) return
    this.lastDraw = now
    const partial = [...this.running.values()].reduce((s, r) => s + r.fraction, 0)
    const f = this.total ? (this.done + partial) / this.total : 1
    const width = 24
    const bar = '█'.repeat(Math.round(f * width)).padEnd(width, '░')
    const first = [...this.running.entries()][0]
    const what = first ? ` · ${first[0]}: ${first[1].message ?? ''}` : ''
    const text = `${bar} ${(f * 100).toFixed(0).padStart(3)}% ${this.done}/${this.total} cases${what}`
    this.clear()
    process.stderr.write(text.slice(0, (process.stderr.columns || 100) - 1))
  }
  end() {
    this.clear()
  }
}

interface ReportCase {
  case: string
  kind: CaseEntry['kind']
  status: 'ok' | 'failed' | 'skipped'
  ms?: number
  reason?: string
  code?: string
  failedStep?: { index: number; op: string }
  outputs?: string[]
}

async function runPool(tasks: CaseTask[], jobs: number, progress: Progress): Promise<CaseResult[]> {
  const results: CaseResult[] = []
  const queue = [...tasks]
  const n = Math.min(jobs, queue.length)
  const startWorker = (): Promise<void> => new Promise((done) => {
    const w = new Worker(workerUrl())
    let current: CaseTask | null = null
    const next = () => {
      current = queue.shift() ?? null
      if (!current) {
        w.postMessage({ type: 'exit' } satisfies ToWorker)
        return
      }
      progress.update(current.entry.name, 0, 'queued')
      w.postMessage({ type: 'case', task: current } satisfies ToWorker)
    }
    w.on('message', (msg: FromWorker) => {
      if (msg.type === 'progress') progress.update(msg.case, msg.fraction, msg.message)
      else {
        const r = msg.result
        results.push(r)
        progress.finish(r.case)
        progress.line(r.status === 'ok'
          ? `ok      ${r.case}  ${secs(r.ms)}  → ${r.outputs.join(', ')}`
          : `FAILED  ${r.case}  ${secs(r.ms)}  ${r.reason}`)
        current = null
        next()
      }
    })
    w.on('error', (e) => {
      // The thread died (e.g. out of memory): its case fails, a new thread takes the rest.
      if (current) {
        results.push({ status: 'failed', case: current.entry.name, ms: 0, reason: `worker thread died: ${e.message}` })
        progress.finish(current.entry.name)
        progress.line(`FAILED  ${current.entry.name}  worker thread died: ${e.message}`)
        current = null
      }
    })
    w.on('exit', () => {
      if (current) {
        results.push({ status: 'failed', case: current.entry.name, ms: 0, reason: 'worker thread exited during the case' })
        progress.finish(current.entry.name)
        current = null
      }
      if (queue.length > 0) startWorker().then(done)
      else done()
    })
    next()
  })
  await Promise.all(Array.from({ length: n }, startWorker))
  return results
}

async function run(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv)
  const pipeline = await loadPipeline(args.pipeline)
  const hash = await pipelineHash(pipeline)
  const input = resolve(args.input)
  const output = resolve(args.output)
  let found
  try {
    found = await discoverCases(input)
  } catch (e) {
    throw new UsageError(`cannot read the input folder ${args.input}: ${(e as Error).message}`)
  }
  const dups = duplicateNames(found.cases)
  if (dups.length) throw new UsageError(`two inputs would write the same outputs: ${dups.join(', ')} (e.g. a.nii and a.nii.gz); rename one`)
  const mine = args.shard ? shardCases(found.cases, args.shard.index, args.shard.count) : found.cases
  if (args.dryRun) {
    process.stdout.write(`pipeline "${pipeline.name}" hash ${hash}\n`)
    for (const c of mine) {
      const done = !args.force && (await completedProvenance(output, c.name, hash))
      process.stdout.write(`${done ? 'done' : 'todo'}\t${c.name}\t${c.kind}\n`)
    }
    for (const i of found.ignored) process.stdout.write(`ignored\t${i.name}\t${i.reason}\n`)
    return 0
  }
  await mkdir(output, { recursive: true })
  const started = new Date()
  const t0 = performance.now()
  const tty = !!process.stderr.isTTY
  const shardText = args.shard ? ` (shard ${args.shard.index}/${args.shard.count} of ${found.cases.length})` : ''
  if (!args.quiet) {
    process.stderr.write(`mip: pipeline "${pipeline.name}" (${pipeline.steps.length} steps, hash ${hash.slice(0, 12)}), ${mine.length} case(s)${shardText}, up to ${args.jobs} job(s), step limit ${formatBytes(args.maxStepBytes)}\n`)
    for (const i of found.ignored) process.stderr.write(`ignored ${i.name}: ${i.reason}\n`)
  }
  const report: ReportCase[] = []
  const todo: CaseTask[] = []
  for (const c of mine) {
    const done = args.force ? null : await completedProvenance(output, c.name, hash)
    if (done) {
      report.push({ case: c.name, kind: c.kind, status: 'skipped', reason: 'outputs exist and match the pipeline', outputs: [...done.outputs.map((o) => o.file), `${c.name}.json`] })
      if (!args.quiet) process.stderr.write(`skip    ${c.name}  (outputs match the pipeline)\n`)
    } else {
      todo.push({ entry: c, pipeline, pipelineHash: hash, outDir: output, maxStepBytes: args.maxStepBytes, writeMasks: args.writeMasks, gzipLevel: args.gzipLevel })
    }
  }
  const progress = new Progress(todo.length, tty, args.quiet)
  const results = await runPool(todo, args.jobs, progress)
  progress.end()
  const byName = new Map(results.map((r) => [r.case, r]))
  for (const t of todo) {
    const r = byName.get(t.entry.name)
    if (!r) report.push({ case: t.entry.name, kind: t.entry.kind, status: 'failed', reason: 'not run' })
    else if (r.status === 'ok') report.push({ case: r.case, kind: t.entry.kind, status: 'ok', ms: r.ms, outputs: r.outputs })
    else report.push({ case: r.case, kind: t.entry.kind, status: 'failed', ms: r.ms, reason: r.reason, ...(r.code ? { code: r.code } : {}), ...(r.failedStep ? { failedStep: r.failedStep } : {}) })
  }
  report.sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : 0))
  const counts = { total: report.length, ok: 0, failed: 0, skipped: 0 }
  for (const r of report) counts[r.status]++
  const reportFile = args.shard ? `run-report-shard-${args.shard.index}-of-${args.shard.count}.json` : 'run-report.json'
  const ms = performance.now() - t0
  await writeAtomic(join(output, reportFile), JSON.stringify({
    format: 'med-imaging-primer/run-report', version: 1,
    pipeline: { name: pipeline.name, hash, file: args.pipeline },
    library: { name: LIBRARY_NAME, version: LIBRARY_VERSION },
    startedAt: started.toISOString(), finishedAt: new Date().toISOString(), ms,
    jobs: args.jobs, shard: args.shard, casesInInput: found.cases.length, ignored: found.ignored,
    counts, cases: report,
  }, null, 2) + '\n')
  process.stderr.write(`mip: ${counts.ok} ok, ${counts.failed} failed, ${counts.skipped} skipped of ${counts.total} in ${secs(ms)}; report ${join(args.output, reportFile)}\n`)
  for (const r of report) if (r.status === 'failed') process.stderr.write(`  failed ${r.case}: ${r.reason}\n`)
  return counts.failed > 0 ? 2 : 0
}

async function validateCommand(argv: string[]): Promise<number> {
  if (argv.length !== 1) throw new UsageError('mip validate needs one pipeline file')
  const p = await loadPipeline(argv[0])
  process.stdout.write(`${argv[0]}: valid pipeline "${p.name}", hash ${await pipelineHash(p)}\n`)
  p.steps.forEach((s, i) => process.stdout.write(`  ${i + 1}. ${s.op} ${JSON.stringify(s.options ?? {})}${s.optional ? ' (optional)' : ''}\n`))
  return 0
}

function opsCommand(): number {
  for (const name of OPERATION_NAMES) {
    const s = OPERATIONS[name]
    const tags = [s.produces === 'mask' ? `makes mask '${s.options.maskName?.default}'` : '', s.needsMask ? 'needs a mask' : s.maskInputs ? 'can use a mask' : '', s.spatial ? 'moves voxels (masks follow)' : ''].filter(Boolean)
    process.stdout.write(`${name} — ${s.description}${tags.length ? ` [${tags.join('; ')}]` : ''}\n    ${s.signature}\n`)
    for (const [k, o] of Object.entries(s.options)) {
      const extra = [o.type === 'enum' ? o.values.map((v) => JSON.stringify(v)).join('|') : o.type, 'unit' in o && o.unit ? o.unit : '', o.required ? 'required' : '', 'default' in o && o.default !== undefined ? `default ${JSON.stringify(o.default)}` : ''].filter(Boolean).join(', ')
      process.stdout.write(`      ${k} (${extra}): ${o.description}\n`)
    }
  }
  return 0
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(USAGE + '\n')
      return cmd === undefined ? 1 : 0
    }
    if (cmd === '--version' || cmd === '-v') {
      process.stdout.write(`${LIBRARY_VERSION}\n`)
      return 0
    }
    if (cmd === 'run') {
      if (rest.includes('--help')) {
        process.stdout.write(USAGE + '\n')
        return 0
      }
      return await run(rest)
    }
    if (cmd === 'validate') return await validateCommand(rest)
    if (cmd === 'ops') return opsCommand()
    throw new UsageError(`unknown command ${JSON.stringify(cmd)} (use run, validate, ops or --help)`)
  } catch (e) {
    const err = e as Error & { code?: string }
    if (e instanceof UsageError) process.stderr.write(`mip: ${err.message}\nRun mip --help for usage.\n`)
    else if (err.name === 'PipelineError') process.stderr.write(`mip: pipeline error [${err.code}]: ${err.message}\n`)
    else process.stderr.write(`mip: ${err.stack ?? err.message}\n`)
    return 1
  }
}

// Run when executed (not when imported by a test).
const self = process.argv[1] ? resolve(process.argv[1]) : ''
if (self && (import.meta.url === `file://${self}` || /[\\/](mip|mip\.[jt]s)$/.test(self))) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code })
}

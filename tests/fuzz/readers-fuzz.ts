/**
 * Seeded mutation fuzz of the file readers (issue 13): each mutated input is read in a child
 * process with a time limit and a memory watchdog, and must either give a valid image or throw
 * the library's own error (DicomError / NiftiError) with a code and a message in plain words.
 * Each mutated DICOM file is also dropped into a folder with a good 5-slice series
 * (series_oblique): readDicomSeries and listDicomSeries of that folder must not fail and must
 * choose a series of at least 5 slices, whatever the mutated file is.
 *
 *   npx tsx tests/fuzz/readers-fuzz.ts --count 2000 --seed 1      (npm run fuzz -- --count N --seed S)
 *
 * Prints one line per failing input and writes each reproducer to tests/fuzz/found/ (or --out);
 * exits 1 when any input breaks a rule. Mutations: bit flips, byte runs set to 0x00/0xFF/random,
 * 16/32-bit fields set to extreme values, truncation, deletion, duplication of a chunk.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mulberry32 } from '../../src/random'

const here = fileURLToPath(new URL('.', import.meta.url))
const root = join(here, '..', '..')

export interface FuzzOptions {
  count: number
  seed: number
  /** Per-input limit in ms (a hang). Default 10 000. */
  timeoutMs?: number
  /** Resident memory of the child above which the input counts as a blow-up. Default 1.5 GiB. */
  maxRssBytes?: number
  /** Seeds larger than this are skipped (keeps each input fast). Default 40 000 bytes. */
  maxSeedBytes?: number
  /** Include seeds that go through itk-wasm (JPEG, JPEG-LS, JPEG 2000): slower. Default false. */
  compressed?: boolean
  onFailure?: (f: FuzzFailure) => void
}

export interface FuzzFailure {
  seedFile: string
  mutation: string
  reason: string
  bytes: Uint8Array
}

const COMPRESSED = /J2K|JPG|jpeg|jpeg_ls/i

export function fuzzSeeds(opts: Pick<FuzzOptions, 'maxSeedBytes' | 'compressed'> = {}): { name: string; kind: 'dicom' | 'nifti'; bytes: Uint8Array }[] {
  const max = opts.maxSeedBytes ?? 40_000
  const out: { name: string; kind: 'dicom' | 'nifti'; bytes: Uint8Array }[] = []
  const dicomDir = join(root, 'tests/reference/io/dicom/files')
  for (const f of readdirSync(dicomDir).sort()) {
    const p = join(dicomDir, f)
    if (!statSync(p).isFile() || statSync(p).size > max) continue
    if (!opts.compressed && COMPRESSED.test(f)) continue
    out.push({ name: f, kind: 'dicom', bytes: new Uint8Array(readFileSync(p)) })
  }
  const niftiDir = join(root, 'tests/reference/io/nifti/fixtures')
  for (const f of readdirSync(niftiDir).sort()) {
    const p = join(niftiDir, f)
    if (!/\.nii(\.gz)?$/.test(f) || statSync(p).size > max) continue
    out.push({ name: f, kind: 'nifti', bytes: new Uint8Array(readFileSync(p)) })
  }
  return out
}

/** One seeded mutation of `src`, with a description. */
export function mutate(src: Uint8Array, rand: () => number): { bytes: Uint8Array; what: string } {
  const n = src.length
  const at = Math.floor(rand() * n)
  const kind = Math.floor(rand() * 7)
  const b = src.slice()
  switch (kind) {
    case 0: {
      const flips = 1 + Math.floor(rand() * 4)
      for (let i = 0; i < flips; i++) { const k = Math.floor(rand() * n); b[k] ^= 1 << Math.floor(rand() * 8) }
      return { bytes: b, what: `flip ${flips} bit(s) from ${at}` }
    }
    case 1: {
      const len = 1 + Math.floor(rand() * 16)
      const v = [0x00, 0xff, Math.floor(rand() * 256)][Math.floor(rand() * 3)]!
      b.fill(v, at, Math.min(n, at + len))
      return { bytes: b, what: `set ${len} bytes at ${at} to ${v}` }
    }
    case 2: {
      // An extreme little-endian 16- or 32-bit value: sizes, lengths, counts.
      const values = [0, 1, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 10_000_000]
      const v = values[Math.floor(rand() * values.length)]!
      const wide = rand() < 0.5
      const dv = new DataView(b.buffer)
      const pos = Math.min(at, n - (wide ? 4 : 2))
      if (pos >= 0) wide ? dv.setUint32(pos, v >>> 0, true) : dv.setUint16(pos, v & 0xffff, true)
      return { bytes: b, what: `set ${wide ? 32 : 16}-bit ${v} at ${pos}` }
    }
    case 3:
      return { bytes: src.slice(0, at), what: `truncate to ${at}` }
    case 4: {
      const len = 1 + Math.floor(rand() * 64)
      return { bytes: new Uint8Array([...src.subarray(0, at), ...src.subarray(Math.min(n, at + len))]), what: `delete ${len} at ${at}` }
    }
    case 5: {
      const len = 1 + Math.floor(rand() * 64)
      const chunk = src.subarray(at, Math.min(n, at + len))
      return { bytes: new Uint8Array([...src.subarray(0, at), ...chunk, ...src.subarray(at)]), what: `duplicate ${chunk.length} at ${at}` }
    }
    default: {
      const k = Math.floor(rand() * 4)
      for (let i = 0; i < 8; i++) b[Math.min(n - 1, at + i)] = Math.floor(rand() * 256)
      return { bytes: b, what: `random 8 bytes at ${at} (${k})` }
    }
  }
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Runs the fuzz; resolves with the failures (also reported through onFailure as they happen). */
export async function runFuzz(opts: FuzzOptions): Promise<{ inputs: number; failures: FuzzFailure[]; outcomes: Record<string, number> }> {
  const seeds = fuzzSeeds(opts)
  const rand = mulberry32(opts.seed >>> 0)
  const timeoutMs = opts.timeoutMs ?? 10_000
  const maxRss = opts.maxRssBytes ?? 1.5 * 2 ** 30
  const failures: FuzzFailure[] = []
  const outcomes: Record<string, number> = {}
  let child: ChildProcess | null = null
  const start = () => {
    child = fork(join(here, 'reader-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] })
    return child
  }
  const ask = (kind: string, bytes: Uint8Array): Promise<{ ok: boolean; reason?: string; outcome: string }> =>
    new Promise((resolve) => {
      const c = child ?? start()
      let done = false
      const finish = (r: { ok: boolean; reason?: string; outcome: string }, kill = false) => {
        if (done) return
        done = true
        clearTimeout(timer)
        clearInterval(watch)
        c.off('message', onMessage)
        c.off('exit', onExit)
        if (kill) { c.kill('SIGKILL'); child = null }
        resolve(r)
      }
      const onMessage = (m: { ok: boolean; reason?: string; outcome: string }) => finish(m)
      const onExit = (code: number | null, signal: string | null) => { child = null; finish({ ok: false, reason: `child died (exit ${code}, ${signal})`, outcome: 'crash' }) }
      const timer = setTimeout(() => finish({ ok: false, reason: `hang: no answer in ${timeoutMs} ms`, outcome: 'hang' }, true), timeoutMs)
      const watch = setInterval(() => {
        const rss = c.pid ? rssOf(c.pid) : 0
        if (rss > maxRss) finish({ ok: false, reason: `memory: child resident ${Math.round(rss / 2 ** 20)} MiB`, outcome: 'memory' }, true)
      }, 50)
      c.on('message', onMessage)
      c.on('exit', onExit)
      c.send({ kind, bytes: Buffer.from(bytes).toString('base64') })
    })
  try {
    for (let i = 0; i < opts.count; i++) {
      const seed = seeds[Math.floor(rand() * seeds.length)]!
      const m = mutate(seed.bytes, rand)
      const r = await ask(seed.kind, m.bytes)
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1
      if (!r.ok) {
        const f = { seedFile: seed.name, mutation: m.what, reason: r.reason ?? '?', bytes: m.bytes }
        failures.push(f)
        opts.onFailure?.(f)
      }
    }
  } finally {
    ;(child as ChildProcess | null)?.kill('SIGKILL')
  }
  return { inputs: opts.count, failures, outcomes }
}

async function cli(argv: string[]): Promise<void> {
  const arg = (name: string, def: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : def }
  const outArg = argv.indexOf('--out')
  const out = outArg >= 0 ? argv[outArg + 1]! : join(here, 'found')
  const count = arg('--count', 2000)
  const seed = arg('--seed', 1)
  const t0 = Date.now()
  let n = 0
  const r = await runFuzz({
    count, seed, compressed: argv.includes('--compressed'),
    onFailure: (f) => {
      mkdirSync(out, { recursive: true })
      const file = join(out, `seed${seed}-${n++}-${f.seedFile}`)
      writeFileSync(file, f.bytes)
      console.log(`FAIL ${f.seedFile} [${f.mutation}]: ${f.reason} -> ${file}`)
    },
  })
  console.log(`${r.inputs} inputs, seed ${seed}, ${r.failures.length} failure(s), outcomes ${JSON.stringify(r.outcomes)}, ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  process.exitCode = r.failures.length ? 1 : 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void cli(process.argv.slice(2))

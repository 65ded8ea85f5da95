/** `npm run bench`: runs every bench/*.bench.ts and prints one table. */
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'
import type { BenchRow } from './harness'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv[2]
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort()
const rows: BenchRow[] = []
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<BenchRow[]> }
  process.stderr.write(`running ${f}…\n`)
  rows.push(...(await mod.default()))
}
const fmt = (v: number | undefined) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(0))
const table = rows.map((r) => ({
  operation: r.operation,
  input: r.input,
  'ours ms': fmt(r.ms),
  reference: r.reference ?? '—',
  'ref ms': fmt(r.referenceMs),
  ratio: r.referenceMs ? (r.ms / r.referenceMs).toFixed(2) + '×' : '—',
  target: r.target ?? '',
  note: r.note ?? '',
}))
console.table(table)

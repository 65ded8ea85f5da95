// `npm run build:lib` (and `prepare`): compiles the library and the mip CLI to dist/ (ESM +
// .d.ts) with tsc -p tsconfig.build.json, then adds the file extensions Node's ESM resolver
// needs to relative imports ('./image' → './image.js', './io/index' stays './io/index.js'),
// since the sources import without extensions (bundler resolution, as Vite and vitest use).
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
rmSync(dist, { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root })
if (r.status !== 0) process.exit(r.status ?? 1)

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

const SPEC = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g
let rewritten = 0
for (const file of files(dist)) {
  const isDts = file.endsWith('.d.ts')
  if (!isDts && !file.endsWith('.js')) continue
  const text = readFileSync(file, 'utf8')
  const out = text.replace(SPEC, (m, lead, q, spec) => {
    if (/\.(m?js|json)$/.test(spec)) return m
    const base = resolve(dirname(file), spec)
    const ext = isDts ? '.d.ts' : '.js'
    let to
    if (existsSync(base + ext)) to = spec + '.js'
    else if (existsSync(join(base, 'index' + ext))) to = spec + '/index.js'
    else throw new Error(`${file}: cannot resolve ${spec}`)
    rewritten++
    return `${lead}${q}${to}${q}`
  })
  if (out !== text) writeFileSync(file, out)
}
chmodSync(join(dist, 'cli', 'mip.js'), 0o755)
console.error(`build:lib: dist/ written (${rewritten} relative imports given extensions)`)

/**
 * The library is a real package: `npm pack` (which runs `prepare` = build:lib: compiled ESM +
 * .d.ts in dist/) gives a tarball that installs in an empty project and works there in plain
 * Node — `import { readDicomSeries } from 'med-imaging-primer'` and `npx mip`, no tsx.
 *
 * The install is offline. npm's cache on a machine that ran `npm ci` holds the dependency
 * tarballs but not their registry metadata, so `npm install --offline` of the tarball alone stops
 * with ENOTCACHED; the temporary project therefore declares the runtime dependencies as `file:`
 * links to this repository's node_modules (the same versions the lock file pins), and npm
 * installs the tarball itself from the file, as a consumer's npm would from the registry.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const exec = promisify(execFile)
const root = fileURLToPath(new URL('../../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'mip-pack-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('npm pack', () => {
  it('installs in an empty project: import readDicomSeries and npx mip work in plain Node', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> }
    const packed = await exec('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, maxBuffer: 64 << 20 })
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[]
    const tarball = join(dir, info[0].filename)
    const paths = info[0].files.map((f) => f.path)
    expect(paths).toContain('dist/index.js')
    expect(paths).toContain('dist/index.d.ts')
    expect(paths).toContain('dist/cli/mip.js')
    expect(paths).toContain('pipelines/ct-lung.json')
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('tests/') || p.startsWith('docs/'))).toBe(false)

    const project = join(dir, 'project')
    mkdirSync(project)
    const modules = realpathSync(join(root, 'node_modules'))
    const deps = Object.fromEntries(Object.keys(pkg.dependencies).map((d) => [d, `file:${join(modules, d)}`]))
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: deps }))
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project })
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8')) as { version: string }
    expect(installed.version).toBe(pkg.version)

    const sample = join(root, 'public/data/CT_small.dcm')
    const script = `import('med-imaging-primer').then(async (m) => {
      const { readFileSync } = await import('node:fs')
      const ct = await m.readDicomSeries([new Uint8Array(readFileSync(${JSON.stringify(sample)}))])
      console.log(JSON.stringify({ size: ct.size, type: ct.imageType.componentType, ops: m.OPERATION_NAMES.length, version: m.LIBRARY_VERSION }))
    })`
    const run = await exec(process.execPath, ['-e', script], { cwd: project })
    expect(JSON.parse(run.stdout)).toEqual({ size: [128, 128, 1], type: 'int16', ops: expect.any(Number), version: pkg.version })

    const help = await exec('npx', ['--no-install', 'mip', '--help'], { cwd: project })
    expect(help.stdout).toMatch(/mip run --pipeline P\.json --input DIR --output OUT/)

    // The compiled CLI with its compiled worker thread, on one case.
    mkdirSync(join(project, 'in', 'ct'), { recursive: true })
    writeFileSync(join(project, 'in', 'ct', 'a.dcm'), readFileSync(sample))
    writeFileSync(join(project, 'p.json'), JSON.stringify({ format: 'med-imaging-primer/pipeline', version: 1, name: 'p', steps: [{ op: 'clipIntensity', options: { min: -1200, max: 600 } }, { op: 'castPixelType', options: { componentType: 'int16' } }] }))
    const mip = await exec('npx', ['--no-install', 'mip', 'run', '--pipeline', 'p.json', '--input', 'in', '--output', 'out', '--jobs', '1'], { cwd: project })
    expect(mip.stderr).toMatch(/1 ok, 0 failed/)
    expect(readdirSync(join(project, 'out')).sort()).toEqual(['ct.json', 'ct.nii.gz', 'run-report.json'])
  }, 180_000)
})

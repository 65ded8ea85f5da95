/**
 * Records what ITK 5.2 (Debian libinsighttoolkit5-dev, C++ itk::ImageFileReader + NiftiImageIO)
 * reads from every fixture and from the seeded random headers, into itk52/expected.json.
 *   cmake -S tests/reference/io/nifti/itk52 -B /tmp/itk52-build && cmake --build /tmp/itk52-build
 *   npx tsx tests/reference/io/nifti/itk52/run-itk52.ts /tmp/itk52-build/itk_nifti_geometry
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomNiftiCases } from '../random-headers'

const here = dirname(fileURLToPath(import.meta.url))
const exe = process.argv[2] ?? '/tmp/itk52-build/itk_nifti_geometry'
const fixtures = join(here, '..', 'fixtures')
const tmp = mkdtempSync(join(tmpdir(), 'itk52-'))
const files: [string, string][] = readdirSync(fixtures).filter((f) => !f.endsWith('.img')).map((f) => [f, join(fixtures, f)])
for (const c of randomNiftiCases(40)) {
  const p = join(tmp, `${c.name}.nii`)
  writeFileSync(p, c.bytes)
  files.push([c.name, p])
}
const out: Record<string, unknown> = {}
for (const [name, path] of files) {
  const line = execFileSync(exe, [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  const json = line.slice(line.indexOf('{'))
  out[name] = JSON.parse(json)
}
writeFileSync(join(here, 'expected.json'), JSON.stringify(out, null, 1))
rmSync(tmp, { recursive: true, force: true })
console.log(`${Object.keys(out).length} files recorded`)

import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import * as dicomParserNs from 'dicom-parser'
import type { DataSet } from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePhantom, makeBadNifti, phantomUid } from '../../../scripts/make-thorax-phantom'

// dicom-parser is a UMD bundle: its API is the namespace or its default export depending on the loader.
const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs) as typeof dicomParserNs

/** Output of tests/reference/phantom/check-phantom.py (pydicom + dcmdump) on the full series. */
const reference = JSON.parse(readFileSync(new URL('../../reference/phantom/check-phantom.json', import.meta.url), 'utf8')) as {
  sha256: Record<string, string>
  pass: boolean
  probes: { name: string; ijk: [number, number, number]; file: string; expectedHU: number; tolerance: number }[]
}

interface Probe { name: string; world: number[]; ijk: [number, number, number]; file: string; expectedHU: number; tolerance: number }
interface Manifest {
  files: string[]
  sliceZ: number[]
  seriesInstanceUID: string
  landmarks: { probes: Probe[]; nodules: { name: string; center: number[]; file: string }[]; metal: { screwSliceFiles: string[] } }
}

// The slices holding nodule N1 + trachea + arch (17), most probes (35), GGO N3 (38), screws (46), LV (51).
const SLICES = [17, 35, 38, 46, 51]

let dirA = ''
let dirB = ''
let manifest: Manifest

beforeAll(() => {
  dirA = mkdtempSync(join(tmpdir(), 'phantom-a-'))
  dirB = mkdtempSync(join(tmpdir(), 'phantom-b-'))
  generatePhantom({ outDir: dirA, onlySlices: SLICES })
  generatePhantom({ outDir: dirB, onlySlices: [SLICES[0]!, SLICES[3]!] })
  manifest = JSON.parse(readFileSync(join(dirA, 'index.json'), 'utf8')) as Manifest
})
afterAll(() => {
  rmSync(dirA, { recursive: true, force: true })
  rmSync(dirB, { recursive: true, force: true })
})

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const fileName = (a: number) => `slice-${String(a).padStart(3, '0')}.dcm`

function parse(a: number): { ds: DataSet; bytes: Uint8Array } {
  const bytes = new Uint8Array(readFileSync(join(dirA, fileName(a))))
  return { ds: dicomParser.parseDicom(bytes), bytes }
}

/** HU at (column i, row j) from the raw pixel bytes and the rescale tags. */
function huAt(ds: DataSet, bytes: Uint8Array, i: number, j: number): number {
  const px = ds.elements['x7fe00010']!
  const cols = ds.uint16('x00280011')!
  const o = px.dataOffset + 2 * (j * cols + i)
  const stored = bytes[o]! | (bytes[o + 1]! << 8)
  return stored * Number(ds.floatString('x00281053')) + Number(ds.floatString('x00281052'))
}
function median5x5(ds: DataSet, bytes: Uint8Array, i: number, j: number): number {
  const v: number[] = []
  for (let dj = -2; dj <= 2; dj++) for (let di = -2; di <= 2; di++) v.push(huAt(ds, bytes, i + di, j + dj))
  v.sort((a, b) => a - b)
  return v[12]!
}

describe('make-thorax-phantom', () => {
  it('is deterministic: the same slice bytes on two runs, and equal to the series validated by pydicom/dcmdump', () => {
    expect(reference.pass).toBe(true)
    for (const a of [SLICES[0]!, SLICES[3]!]) {
      const x = readFileSync(join(dirA, fileName(a)))
      const y = readFileSync(join(dirB, fileName(a)))
      expect(sha256(x)).toBe(sha256(y))
      expect(sha256(x)).toBe(reference.sha256[fileName(a)])
    }
    // A partial run writes the same manifest as the full run the reference checked.
    expect(sha256(readFileSync(join(dirA, 'index.json')))).toBe(reference.sha256['index.json'])
  })

  it('writes a proper Part-10 header and the CT tags', () => {
    const { ds, bytes } = parse(17)
    expect(String.fromCharCode(...bytes.subarray(128, 132))).toBe('DICM')
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1')
    expect(ds.string('x00020002')).toBe('1.2.840.10008.5.1.4.1.1.2')
    expect(ds.string('x00020003')).toBe(ds.string('x00080018'))
    expect(ds.string('x00020012')).toMatch(/^2\.25\.\d+$/)
    // Group length = bytes of the remaining group-0002 elements.
    const metaEnd = Object.values(ds.elements).filter((e) => e.tag.startsWith('x0002')).reduce((m, e) => Math.max(m, e.dataOffset + e.length), 0)
    const afterGroupLength = ds.elements['x00020000']!.dataOffset + 4
    expect(ds.uint32('x00020000')).toBe(metaEnd - afterGroupLength)
    expect(ds.string('x00080060')).toBe('CT')
    expect(ds.string('x00100010')).toBe('Phantom^Thorax')
    expect(ds.string('x0008103e')).toBe('Synthetic thorax CT phantom (not a patient)')
    expect(ds.string('x00080008')).toBe('DERIVED\\SECONDARY\\AXIAL')
    expect(ds.string('x00080070')).toBe('Medical Imaging Primer (synthetic)')
    expect(ds.uint16('x00280010')).toBe(512)
    expect(ds.uint16('x00280011')).toBe(512)
    expect(ds.string('x00280030')).toBe('0.7\\0.7')
    expect(ds.string('x00200037')).toBe('1\\0\\0\\0\\1\\0')
    expect(ds.floatString('x00180050')).toBe(2.5)
    expect(ds.uint16('x00280100')).toBe(16)
    expect(ds.uint16('x00280101')).toBe(16)
    expect(ds.uint16('x00280102')).toBe(15)
    expect(ds.uint16('x00280103')).toBe(0)
    expect(ds.floatString('x00281052')).toBe(-1024)
    expect(ds.floatString('x00281053')).toBe(1)
    expect(ds.string('x00281054')).toBe('HU')
    expect(ds.string('x0020000e')).toBe(manifest.seriesInstanceUID)
    expect(ds.elements['x7fe00010']!.length).toBe(512 * 512 * 2)
    // Every value has even length (PS3.5 §7.1); UIDs are padded with NUL, never with a space.
    for (const e of Object.values(ds.elements)) expect(e.length % 2, e.tag).toBe(0)
    const sop = ds.elements['x00080018']!
    expect(bytes[sop.dataOffset + sop.length - 1] === 0 || /\d/.test(String.fromCharCode(bytes[sop.dataOffset + sop.length - 1]!))).toBe(true)
  })

  it('places slices head-first supine: z from ImagePositionPatient, file order is acquisition order (z decreasing)', () => {
    const z = SLICES.map((a) => {
      const { ds } = parse(a)
      expect(ds.intString('x00200013')).toBe(a + 1)
      const ipp = ds.string('x00200032')!.split('\\').map(Number)
      expect(ipp[0]).toBeCloseTo(-178.85, 6)
      expect(ipp[1]).toBeCloseTo(-178.85, 6)
      expect(ds.floatString('x00201041')).toBeCloseTo(ipp[2]!, 6)
      expect(manifest.sliceZ[a]).toBeCloseTo(ipp[2]!, 6)
      return ipp[2]!
    })
    for (let n = 1; n < z.length; n++) expect(z[n]! - z[n - 1]!).toBeCloseTo(-2.5 * (SLICES[n]! - SLICES[n - 1]!), 6)
  })

  it('has the documented HU at anatomical points (nodules, vessels, bone, metal, lung, air)', () => {
    const probes = manifest.landmarks.probes.filter((p) => SLICES.includes(manifest.files.indexOf(p.file)))
    expect(probes.length).toBeGreaterThanOrEqual(14)
    for (const p of probes) {
      const { ds, bytes } = parse(manifest.files.indexOf(p.file))
      const hu = median5x5(ds, bytes, p.ijk[0], p.ijk[1])
      expect(Math.abs(hu - p.expectedHU), `${p.name}: ${hu} vs ${p.expectedHU}`).toBeLessThanOrEqual(p.tolerance)
    }
    // Key contrasts a chapter relies on: metal above the 3000 HU threshold, GGO between lung and soft tissue.
    const { ds: dsScrew, bytes: bScrew } = parse(46)
    const screw = manifest.landmarks.probes.find((p) => p.name.startsWith('pedicle screw'))!
    expect(huAt(dsScrew, bScrew, screw.ijk[0], screw.ijk[1])).toBeGreaterThan(3000)
    const ggo = manifest.landmarks.probes.find((p) => p.name === 'nodule N3 ground-glass rim')!
    const { ds: dsN3, bytes: bN3 } = parse(38)
    const g = median5x5(dsN3, bN3, ggo.ijk[0], ggo.ijk[1])
    expect(g).toBeGreaterThan(-700)
    expect(g).toBeLessThan(-300)
    // Outside the body: air at −1000 ± noise, clamped at the unsigned floor (−1024).
    let min = Infinity
    for (let i = 0; i < 40; i++) min = Math.min(min, huAt(dsN3, bN3, i, 5))
    expect(min).toBeGreaterThanOrEqual(-1024)
  })

  it('the manifest agrees with the reference probes', () => {
    expect(manifest.landmarks.probes.map((p) => [p.name, p.ijk, p.file])).toEqual(reference.probes.map((p) => [p.name, p.ijk, p.file]))
    expect(manifest.landmarks.nodules.map((n) => n.name)).toEqual(['N1', 'N2', 'N3', 'N4'])
    expect(manifest.landmarks.metal.screwSliceFiles).toEqual(['slice-046.dcm', 'slice-056.dcm'])
  })

  it('derives UIDs deterministically under 2.25 and rejects bad slice indices', () => {
    expect(phantomUid('series')).toBe(phantomUid('series'))
    expect(phantomUid('series')).not.toBe(phantomUid('study'))
    expect(phantomUid('instance/71').length).toBeLessThanOrEqual(64)
    expect(() => generatePhantom({ outDir: dirB, onlySlices: [72] })).toThrow(/slice index 72 out of range/)
  })

  it('makes the malformed NIfTI of public/data/bad (gzip ok, sizeof_hdr wrong)', () => {
    for (const gz of [makeBadNifti(), new Uint8Array(readFileSync(new URL('../../../public/data/bad/not-a-scan.nii.gz', import.meta.url)))]) {
      const raw = gunzipSync(gz)
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
      expect(dv.getInt32(0, true)).toBe(540)
      expect(String.fromCharCode(raw[344]!, raw[345]!, raw[346]!)).toBe('n+1')
    }
  })
})

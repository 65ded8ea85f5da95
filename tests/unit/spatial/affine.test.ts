/**
 * imageAffine against nibabel 5 (tests/reference/io/geometry/make-affines.py): the LPS affine of
 * DICOM slices read by the library, the RAS affine of NIfTI volumes, and the stacked thorax
 * phantom series, whose affine must reproduce each slice file's own ImagePositionPatient.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDicomSeries, readNifti } from '../../../src/io'
import { AffineError, applyAffine, flipLpsRas, imageAffine } from '../../../src/spatial'
import { makeImage } from '../../../src/image'

const ROOT = join(__dirname, '../../..')
const ref = JSON.parse(readFileSync(join(ROOT, 'tests/reference/io/geometry/affines.json'), 'utf8')) as Record<
  string,
  { space: 'LPS' | 'RAS'; affine?: number[][]; slicePositions?: Record<string, number[]>; source: string }
>
const bytes = (rel: string) => new Uint8Array(readFileSync(join(ROOT, rel)))

function expectClose(a: number[][], b: number[][], cols: number[], tol = 1e-5) {
  for (let r = 0; r < 4; r++) for (const c of cols) expect(a[r][c], `[${r}][${c}]`).toBeCloseTo(b[r][c], -Math.log10(tol))
}

describe('imageAffine vs nibabel', () => {
  for (const [name, r] of Object.entries(ref)) {
    if (!r.affine) continue
    it(`${name} (${r.space})`, async () => {
      const img = r.source.endsWith('.dcm') ? await readDicomSeries([bytes(r.source)]) : await readNifti(bytes(r.source))
      const ours = imageAffine(img, { space: r.space })
      // Rows, columns and origin: exactly nibabel's.
      expectClose(ours, r.affine!, [0, 1, 3])
      // Slice axis of a single slice: the same direction (r × c); its length is a convention.
      // nibabel takes SpacingBetweenSlices else SliceThickness; the library follows ITK/GDCM
      // (SpacingBetweenSlices, else 1 mm), so they differ when only SliceThickness is present.
      const n = (m: number[][]) => Math.hypot(m[0][2], m[1][2], m[2][2])
      for (let k = 0; k < 3; k++) expect(ours[k][2] / n(ours)).toBeCloseTo(r.affine![k][2] / n(r.affine!), 9)
      if (r.source.endsWith('.nii.gz') || name === 'CT_small.dcm' || name === '693_J2KI.dcm') expect(n(ours)).toBeCloseTo(n(r.affine!), 5)
    })
  }

  it('the stacked thorax phantom reproduces every reference slice position', async () => {
    const dir = join(ROOT, ref['ct-thorax-phantom'].source)
    const files = readdirSync(dir).filter((f) => f.endsWith('.dcm')).sort()
    const vol = await readDicomSeries(files.map((f) => new Uint8Array(readFileSync(join(dir, f)))))
    const m = imageAffine(vol)
    const nz = vol.size[2]
    // Files are numbered from the head down; the volume's k axis runs along +z (foot → head).
    for (const [file, pos] of Object.entries(ref['ct-thorax-phantom'].slicePositions!)) {
      const p = applyAffine(m, [0, 0, nz - 1 - Number(file)])
      p.forEach((v, i) => expect(v, `slice ${file}`).toBeCloseTo(pos[i], 4))
    }
  })
})

describe('imageAffine conventions', () => {
  it('RAS is LPS with x and y negated, and flipLpsRas converts both ways', () => {
    const img = makeImage([4, 5, 6], { spacing: [0.5, 0.7, 2], origin: [10, -20, 30] })
    const lps = imageAffine(img)
    const ras = imageAffine(img, { space: 'RAS' })
    expect(flipLpsRas(lps)).toEqual(ras)
    expect(flipLpsRas(ras)).toEqual(lps)
    expect(applyAffine(lps, [1, 2, 3])).toEqual([10.5, -18.6, 36])
    expect(applyAffine(ras, [1, 2, 3])).toEqual([-10.5, 18.6, 36])
  })
  it('a 2D image gets the normal of its two axes', () => {
    const img = makeImage([3, 3], { spacing: [2, 3] })
    expect(imageAffine(img).map((r) => r[2])).toEqual([0, 0, 1, 0])
  })
  it('refuses a 4D image and a bad point with codes', () => {
    const codeOf = (f: () => unknown) => {
      try { f() } catch (e) { return e instanceof AffineError ? e.code : 'not an AffineError' }
      return 'no error'
    }
    expect(codeOf(() => imageAffine(makeImage([2, 2, 2, 2])))).toBe('NOT_3D_GEOMETRY')
    const m = imageAffine(makeImage([2, 2, 2]))
    expect(codeOf(() => applyAffine(m, [1, Number.NaN, 0]))).toBe('BAD_INDEX')
    expect(codeOf(() => applyAffine(m, [1]))).toBe('BAD_INDEX')
  })
})

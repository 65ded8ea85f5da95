// reorientImage against ITK 5.2's OrientImageFilter (tests/reference/spatial/make-itk-orient-reference.sh):
// the same voxels, size, spacing, origin and direction for ten target orientations of a scan
// stored with permuted and flipped axes. ITK names an orientation by where each axis comes FROM
// (its "RAI" points toward L, P, S), so ITK's code is ours with every letter replaced by its opposite.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readNifti } from '../../../src/io/nifti'
import { orientationCode, reorientImage } from '../../../src/spatial/reorient'

const FIX = join(__dirname, '../../reference/spatial/itk-orient-fixtures')
const OPPOSITE: Record<string, string> = { R: 'L', L: 'R', A: 'P', P: 'A', S: 'I', I: 'S' }
const ours = (itkCode: string) => [...itkCode].map((c) => OPPOSITE[c]).join('')

describe('reorientImage vs ITK OrientImageFilter', async () => {
  const input = await readNifti(readFileSync(join(FIX, 'input.nii')))
  it('the input is stored in a non-canonical voxel order', () => {
    expect(orientationCode(input)).not.toBe('LPS')
  })
  for (const itkCode of ['RAI', 'LPI', 'RAS', 'LPS', 'AIR', 'ASL', 'ILP', 'PIR', 'SAL', 'IRP']) {
    it(`ITK ${itkCode} = our ${ours(itkCode)}: same voxels and geometry`, async () => {
      const itk = await readNifti(readFileSync(join(FIX, `itk-${itkCode}.nii`)))
      const out = reorientImage(input, ours(itkCode))
      expect(orientationCode(out)).toBe(ours(itkCode))
      expect(out.size).toEqual(itk.size)
      expect(Array.from(out.data as Float32Array)).toEqual(Array.from(itk.data as Float32Array))
      for (let a = 0; a < 3; a++) {
        expect(out.spacing[a]).toBeCloseTo(itk.spacing[a]!, 5)
        expect(out.origin[a]).toBeCloseTo(itk.origin[a]!, 4)
      }
      const d = Array.from(out.direction as ArrayLike<number>), e = Array.from(itk.direction as ArrayLike<number>)
      d.forEach((v, i) => expect(v).toBeCloseTo(e[i]!, 6))
    })
  }
})

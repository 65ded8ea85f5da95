/**
 * readNifti on a Colin27-sized volume (public/data/ch2.nii.gz when present, else a synthetic
 * 181×217×181 uint8 .nii.gz made in memory) against nibabel (load + get_fdata, Debian python3)
 * and ITK's NiftiImageIO through itk-wasm (readImageNode), plus writeNifti.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readImageNode } from '@itk-wasm/image-io'
import { makeImage } from '../src/image'
import { readNifti, readNiftiSync, writeNifti } from '../src/io/nifti'
import { pythonMedianMs, timeIt, type BenchRow } from './harness'

const NIBABEL = `
import sys
import nibabel as nib
path = sys.argv[1]
def run(): nib.load(path).get_fdata()
`

export default async function (): Promise<BenchRow[]> {
  const real = join(process.cwd(), 'public/data/ch2.nii.gz')
  let bytes: Uint8Array
  let input: string
  if (existsSync(real)) {
    bytes = new Uint8Array(readFileSync(real))
    input = 'ch2.nii.gz 181×217×181 uint8'
  } else {
    const [nx, ny, nz] = [181, 217, 181]
    const data = new Uint8Array(nx * ny * nz)
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      data[x + nx * (y + ny * z)] = (Math.hypot(x - 90, y - 108, z - 90) < 80 ? 100 + ((x * y + z) % 50) : 0)
    }
    bytes = new Uint8Array(writeNifti(makeImage([nx, ny, nz], { data, origin: [90, 126, -72], direction: [-1, 0, 0, 0, -1, 0, 0, 0, 1] })))
    input = 'synthetic 181×217×181 uint8 .nii.gz'
  }
  const dir = mkdtempSync(join(tmpdir(), 'nifti-bench-'))
  const file = join(dir, 'vol.nii.gz')
  writeFileSync(file, bytes)
  try {
    const img = await readNifti(bytes)
    const ours = await timeIt(() => readNifti(bytes), 9, 2)
    const oursSync = await timeIt(() => readNiftiSync(bytes), 9, 2)
    const nib = pythonMedianMs(NIBABEL, [file], 5)
    const itk = await timeIt(() => readImageNode(file), 3)
    const itkImg = await readImageNode(file)
    let same = itkImg.data!.length === img.data!.length
    for (let i = 0; same && i < img.data!.length; i++) same = img.data![i] === itkImg.data![i]
    const writeMs = await timeIt(() => writeNifti(img), 3)
    const writeRawMs = await timeIt(() => writeNifti(img, { gzip: false }), 5)
    return [
      { operation: 'readNifti (native DecompressionStream)', input, ms: ours, reference: 'nibabel 5.0 load+get_fdata', referenceMs: nib, note: `${bytes.length} bytes gz` },
      { operation: 'readNifti', input, ms: ours, reference: 'itk-wasm readImageNode (ITK NiftiImageIO, incl. file read)', referenceMs: itk, note: same ? 'data identical to ITK' : 'DATA DIFFERS from ITK' },
      { operation: 'readNiftiSync (fflate gunzip)', input, ms: oursSync, reference: 'nibabel 5.0 load+get_fdata', referenceMs: nib },
      { operation: 'writeNifti (gzip level 6)', input, ms: writeMs },
      { operation: 'writeNifti (no gzip)', input, ms: writeRawMs },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Writes writtenSamples() with writeNifti into written/ (see written-samples.ts). */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeNifti } from '../../../../src/io/nifti'
import { writtenSamples } from './written-samples'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'written')
for (const { name, image } of writtenSamples()) {
  writeFileSync(join(dir, `${name}.nii.gz`), new Uint8Array(writeNifti(image)))
  console.log('wrote', name)
}

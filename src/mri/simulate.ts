/**
 * A simulated MR image from a tissue-class map (see ./tissue-classes.ts) and a sequence: each
 * voxel gets the closed-form steady-state signal of its class (./signal.ts). No noise, no
 * partial volume, no coil sensitivity, no k-space: contrast only.
 */
import { makeImage, pixelData, type Image } from '../image'
import { MriSignalError, synthesizeFromClasses, type MriSequence, type TissueSet } from './signal'

/** Simulates an image on the class map's grid (float32, same geometry). */
export function simulateMriImage(classes: Image, tissues: TissueSet['tissues'], sequence: MriSequence): Image {
  if (!classes?.data || classes.imageType.components !== 1) throw new MriSignalError('BAD_PARAMETER', 'simulateMriImage: needs a scalar class map with pixel data')
  const data = synthesizeFromClasses(pixelData(classes), tissues, sequence)
  return makeImage(Array.from(classes.size), {
    data, spacing: Array.from(classes.spacing), origin: Array.from(classes.origin),
    direction: Float64Array.from(classes.direction as ArrayLike<number>), name: `simulated ${sequence.kind}`,
  })
}

/**
 * A simulated MR image from a tissue-class map (see ./tissue-classes.ts) and a sequence: each
 * voxel gets the closed-form steady-state signal of its class (./signal.ts). No noise, no
 * partial volume, no coil sensitivity, no k-space: contrast only.
 */
import { makeImage, pixelData, type Image } from '../image'
import { MriSignalError, synthesizeFromClasses, type MriSequence, type TissueSet } from './signal'

export interface SimulateMriImageOptions {
  /**
   * Factor applied to the signal (PD = 1 gives at most 1). MR intensities have arbitrary units,
   * and a display window needs a width ≥ 1 (DICOM PS3.3 C.11.2.1.2.1), so figures use 1000.
   * Default 1.
   */
  scale?: number
}

/** Simulates an image on the class map's grid (float32, same geometry). */
export function simulateMriImage(classes: Image, tissues: TissueSet['tissues'], sequence: MriSequence, options: SimulateMriImageOptions = {}): Image {
  if (!classes?.data || classes.imageType.components !== 1) throw new MriSignalError('BAD_PARAMETER', 'simulateMriImage: needs a scalar class map with pixel data')
  const scale = options.scale ?? 1
  if (!(scale > 0 && Number.isFinite(scale))) throw new MriSignalError('BAD_PARAMETER', `simulateMriImage: scale must be a positive number, got ${scale}`)
  const data = synthesizeFromClasses(pixelData(classes), tissues, sequence)
  if (scale !== 1) for (let i = 0; i < data.length; i++) data[i] *= scale
  return makeImage(Array.from(classes.size), {
    data, spacing: Array.from(classes.spacing), origin: Array.from(classes.origin),
    direction: Float64Array.from(classes.direction as ArrayLike<number>), name: `simulated ${sequence.kind}`,
  })
}

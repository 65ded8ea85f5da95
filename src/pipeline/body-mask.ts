import { imageLike, pixelData, type Image } from '../image'
import { binaryMorphology } from '../segment/morphology'
import { keepLargestComponents } from '../segment/connected-components'
import { dims3 } from '../segment/volume'

export interface BodyMaskOptions {
  /** Tissue: voxels with HU strictly above this. Default: −500 (between air/lung and fat). */
  threshold?: number
}

/**
 * Body mask of a CT in HU (uint8 0/1, the input's geometry), by the usual recipe of CT
 * preprocessing scripts: HU > −500, the largest 3D connected component (face connectivity: the
 * patient, not the table, which the mattress's low HU separates from the body), then holes
 * filled slice by slice (scipy.ndimage.binary_fill_holes per axial slice) so the lungs and airways,
 * enclosed by the chest wall in every axial slice, are inside. Default threshold −500 HU.
 */
export function bodyMask(ct: Image, options: BodyMaskOptions = {}): Image {
  dims3(ct, 'bodyMask')
  const threshold = options.threshold ?? -500
  if (!Number.isFinite(threshold)) throw new Error(`bodyMask: threshold must be a finite HU value, got ${threshold}`)
  const src = pixelData(ct)
  const tissue = new Uint8Array(src.length)
  for (let i = 0; i < src.length; i++) tissue[i] = src[i] > threshold ? 1 : 0
  const body = keepLargestComponents(imageLike(ct, tissue), 1)
  return binaryMorphology(body, { operation: 'fillHoles', slicewise: true })
}

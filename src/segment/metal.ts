import { imageLike, pixelData, type Image } from '../image'
import { findRuns, labelRuns, paintComponents, resolveConnectivity, type Connectivity } from './runs'
import { dims3 } from './volume'

export interface DetectMetalOptions {
  /** HU at or above which a voxel is metal candidate (inclusive). Default: 3000. */
  threshold?: number
  /** Candidate components smaller than this (voxels) are dropped as noise / dense bone. Default: 100. */
  minVoxels?: number
  /** Connectivity of the components. Default: face connectivity (4 in 2D, 6 in 3D). */
  connectivity?: Connectivity
}

export interface DetectMetalResult {
  /** uint8 0/1 mask of the kept metal voxels, with the input's geometry. */
  mask: Image
  /** Number of kept components. */
  components: number
  /** Voxels per kept component, in raster order of first voxel. */
  sizes: number[]
  /** Total metal voxels. */
  voxelCount: number
}

/**
 * Metal detection in CT: HU ≥ threshold, then the connected components of at least
 * `minVoxels` voxels (scipy.ndimage.label + a size filter) — the metal segmentation that
 * metal-artifact-reduction methods such as NMAR (Meyer et al., Med. Phys. 37(10), 2010)
 * start from; 3000 HU is above cortical bone, so only metal (and contrast-agent extremes)
 * remains. Defaults: threshold 3000 HU, minVoxels 100, face connectivity. Input in HU.
 */
export function detectMetal(image: Image, options: DetectMetalOptions = {}): DetectMetalResult {
  const dims = dims3(image, 'detectMetal')
  const threshold = options.threshold ?? 3000
  const minVoxels = options.minVoxels ?? 100
  if (Number.isNaN(threshold)) throw new Error('detectMetal: threshold is NaN')
  if (!(minVoxels >= 0)) throw new Error(`detectMetal: minVoxels must be ≥ 0, got ${minVoxels}`)
  const connectivity = resolveConnectivity(options.connectivity, image.imageType.dimension === 3, 'detectMetal')
  const src = pixelData(image)
  const fg = new Uint8Array(src.length)
  for (let i = 0; i < src.length; i++) fg[i] = src[i] >= threshold ? 1 : 0
  const cc = labelRuns(findRuns(fg, dims), connectivity)
  const keep = new Uint8Array(cc.count)
  const sizes: number[] = []
  let voxels = 0
  for (let c = 0; c < cc.count; c++) {
    if (cc.sizes[c] >= minVoxels) {
      keep[c] = 1
      sizes.push(cc.sizes[c])
      voxels += cc.sizes[c]
    }
  }
  const mask = paintComponents(cc, new Uint8Array(src.length), keep)
  return { mask: imageLike(image, mask), components: sizes.length, sizes, voxelCount: voxels }
}

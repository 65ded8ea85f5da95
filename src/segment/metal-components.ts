/**
 * The metal components of a CT volume with what a reader wants to know about each: size in voxels
 * and mm³, centroid in patient coordinates, bounding box — for the metal-threshold figure.
 */
import { imageLike, indexToPhysicalPoint, pixelData, type Image } from '../image'
import { connectedComponents } from './connected-components'
import type { Connectivity } from './runs'
import { dims3 } from './volume'

export interface MetalComponentsOptions {
  /** HU at or above which a voxel is metal (inclusive). Default 3000. */
  threshold?: number
  /** Components smaller than this (voxels) are dropped. Default 0 (keep all). */
  minVoxels?: number
  /** Default: face connectivity (6 in 3D), as scipy.ndimage.label and detectMetal. */
  connectivity?: Connectivity
}

export interface MetalComponent {
  /** Its label in `labels` (1 … count, raster order of first voxel as scipy.ndimage.label). */
  label: number
  voxels: number
  /** voxels × the voxel volume (product of the spacing). */
  volumeMm3: number
  /** Mean position of its voxels in the image's physical (LPS) space, mm. */
  centroid: number[]
  /** Voxel index bounds (inclusive), [i, j, k]. */
  boundsMin: number[]
  boundsMax: number[]
}

export interface MetalComponentsResult {
  /** uint32 labels, 0 outside metal, with the input's geometry. */
  labels: Image
  components: MetalComponent[]
  /** Voxels ≥ threshold before the size filter. */
  candidateVoxels: number
  threshold: number
}

/**
 * HU ≥ threshold, connected components (connectedComponents, checked against
 * scipy.ndimage.label), the ones of at least `minVoxels` voxels, and their statistics.
 */
export function metalComponents(image: Image, options: MetalComponentsOptions = {}): MetalComponentsResult {
  const [nx, ny] = dims3(image, 'metalComponents')
  if (image.imageType.dimension !== 3) throw new RangeError(`metalComponents needs a 3D CT volume, got ${image.imageType.dimension}D`)
  const threshold = options.threshold ?? 3000
  const minVoxels = options.minVoxels ?? 0
  if (!Number.isFinite(threshold)) throw new RangeError(`metalComponents: threshold must be a finite HU value, got ${threshold}`)
  if (!(minVoxels >= 0)) throw new RangeError(`metalComponents: minVoxels must be ≥ 0, got ${minVoxels}`)
  const src = pixelData(image)
  const mask = new Uint8Array(src.length)
  let candidates = 0
  for (let i = 0; i < src.length; i++) if (src[i] >= threshold) {
    mask[i] = 1
    candidates++
  }
  const cc = connectedComponents(imageLike(image, mask), { connectivity: options.connectivity, minimumSize: minVoxels })
  const labels = cc.labels.data as Uint32Array
  const n = cc.count
  const sum = new Float64Array(3 * n)
  const lo = new Int32Array(3 * n).fill(2 ** 30)
  const hi = new Int32Array(3 * n).fill(-1)
  for (let idx = 0; idx < labels.length; idx++) {
    const l = labels[idx]
    if (!l) continue
    const i = idx % nx
    const j = Math.floor(idx / nx) % ny
    const k = Math.floor(idx / (nx * ny))
    const b = 3 * (l - 1)
    const ijk = [i, j, k]
    for (let a = 0; a < 3; a++) {
      sum[b + a] += ijk[a]
      if (ijk[a] < lo[b + a]) lo[b + a] = ijk[a]
      if (ijk[a] > hi[b + a]) hi[b + a] = ijk[a]
    }
  }
  const voxelMm3 = image.spacing.slice(0, 3).reduce((p, s) => p * s, 1)
  const components = cc.sizes.map((voxels, c) => ({
    label: c + 1,
    voxels,
    volumeMm3: voxels * voxelMm3,
    centroid: indexToPhysicalPoint(image, [0, 1, 2].map((a) => sum[3 * c + a] / voxels)),
    boundsMin: Array.from(lo.subarray(3 * c, 3 * c + 3)),
    boundsMax: Array.from(hi.subarray(3 * c, 3 * c + 3)),
  }))
  return { labels: cc.labels, components, candidateVoxels: candidates, threshold }
}

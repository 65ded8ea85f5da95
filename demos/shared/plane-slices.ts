/**
 * Reslicing a 3D volume into axial, coronal or sagittal views in radiological display
 * convention (patient right on the screen's left; anterior at the top of axial views;
 * superior at the top of coronal and sagittal views; anterior on the left of sagittal views),
 * whatever the volume's direction matrix: each index axis is matched to the LPS axis it points
 * along most. Light per-frame work, run on the page.
 */
import type { Image } from '../../src/image'

export type Plane = 'axial' | 'coronal' | 'sagittal'

export interface PlaneGeometry {
  /** Index axis shown along the screen's x and y, and the one the slider moves along. */
  xAxis: number
  yAxis: number
  sliceAxis: number
  /** Screen column u shows index n − 1 − u when true. */
  flipX: boolean
  flipY: boolean
  width: number
  height: number
  slices: number
  /** Physical width / height of the view (for the CSS aspect ratio). */
  aspect: number
  /** Orientation letters at the left, right, top and bottom edges. */
  labels: { left: string; right: string; top: string; bottom: string }
}

// LPS axis shown along screen x / y, the LPS direction screen x / y increases towards, letters.
const PLANES: Record<Plane, { x: number; xDir: number; y: number; yDir: number; labels: PlaneGeometry['labels'] }> = {
  axial: { x: 0, xDir: 1, y: 1, yDir: 1, labels: { left: 'R', right: 'L', top: 'A', bottom: 'P' } },
  coronal: { x: 0, xDir: 1, y: 2, yDir: -1, labels: { left: 'R', right: 'L', top: 'S', bottom: 'I' } },
  sagittal: { x: 1, xDir: 1, y: 2, yDir: -1, labels: { left: 'A', right: 'P', top: 'S', bottom: 'I' } },
}

/** For each index axis: the LPS axis it runs along most and the sign of that component. */
function axisMapping(image: Image): { lps: number[]; sign: number[] } {
  const dim = image.imageType.dimension
  const lps: number[] = []
  const sign: number[] = []
  const used = new Set<number>()
  for (let c = 0; c < 3; c++) {
    if (c >= dim) {
      // A 2D image is an axial slice: its missing third axis is S.
      lps.push(2)
      sign.push(1)
      continue
    }
    let best = -1
    let bestAbs = -1
    for (let r = 0; r < dim; r++) {
      const v = Math.abs(image.direction[r * dim + c] as number)
      if (!used.has(r) && v > bestAbs) {
        best = r
        bestAbs = v
      }
    }
    used.add(best)
    lps.push(best)
    sign.push((image.direction[best * dim + c] as number) < 0 ? -1 : 1)
  }
  return { lps, sign }
}

export function planeGeometry(image: Image, plane: Plane): PlaneGeometry {
  const spec = PLANES[plane]
  const { lps, sign } = axisMapping(image)
  const size = [image.size[0], image.size[1], image.size[2] ?? 1]
  const spacing = [image.spacing[0], image.spacing[1], image.spacing[2] ?? 1]
  const xAxis = lps.indexOf(spec.x)
  const yAxis = lps.indexOf(spec.y)
  const sliceAxis = 3 - xAxis - yAxis
  return {
    xAxis,
    yAxis,
    sliceAxis,
    flipX: sign[xAxis] !== spec.xDir,
    flipY: sign[yAxis] !== spec.yDir,
    width: size[xAxis],
    height: size[yAxis],
    slices: size[sliceAxis],
    aspect: (size[xAxis] * spacing[xAxis]) / (size[yAxis] * spacing[yAxis]),
    labels: spec.labels,
  }
}

/** The view's pixels (x fastest, row 0 at the top) of slice `index` of a scalar volume. */
export function planeSlice(image: Image, g: PlaneGeometry, index: number, out?: Float32Array): Float32Array {
  const data = image.data as ArrayLike<number>
  const nx = image.size[0]
  const ny = image.size[1]
  const stride = [1, nx, nx * ny]
  const sx = stride[g.xAxis]
  const sy = stride[g.yAxis]
  const k = Math.min(Math.max(0, index), g.slices - 1)
  const base = k * stride[g.sliceAxis]
  const result = out && out.length === g.width * g.height ? out : new Float32Array(g.width * g.height)
  for (let v = 0; v < g.height; v++) {
    const iy = g.flipY ? g.height - 1 - v : v
    const row = base + iy * sy
    for (let u = 0; u < g.width; u++) {
      const ix = g.flipX ? g.width - 1 - u : u
      result[v * g.width + u] = data[row + ix * sx]
    }
  }
  return result
}

/** Voxel index (x, y, z) shown at view pixel (u, v) of slice `index`. */
export function voxelAtView(g: PlaneGeometry, index: number, u: number, v: number): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0]
  out[g.xAxis] = g.flipX ? g.width - 1 - u : u
  out[g.yAxis] = g.flipY ? g.height - 1 - v : v
  out[g.sliceAxis] = index
  return out
}

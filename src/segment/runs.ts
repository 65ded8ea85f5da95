/**
 * Run-length connected-component labelling (internal engine of connectedComponents,
 * fillHoles, detectMetal and segmentLungs).
 *
 * Foreground voxels are grouped into runs along x; runs in neighbouring rows that touch
 * under the chosen connectivity are merged with union–find. Linking every union to the
 * smaller run index makes each component's root its first run in raster order, so the
 * components come out numbered by their first voxel in raster order — the numbering
 * scipy.ndimage.label produces.
 */
import type { NumericArray } from '../image'
import type { Dims3 } from './volume'

/** 4 / 8 in 2D; 6 (faces), 18 (faces + edges) or 26 (faces + edges + corners) in 3D. */
export type Connectivity = 4 | 8 | 6 | 18 | 26

/** Foreground runs [x0, x1) of a volume, in raster order, indexed by row (y + ny·z). */
export interface Runs {
  dims: Dims3
  /** Runs of row r are rowStart[r] .. rowStart[r + 1] − 1. */
  rowStart: Int32Array
  x0: Int32Array
  x1: Int32Array
  count: number
}

/** A previously visited row (y + dy, z + dz) to connect with; `slack` 1 lets runs touch diagonally in x. */
interface NeighborRow {
  dy: number
  dz: number
  slack: number
}

/** Checks a connectivity against the dimension and returns the default when undefined. */
export function resolveConnectivity(connectivity: number | undefined, is3D: boolean, operation: string): Connectivity {
  if (connectivity === undefined) return is3D ? 6 : 4
  const allowed = is3D ? [6, 18, 26] : [4, 8]
  if (!allowed.includes(connectivity)) {
    throw new Error(`${operation}: connectivity ${connectivity} is not valid for a ${is3D ? '3D' : '2D'} image; use ${allowed.join(', ')}`)
  }
  return connectivity as Connectivity
}

function neighborRows(connectivity: Connectivity): NeighborRow[] {
  switch (connectivity) {
    case 4:
      return [{ dy: -1, dz: 0, slack: 0 }]
    case 8:
      return [{ dy: -1, dz: 0, slack: 1 }]
    case 6:
      return [{ dy: -1, dz: 0, slack: 0 }, { dy: 0, dz: -1, slack: 0 }]
    case 18:
      // Offsets with at most two non-zero coordinates.
      return [
        { dy: -1, dz: 0, slack: 1 }, { dy: 0, dz: -1, slack: 1 },
        { dy: -1, dz: -1, slack: 0 }, { dy: 1, dz: -1, slack: 0 },
      ]
    case 26:
      return [
        { dy: -1, dz: 0, slack: 1 }, { dy: 0, dz: -1, slack: 1 },
        { dy: -1, dz: -1, slack: 1 }, { dy: 1, dz: -1, slack: 1 },
      ]
  }
}

/**
 * Extracts the runs of non-zero voxels (`foreground` true, default) or of zero voxels
 * (`foreground` false) of a volume. Non-zero includes NaN, as numpy's astype(bool).
 */
export function findRuns(data: NumericArray, dims: Dims3, foreground = true): Runs {
  const [nx, ny, nz] = dims
  const rows = ny * nz
  const rowStart = new Int32Array(rows + 1)
  let cap = 1024
  let x0 = new Int32Array(cap)
  let x1 = new Int32Array(cap)
  let n = 0
  for (let r = 0; r < rows; r++) {
    rowStart[r] = n
    const base = r * nx
    const end = base + nx
    let i = base
    while (i < end) {
      if (foreground) {
        while (i < end && data[i] === 0) i++
      } else {
        while (i < end && data[i] !== 0) i++
      }
      if (i === end) break
      const s = i
      if (foreground) {
        while (i < end && data[i] !== 0) i++
      } else {
        while (i < end && data[i] === 0) i++
      }
      if (n === cap) {
        cap *= 2
        const a = new Int32Array(cap)
        a.set(x0)
        x0 = a
        const b = new Int32Array(cap)
        b.set(x1)
        x1 = b
      }
      x0[n] = s - base
      x1[n] = i - base
      n++
    }
  }
  rowStart[rows] = n
  return { dims, rowStart, x0, x1, count: n }
}

/** Components of a set of runs. */
export interface RunComponents {
  runs: Runs
  /** Component index (0-based, raster order of first voxel) of each run. */
  component: Int32Array
  count: number
  /** Voxels per component. */
  sizes: Float64Array
}

/**
 * Labels runs into components. With `inPlane` only rows of the same slice are connected
 * (2D labelling of every slice of a volume, with the 2D connectivity 4 or 8).
 */
export function labelRuns(runs: Runs, connectivity: Connectivity, inPlane = false): RunComponents {
  const [, ny, nz] = runs.dims
  const { rowStart, x0, x1 } = runs
  const parent = new Int32Array(runs.count)
  for (let i = 0; i < runs.count; i++) parent[i] = i
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]]
      i = parent[i]
    }
    return i
  }
  const neighbors = neighborRows(connectivity).filter((n) => !inPlane || n.dz === 0)
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = y + ny * z
      const a0 = rowStart[row]
      const a1 = rowStart[row + 1]
      if (a0 === a1) continue
      for (const nb of neighbors) {
        const yy = y + nb.dy
        const zz = z + nb.dz
        if (yy < 0 || yy >= ny || zz < 0) continue
        const nrow = yy + ny * zz
        let j = rowStart[nrow]
        const j1 = rowStart[nrow + 1]
        let i = a0
        const slack = nb.slack
        while (i < a1 && j < j1) {
          if (x0[i] < x1[j] + slack && x0[j] < x1[i] + slack) {
            let ri = find(i)
            let rj = find(j)
            if (ri !== rj) {
              if (ri < rj) parent[rj] = ri
              else parent[ri] = rj
            }
          }
          if (x1[i] < x1[j]) i++
          else j++
        }
      }
    }
  }
  const component = new Int32Array(runs.count)
  let count = 0
  for (let i = 0; i < runs.count; i++) {
    const r = find(i)
    component[i] = r === i ? count++ : component[r]
  }
  const sizes = new Float64Array(count)
  for (let i = 0; i < runs.count; i++) sizes[component[i]] += x1[i] - x0[i]
  return { runs, component, count, sizes }
}

/**
 * Which components touch the border of the grid: the x and y faces always; the z faces
 * only when `zFaces` (false for slice-wise "touches the slice border").
 */
export function touchesBorder(cc: RunComponents, zFaces: boolean): Uint8Array {
  const { runs, component } = cc
  const [nx, ny, nz] = runs.dims
  const out = new Uint8Array(cc.count)
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = y + ny * z
      const edgeRow = y === 0 || y === ny - 1 || (zFaces && (z === 0 || z === nz - 1))
      for (let i = runs.rowStart[row]; i < runs.rowStart[row + 1]; i++) {
        if (edgeRow || runs.x0[i] === 0 || runs.x1[i] === nx) out[component[i]] = 1
      }
    }
  }
  return out
}

/** Writes value[component] over the voxels of every component whose value is non-zero; the rest of `out` is left as it is. */
export function paintComponents<T extends { [i: number]: number }>(cc: RunComponents, out: T, value: ArrayLike<number>): T {
  const { runs, component } = cc
  const nx = runs.dims[0]
  const rows = runs.rowStart.length - 1
  for (let row = 0; row < rows; row++) {
    const base = row * nx
    for (let i = runs.rowStart[row]; i < runs.rowStart[row + 1]; i++) {
      const v = value[component[i]]
      if (v === 0) continue
      for (let x = base + runs.x0[i], e = base + runs.x1[i]; x < e; x++) out[x] = v
    }
  }
  return out
}

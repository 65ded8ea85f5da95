import {
  allocateData,
  assertScalar,
  pixelData,
  componentTypeOf,
  type ComponentType,
  type Image,
  type NumericArray,
} from '../image'
import { bsplineCoefficients } from './bspline-decomposition'
import { grid3, insideBuffer, makeIndexMap, type IndexMap } from './index-map'
import { itkFloor, itkRound } from './itk-math'
import { castWithBounds, componentRange } from './pixel-cast'

/**
 * - 'nearest': ITK NearestNeighborInterpolateImageFunction (index rounded half up);
 * - 'linear': ITK LinearInterpolateImageFunction (neighbours past the last index clamp to it);
 * - 'bspline': ITK BSplineInterpolateImageFunction, cubic, on BSplineDecompositionImageFilter
 *   coefficients (mirror boundaries).
 */
export type Interpolator = 'nearest' | 'linear' | 'bspline'

export interface ResampleOptions {
  /** Output size in voxels per axis. Default: the input's size. */
  size?: number[]
  /** Output spacing (mm) per axis. Default: the input's spacing. */
  spacing?: number[]
  /** Physical position (mm) of output voxel 0. Default: the input's origin. */
  origin?: number[]
  /** Output direction cosines, row-major like `Image.direction`. Default: the input's direction. */
  direction?: ArrayLike<number>
  /** Default: 'linear' (ResampleImageFilter's default interpolator). */
  interpolator?: Interpolator
  /** Value of output voxels whose point falls outside the input (cast like any output value). Default: 0. */
  defaultValue?: number
  /**
   * Output pixel type. Default: the input's type, as in ITK's ResampleImageFilter<TIn, TIn>; then
   * 'linear'/'bspline' values are clamped to the type's range and truncated toward zero (ITK's
   * CastPixelWithBoundsChecking). Pass 'float32' (or 'float64') to keep the interpolated values.
   */
  outputComponentType?: ComponentType
  onProgress?: (fraction: number, message?: string) => void
  signal?: AbortSignal
}

const DEFAULT_INTERPOLATOR: Interpolator = 'linear'

/** Input voxels and strides, padded to 3D. */
interface Source {
  data: NumericArray | Float64Array
  nx: number
  ny: number
  nz: number
  nxy: number
}

/** Output buffer and the cast bounds of its type. */
interface Target {
  data: NumericArray
  nx: number
  ny: number
  nz: number
  min: number
  max: number
  fill: number
}

/**
 * Resamples a 2D or 3D scalar image onto a new grid (size, spacing, origin, direction):
 * ITK 5.2 `itk::ResampleImageFilter` with an `IdentityTransform`. Each output voxel's physical
 * point is mapped to the input's continuous index (the same floating-point steps as ITK, see
 * index-map.ts); points with an index component outside [−0.5, size − 0.5) get `defaultValue`
 * (ITK `ImageFunction::IsInsideBuffer`), the others are interpolated by `interpolator`.
 *
 * Defaults: output geometry = input geometry, interpolator 'linear', defaultValue 0, output type =
 * input type (integer outputs: clamp to the type's range, then truncate toward zero, as ITK does).
 * Axis-aligned grids (also flipped ones) use separable per-axis tables; any other grid maps each
 * voxel through the precomputed index-to-index affine map.
 */
export function resample(image: Image, options: ResampleOptions = {}): Image {
  assertScalar(image, 'resample')
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new Error(`resample needs a 2D or 3D image, got ${dim}D`)
  const src = pixelData(image)
  const size = options.size ?? image.size
  const spacing = options.spacing ?? image.spacing
  const origin = options.origin ?? image.origin
  const direction = options.direction ?? (image.direction as ArrayLike<number>)
  checkGeometry('input', dim, image.size, image.spacing, image.origin, image.direction as ArrayLike<number>)
  checkGeometry('output', dim, size, spacing, origin, direction)
  const interpolator = options.interpolator ?? DEFAULT_INTERPOLATOR
  if (interpolator !== 'nearest' && interpolator !== 'linear' && interpolator !== 'bspline') {
    throw new Error(`resample: unknown interpolator '${String(interpolator)}' (use 'nearest', 'linear' or 'bspline')`)
  }
  const defaultValue = options.defaultValue ?? 0
  if (!Number.isFinite(defaultValue)) throw new Error(`resample: defaultValue must be a finite number, got ${defaultValue}`)
  const outType = options.outputComponentType ?? image.imageType.componentType
  const { min, max } = componentRange(outType)

  const inGrid = grid3(image.size, image.spacing, image.origin, image.direction as ArrayLike<number>)
  const outGrid = grid3(size, spacing, origin, direction)
  const map = makeIndexMap(inGrid, outGrid)
  const count = size.reduce((a, b) => a * b, 1)
  const outData = allocateData(outType, count) as NumericArray
  const [nx, ny, nz] = outGrid.size
  const target: Target = { data: outData, nx, ny, nz, min, max, fill: castWithBounds(defaultValue, min, max) }
  const [inx, iny, inz] = inGrid.size

  let source: Source
  if (interpolator === 'bspline') {
    const coef = bsplineCoefficients(image, {
      signal: options.signal,
      onProgress: options.onProgress ? (f) => options.onProgress?.(0.2 * f, 'B-spline coefficients') : undefined,
    })
    source = { data: coef, nx: inx, ny: iny, nz: inz, nxy: inx * iny }
  } else {
    source = { data: src, nx: inx, ny: iny, nz: inz, nxy: inx * iny }
  }
  const progress = (k: number): void => {
    options.signal?.throwIfAborted()
    const start = interpolator === 'bspline' ? 0.2 : 0
    options.onProgress?.(start + ((1 - start) * k) / nz, 'resampling')
  }

  if (map.separable) {
    const axes = axisTables(map, outGrid.size)
    if (interpolator === 'nearest') nearestSeparable(source, target, axes, progress)
    else if (interpolator === 'linear') linearSeparable(source, target, axes, progress)
    else bsplineSeparable(source, target, axes, dim, progress)
  } else {
    generalPath(source, target, map, interpolator, dim, progress)
  }
  options.onProgress?.(1, 'resampling')

  return {
    imageType: { ...image.imageType, componentType: componentTypeOf(outData) },
    name: image.name,
    origin: [...origin],
    spacing: [...spacing],
    direction: Float64Array.from(direction),
    size: [...size],
    metadata: new Map(image.metadata),
    data: outData,
  }
}

function checkGeometry(
  which: 'input' | 'output', dim: number, size: number[], spacing: number[], origin: number[], direction: ArrayLike<number>,
): void {
  const at = `resample: ${which}`
  if (size.length !== dim) throw new Error(`${at} size has ${size.length} entries, the image is ${dim}D`)
  if (spacing.length !== dim) throw new Error(`${at} spacing has ${spacing.length} entries, the image is ${dim}D`)
  if (origin.length !== dim) throw new Error(`${at} origin has ${origin.length} entries, the image is ${dim}D`)
  if (direction.length !== dim * dim) throw new Error(`${at} direction has ${direction.length} entries, a ${dim}D image needs ${dim * dim}`)
  for (const n of size) if (!Number.isInteger(n) || n < 1) throw new Error(`${at} size must be positive integers, got ${size.join('×')}`)
  for (const s of spacing) if (!(s > 0) || !Number.isFinite(s)) throw new Error(`${at} spacing must be positive, got ${spacing.join(', ')}`)
  for (const o of origin) if (!Number.isFinite(o)) throw new Error(`${at} origin must be finite, got ${origin.join(', ')}`)
  for (let i = 0; i < direction.length; i++) if (!Number.isFinite(direction[i])) throw new Error(`${at} direction must be finite`)
}

/** Per-axis continuous indices of a separable map (ITK's scanline formula, see index-map.ts). */
interface AxisTables {
  x: Float64Array
  y: Float64Array
  z: Float64Array
}

function axisTables(map: IndexMap, size: [number, number, number]): AxisTables {
  const [nx, ny, nz] = size
  const s = new Float64Array(3)
  const e = new Float64Array(3)
  map.indexAt(0, 0, 0, s)
  map.indexAt(nx, 0, 0, e)
  const x = new Float64Array(nx)
  for (let i = 0; i < nx; i++) x[i] = s[0] + (i / nx) * (e[0] - s[0])
  const y = new Float64Array(ny)
  for (let j = 0; j < ny; j++) {
    map.indexAt(0, j, 0, s)
    y[j] = s[1]
  }
  const z = new Float64Array(nz)
  for (let k = 0; k < nz; k++) {
    map.indexAt(0, 0, k, s)
    z[k] = s[2]
  }
  return { x, y, z }
}

// ---------------------------------------------------------------------------------------------
// Per-axis helpers shared by both paths.

/** Nearest index along an axis, or −1 outside the buffer. */
function nearestIndex(ci: number, n: number): number {
  if (!insideBuffer(ci, n)) return -1
  const i = itkRound(ci)
  return i > n - 1 ? n - 1 : i
}

/**
 * Linear neighbours along an axis (ITK LinearInterpolateImageFunction): base = floor(ci) clamped
 * to 0; no interpolation when the distance is ≤ 0 or the next index is past the end. Writes
 * [i0, i1, d] into `out` at `o`; returns false outside the buffer.
 */
function linearAxis(ci: number, n: number, i0: Int32Array, i1: Int32Array, d: Float64Array, o: number): boolean {
  if (!insideBuffer(ci, n)) return false
  let b = itkFloor(ci)
  if (b < 0) b = 0
  let dist = ci - b
  let next = b + 1
  if (dist <= 0 || next > n - 1) {
    dist = 0
    next = b
  }
  i0[o] = b
  i1[o] = next
  d[o] = dist
  return true
}

/** Mirror an index into [0, n − 1] (ITK ApplyMirrorBoundaryConditions, repeated for tiny axes). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0
  const last = n - 1
  for (;;) {
    if (i < 0) i = -i
    if (i > last) i = last - (i - last)
    else return i
  }
}

/**
 * Cubic B-spline support and weights along an axis (ITK DetermineRegionOfSupport,
 * SetInterpolationWeights, ApplyMirrorBoundaryConditions); indices are mirrored, then scaled by
 * `stride`. ITK picks the support from the continuous index rounded to float32.
 */
function bsplineAxis(ci: number, n: number, stride: number, w: Float64Array, idx: Int32Array, o: number): void {
  const base = Math.floor(Math.fround(ci)) - 1
  const t = ci - (base + 1)
  const w3 = (1.0 / 6.0) * t * t * t
  const w0 = 1.0 / 6.0 + 0.5 * t * (t - 1.0) - w3
  const w2 = t + w0 - 2.0 * w3
  const w1 = 1.0 - w0 - w2 - w3
  w[o] = w0
  w[o + 1] = w1
  w[o + 2] = w2
  w[o + 3] = w3
  for (let q = 0; q < 4; q++) idx[o + q] = mirror(base + q, n) * stride
}

/**
 * ITK's lerp a + (b − a)·d; d = 0 means ITK skipped that axis (distance ≤ 0 or no next voxel), so
 * `a` is returned as is (identical for finite values, and keeps ±Infinity instead of NaN).
 */
function lerp(a: number, b: number, d: number): number {
  return d === 0 ? a : a + (b - a) * d
}

// ---------------------------------------------------------------------------------------------
// Separable (axis-aligned) path.

function nearestSeparable(src: Source, dst: Target, axes: AxisTables, progress: (k: number) => void): void {
  const { nx, ny, nz, data: out, fill } = dst
  const inData = src.data
  const xo = new Int32Array(nx)
  for (let i = 0; i < nx; i++) xo[i] = nearestIndex(axes.x[i], src.nx)
  let p = 0
  for (let k = 0; k < nz; k++) {
    progress(k)
    const zi = nearestIndex(axes.z[k], src.nz)
    for (let j = 0; j < ny; j++) {
      const yi = nearestIndex(axes.y[j], src.ny)
      if (zi < 0 || yi < 0) {
        out.fill(fill, p, p + nx)
        p += nx
        continue
      }
      const row = zi * src.nxy + yi * src.nx
      for (let i = 0; i < nx; i++, p++) {
        const x = xo[i]
        // Same type in and out (or a wider one): no cast needed for nearest neighbour values
        // except when the output type is narrower, which castWithBounds handles.
        out[p] = x < 0 ? fill : castWithBounds(inData[row + x], dst.min, dst.max)
      }
    }
  }
}

/**
 * Trilinear interpolation as ITK nests it: lerp along x, then y, then z, each as
 * a + (b − a)·d. Doing it pass by pass (x-lerped rows, then y-lerped planes, then z) performs the
 * very same operations, so results are bit-identical while each input plane is lerped only once.
 */
function linearSeparable(src: Source, dst: Target, axes: AxisTables, progress: (k: number) => void): void {
  const { nx, ny, nz, data: out, fill, min, max } = dst
  const inData = src.data
  const x0 = new Int32Array(nx)
  const x1 = new Int32Array(nx)
  const dx = new Float64Array(nx)
  const okx = new Uint8Array(nx)
  for (let i = 0; i < nx; i++) okx[i] = linearAxis(axes.x[i], src.nx, x0, x1, dx, i) ? 1 : 0
  const y0 = new Int32Array(ny)
  const y1 = new Int32Array(ny)
  const dy = new Float64Array(ny)
  const oky = new Uint8Array(ny)
  const rowNeeded = new Uint8Array(src.ny)
  for (let j = 0; j < ny; j++) {
    if (linearAxis(axes.y[j], src.ny, y0, y1, dy, j)) {
      oky[j] = 1
      rowNeeded[y0[j]] = 1
      rowNeeded[y1[j]] = 1
    }
  }
  const z0 = new Int32Array(nz)
  const z1 = new Int32Array(nz)
  const dz = new Float64Array(nz)
  const okz = new Uint8Array(nz)
  for (let k = 0; k < nz; k++) okz[k] = linearAxis(axes.z[k], src.nz, z0, z1, dz, k) ? 1 : 0

  // Two cached planes (x- and y-lerped input slices), keyed by input z.
  const rows = new Float64Array(src.ny * nx)
  const planes = [new Float64Array(ny * nx), new Float64Array(ny * nx)]
  const keys = [-1, -1]
  const plane = (z: number, keep: number): Float64Array => {
    if (keys[0] === z) return planes[0]
    if (keys[1] === z) return planes[1]
    const slot = keys[0] === keep ? 1 : 0
    const pl = planes[slot]
    keys[slot] = z
    const zoff = z * src.nxy
    for (let y = 0; y < src.ny; y++) {
      if (!rowNeeded[y]) continue
      const base = zoff + y * src.nx
      const r = y * nx
      for (let i = 0; i < nx; i++) {
        const a = inData[base + x0[i]]
        const d = dx[i]
        rows[r + i] = d === 0 ? a : a + (inData[base + x1[i]] - a) * d
      }
    }
    for (let j = 0; j < ny; j++) {
      if (!oky[j]) continue
      const ra = y0[j] * nx
      const rb = y1[j] * nx
      const d = dy[j]
      const q = j * nx
      if (d === 0) pl.set(rows.subarray(ra, ra + nx), q)
      else {
        for (let i = 0; i < nx; i++) {
          const a = rows[ra + i]
          pl[q + i] = a + (rows[rb + i] - a) * d
        }
      }
    }
    return pl
  }

  let p = 0
  for (let k = 0; k < nz; k++) {
    progress(k)
    if (!okz[k]) {
      out.fill(fill, p, p + nx * ny)
      p += nx * ny
      continue
    }
    const A = plane(z0[k], -1)
    const B = plane(z1[k], z0[k])
    const d = dz[k]
    for (let j = 0; j < ny; j++) {
      if (!oky[j]) {
        out.fill(fill, p, p + nx)
        p += nx
        continue
      }
      const q = j * nx
      for (let i = 0; i < nx; i++, p++) {
        if (!okx[i]) {
          out[p] = fill
          continue
        }
        const a = A[q + i]
        const v = d === 0 ? a : a + (B[q + i] - a) * d
        out[p] = v <= min ? min : v >= max ? max : v
      }
    }
  }
}

/**
 * Cubic B-spline evaluation in ITK's order: the sum over the 4^D support points runs with x
 * fastest and each weight is the product wx·wy(·wz) taken in that order, so integer outputs
 * truncate exactly like ITK's.
 */
function bsplineSeparable(src: Source, dst: Target, axes: AxisTables, dim: number, progress: (k: number) => void): void {
  const { nx, ny, nz, data: out, fill, min, max } = dst
  const coef = src.data
  const wx = new Float64Array(4 * nx)
  const ix = new Int32Array(4 * nx)
  const okx = new Uint8Array(nx)
  for (let i = 0; i < nx; i++) {
    if (insideBuffer(axes.x[i], src.nx)) {
      okx[i] = 1
      bsplineAxis(axes.x[i], src.nx, 1, wx, ix, 4 * i)
    }
  }
  const wy = new Float64Array(4)
  const iy = new Int32Array(4)
  const wz = new Float64Array(4)
  const iz = new Int32Array(4)
  let p = 0
  for (let k = 0; k < nz; k++) {
    progress(k)
    const zin = insideBuffer(axes.z[k], src.nz)
    if (zin) bsplineAxis(axes.z[k], src.nz, src.nxy, wz, iz, 0)
    for (let j = 0; j < ny; j++) {
      if (!zin || !insideBuffer(axes.y[j], src.ny)) {
        out.fill(fill, p, p + nx)
        p += nx
        continue
      }
      bsplineAxis(axes.y[j], src.ny, src.nx, wy, iy, 0)
      for (let i = 0; i < nx; i++, p++) {
        if (!okx[i]) {
          out[p] = fill
          continue
        }
        const v = dim === 2 ? bspline2(coef, wx, ix, 4 * i, wy, iy) : bspline3(coef, wx, ix, 4 * i, wy, iy, wz, iz)
        out[p] = v <= min ? min : v >= max ? max : v
      }
    }
  }
}

function bspline2(c: ArrayLike<number>, wx: Float64Array, ix: Int32Array, o: number, wy: Float64Array, iy: Int32Array): number {
  const wx0 = wx[o], wx1 = wx[o + 1], wx2 = wx[o + 2], wx3 = wx[o + 3]
  const ix0 = ix[o], ix1 = ix[o + 1], ix2 = ix[o + 2], ix3 = ix[o + 3]
  let sum = 0.0
  for (let b = 0; b < 4; b++) {
    const r = iy[b]
    const w = wy[b]
    sum += wx0 * w * c[r + ix0]
    sum += wx1 * w * c[r + ix1]
    sum += wx2 * w * c[r + ix2]
    sum += wx3 * w * c[r + ix3]
  }
  return sum
}

function bspline3(
  c: ArrayLike<number>, wx: Float64Array, ix: Int32Array, o: number,
  wy: Float64Array, iy: Int32Array, wz: Float64Array, iz: Int32Array,
): number {
  const wx0 = wx[o], wx1 = wx[o + 1], wx2 = wx[o + 2], wx3 = wx[o + 3]
  const ix0 = ix[o], ix1 = ix[o + 1], ix2 = ix[o + 2], ix3 = ix[o + 3]
  let sum = 0.0
  for (let cz = 0; cz < 4; cz++) {
    const zo = iz[cz]
    const w3 = wz[cz]
    for (let b = 0; b < 4; b++) {
      const r = zo + iy[b]
      const w2 = wy[b]
      sum += wx0 * w2 * w3 * c[r + ix0]
      sum += wx1 * w2 * w3 * c[r + ix1]
      sum += wx2 * w2 * w3 * c[r + ix2]
      sum += wx3 * w2 * w3 * c[r + ix3]
    }
  }
  return sum
}

// ---------------------------------------------------------------------------------------------
// General (oblique) path: one continuous index per voxel from the scanline's two end points.

function generalPath(
  src: Source, dst: Target, map: IndexMap, interpolator: Interpolator, dim: number, progress: (k: number) => void,
): void {
  const { nx, ny, nz } = dst
  const alpha = new Float64Array(nx)
  for (let i = 0; i < nx; i++) alpha[i] = i / nx
  const s = new Float64Array(3)
  const e = new Float64Array(3)
  const row = new Float64Array(6) // s0, s1, s2, e0 − s0, e1 − s1, e2 − s2
  const scratch = new Float64Array(24)
  const iscratch = new Int32Array(12)
  let p = 0
  for (let k = 0; k < nz; k++) {
    progress(k)
    for (let j = 0; j < ny; j++) {
      map.indexAt(0, j, k, s)
      map.indexAt(nx, j, k, e)
      row[0] = s[0]
      row[1] = s[1]
      row[2] = s[2]
      row[3] = e[0] - s[0]
      row[4] = e[1] - s[1]
      row[5] = e[2] - s[2]
      if (interpolator === 'nearest') nearestRow(src, dst, alpha, row, p)
      else if (interpolator === 'linear') linearRow(src, dst, alpha, row, p)
      else bsplineRow(src, dst, alpha, row, p, dim, scratch, iscratch)
      p += nx
    }
  }
}

/** ITK's per-voxel continuous index on a scanline: start + (i / size₀)·(end − start). */
function nearestRow(src: Source, dst: Target, alpha: Float64Array, row: Float64Array, p: number): void {
  const { data: out, fill, min, max, nx } = dst
  const inData = src.data
  const snx = src.nx, sny = src.ny, snz = src.nz, nxy = src.nxy
  const hx = snx - 0.5, hy = sny - 0.5, hz = snz - 0.5
  const s0 = row[0], s1 = row[1], s2 = row[2], d0 = row[3], d1 = row[4], d2 = row[5]
  for (let i = 0; i < nx; i++, p++) {
    const a = alpha[i]
    const cx = s0 + a * d0
    const cy = s1 + a * d1
    const cz = s2 + a * d2
    if (!(cx >= -0.5 && cx < hx && cy >= -0.5 && cy < hy && cz >= -0.5 && cz < hz)) {
      out[p] = fill
      continue
    }
    let x = itkRound(cx)
    let y = itkRound(cy)
    let z = itkRound(cz)
    if (x > snx - 1) x = snx - 1
    if (y > sny - 1) y = sny - 1
    if (z > snz - 1) z = snz - 1
    const v = inData[z * nxy + y * snx + x]
    out[p] = v <= min ? min : v >= max ? max : v
  }
}

function linearRow(src: Source, dst: Target, alpha: Float64Array, row: Float64Array, p: number): void {
  const { data: out, fill, min, max, nx } = dst
  const inData = src.data
  const snx = src.nx, sny = src.ny, snz = src.nz, nxy = src.nxy
  const hx = snx - 0.5, hy = sny - 0.5, hz = snz - 0.5
  const s0 = row[0], s1 = row[1], s2 = row[2], d0 = row[3], d1 = row[4], d2 = row[5]
  for (let i = 0; i < nx; i++, p++) {
    const a = alpha[i]
    const cx = s0 + a * d0
    const cy = s1 + a * d1
    const cz = s2 + a * d2
    if (!(cx >= -0.5 && cx < hx && cy >= -0.5 && cy < hy && cz >= -0.5 && cz < hz)) {
      out[p] = fill
      continue
    }
    // LinearInterpolateImageFunction: base = Floor(ci) clamped to 0; skip an axis when its
    // distance is ≤ 0 or the next voxel is past the end.
    let x0 = itkFloor(cx)
    if (x0 < 0) x0 = 0
    let dx = cx - x0
    let x1 = x0 + 1
    if (!(dx > 0) || x1 > snx - 1) {
      dx = 0
      x1 = x0
    }
    let y0 = itkFloor(cy)
    if (y0 < 0) y0 = 0
    let dy = cy - y0
    let y1 = y0 + 1
    if (!(dy > 0) || y1 > sny - 1) {
      dy = 0
      y1 = y0
    }
    let z0 = itkFloor(cz)
    if (z0 < 0) z0 = 0
    let dz = cz - z0
    let z1 = z0 + 1
    if (!(dz > 0) || z1 > snz - 1) {
      dz = 0
      z1 = z0
    }
    const ra = z0 * nxy + y0 * snx
    const rb = z0 * nxy + y1 * snx
    const rc = z1 * nxy + y0 * snx
    const rd = z1 * nxy + y1 * snx
    const v = lerp(
      lerp(lerp(inData[ra + x0], inData[ra + x1], dx), lerp(inData[rb + x0], inData[rb + x1], dx), dy),
      lerp(lerp(inData[rc + x0], inData[rc + x1], dx), lerp(inData[rd + x0], inData[rd + x1], dx), dy),
      dz,
    )
    out[p] = v <= min ? min : v >= max ? max : v
  }
}

function bsplineRow(
  src: Source, dst: Target, alpha: Float64Array, row: Float64Array, p: number, dim: number,
  w: Float64Array, idx: Int32Array,
): void {
  const { data: out, fill, min, max, nx } = dst
  const coef = src.data
  const snx = src.nx, sny = src.ny, snz = src.nz, nxy = src.nxy
  const s0 = row[0], s1 = row[1], s2 = row[2], d0 = row[3], d1 = row[4], d2 = row[5]
  const wx = w.subarray(0, 4), wy = w.subarray(4, 8), wz = w.subarray(8, 12)
  const ix = idx.subarray(0, 4), iy = idx.subarray(4, 8), iz = idx.subarray(8, 12)
  for (let i = 0; i < nx; i++, p++) {
    const a = alpha[i]
    const cx = s0 + a * d0
    const cy = s1 + a * d1
    const cz = s2 + a * d2
    if (!(insideBuffer(cx, snx) && insideBuffer(cy, sny) && insideBuffer(cz, snz))) {
      out[p] = fill
      continue
    }
    bsplineAxis(cx, snx, 1, wx, ix, 0)
    bsplineAxis(cy, sny, snx, wy, iy, 0)
    let v: number
    if (dim === 2) {
      v = bspline2(coef, wx, ix, 0, wy, iy)
    } else {
      bsplineAxis(cz, snz, nxy, wz, iz, 0)
      v = bspline3(coef, wx, ix, 0, wy, iy, wz, iz)
    }
    out[p] = v <= min ? min : v >= max ? max : v
  }
}

/**
 * The library's image type: structurally the same as itk-wasm's `Image`
 * (itk-wasm/dist/interface-types/image.d.ts), so an image returned by
 * `@itk-wasm/image-io`'s `readImage` can be passed straight to a filter here and a
 * filter's result straight to `writeImage`.
 *
 * Conventions (the same as ITK / itk-wasm):
 * - `data` stores pixels with x fastest, then y, then z (index = x + nx * (y + ny * z)).
 * - `origin` is the physical position (mm, LPS) of the centre of voxel (0,0,0).
 * - `direction` is the row-major direction cosine matrix D: D[r * dim + c] is the r-th
 *   physical component of the unit vector along index axis c.
 * - physical point = origin + D · diag(spacing) · index.
 */

export type IntComponentType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
export type FloatComponentType = 'float32' | 'float64'
export type ComponentType = IntComponentType | FloatComponentType

export type PixelType =
  | 'Unknown' | 'Scalar' | 'RGB' | 'RGBA' | 'Offset' | 'Vector' | 'Point' | 'CovariantVector'
  | 'SymmetricSecondRankTensor' | 'DiffusionTensor3D' | 'Complex' | 'FixedArray' | 'Array'
  | 'Matrix' | 'VariableLengthVector' | 'VariableSizeMatrix'

export interface ImageType {
  readonly dimension: number
  readonly componentType: ComponentType
  readonly pixelType: PixelType
  readonly components: number
}

export type TypedArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Uint8ClampedArray | Float32Array | Float64Array | BigInt64Array | BigUint64Array

/** Numeric typed arrays the filters compute on (64-bit integer pixels are not supported). */
export type NumericArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Uint8ClampedArray | Float32Array | Float64Array

export type Metadata = Map<string, string | string[] | number | number[] | number[][]>

export interface Image {
  readonly imageType: ImageType
  name: string
  origin: number[]
  spacing: number[]
  direction: TypedArray
  size: number[]
  metadata: Metadata
  data: null | TypedArray
}

const ARRAY_FOR: Record<ComponentType, { new (n: number): TypedArray }> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
}

/** The component type itk-wasm uses for a typed array. */
export function componentTypeOf(data: TypedArray): ComponentType {
  if (data instanceof Int8Array) return 'int8'
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8'
  if (data instanceof Int16Array) return 'int16'
  if (data instanceof Uint16Array) return 'uint16'
  if (data instanceof Int32Array) return 'int32'
  if (data instanceof Uint32Array) return 'uint32'
  if (data instanceof BigInt64Array) return 'int64'
  if (data instanceof BigUint64Array) return 'uint64'
  if (data instanceof Float32Array) return 'float32'
  return 'float64'
}

/** Allocates a zero-filled typed array of a component type. */
export function allocateData(componentType: ComponentType, length: number): TypedArray {
  return new ARRAY_FOR[componentType](length)
}

export interface MakeImageOptions {
  /** Voxel size in mm per axis. Default: 1 on every axis. */
  spacing?: number[]
  /** Physical position of voxel (0,0,0). Default: 0 on every axis. */
  origin?: number[]
  /** Row-major direction cosines. Default: identity. */
  direction?: ArrayLike<number>
  /** Pixel data (x fastest). Default: zeros of `componentType`. */
  data?: TypedArray
  /** Used when `data` is not given. Default: 'float32'. */
  componentType?: ComponentType
  /** Components per pixel. Default: 1 (scalar). */
  components?: number
  name?: string
  metadata?: Metadata
}

/** Identity direction matrix of a dimension, row-major. */
export function identityDirection(dimension: number): Float64Array {
  const d = new Float64Array(dimension * dimension)
  for (let i = 0; i < dimension; i++) d[i * dimension + i] = 1
  return d
}

/** Makes a scalar (or multi-component) image with the given size; geometry defaults to identity. */
export function makeImage(size: number[], options: MakeImageOptions = {}): Image {
  const dimension = size.length
  const components = options.components ?? 1
  const count = size.reduce((a, b) => a * b, 1) * components
  const data = options.data ?? allocateData(options.componentType ?? 'float32', count)
  if (data.length !== count) {
    throw new Error(`makeImage: data has ${data.length} values but size ${size.join('×')} × ${components} component(s) needs ${count}`)
  }
  return {
    imageType: {
      dimension,
      componentType: componentTypeOf(data),
      pixelType: components === 1 ? 'Scalar' : components === 3 ? 'RGB' : components === 4 ? 'RGBA' : 'VariableLengthVector',
      components,
    },
    name: options.name ?? 'image',
    origin: options.origin ? [...options.origin] : new Array(dimension).fill(0),
    spacing: options.spacing ? [...options.spacing] : new Array(dimension).fill(1),
    direction: options.direction ? Float64Array.from(options.direction) : identityDirection(dimension),
    size: [...size],
    metadata: options.metadata ? new Map(options.metadata) : new Map(),
    data,
  }
}

/** Deep copy of an image (data and geometry). */
export function copyImage(image: Image): Image {
  return {
    imageType: { ...image.imageType },
    name: image.name,
    origin: [...image.origin],
    spacing: [...image.spacing],
    direction: Float64Array.from(image.direction as ArrayLike<number>),
    size: [...image.size],
    metadata: new Map(image.metadata),
    data: image.data ? image.data.slice() : null,
  }
}

/**
 * A new image with the geometry of `image` and the given data (or zeros of `componentType`).
 * Use it for filter outputs: geometry is copied, pixels are not.
 */
export function imageLike(image: Image, data?: TypedArray, componentType?: ComponentType): Image {
  const count = voxelCount(image) * image.imageType.components
  const out = data ?? allocateData(componentType ?? image.imageType.componentType, count)
  if (out.length !== count) throw new Error(`imageLike: data has ${out.length} values, the image needs ${count}`)
  return {
    imageType: { ...image.imageType, componentType: componentTypeOf(out) },
    name: image.name,
    origin: [...image.origin],
    spacing: [...image.spacing],
    direction: Float64Array.from(image.direction as ArrayLike<number>),
    size: [...image.size],
    metadata: new Map(image.metadata),
    data: out,
  }
}

/** Number of voxels (not components). */
export function voxelCount(image: Pick<Image, 'size'>): number {
  return image.size.reduce((a, b) => a * b, 1)
}

/**
 * The pixel data of an image as a numeric typed array. Throws a clear error for an image
 * without pixels (itk-wasm allows `data: null`) or with 64-bit integer pixels.
 */
export function pixelData(image: Image): NumericArray {
  const data = image.data
  if (data == null) throw new Error(`Image "${image.name}" has no pixel data`)
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new Error(`Image "${image.name}" has 64-bit integer pixels, which this library does not process; cast it to float64 first`)
  }
  if (data.length !== voxelCount(image) * image.imageType.components) {
    throw new Error(`Image "${image.name}" has ${data.length} values but its size ${image.size.join('×')} needs ${voxelCount(image) * image.imageType.components}`)
  }
  return data
}

/** Throws unless the image is scalar (one component per pixel). */
export function assertScalar(image: Image, operation: string): void {
  if (image.imageType.components !== 1) {
    throw new Error(`${operation} needs a scalar image; this one has ${image.imageType.components} components per pixel`)
  }
}

/** Minimum and maximum of a list of values (NaN ignored; Infinity/-Infinity when empty). */
export function valueRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v < min) min = v
    if (v > max) max = v
  }
  return { min, max }
}

/** Minimum and maximum of the pixel values (NaN ignored). */
export function intensityRange(image: Image): { min: number; max: number } {
  return valueRange(pixelData(image))
}

/** Physical point (LPS, mm) of a continuous index. */
export function indexToPhysicalPoint(image: Image, index: ArrayLike<number>): number[] {
  const dim = image.imageType.dimension
  const p = new Array<number>(dim)
  for (let r = 0; r < dim; r++) {
    let s = image.origin[r]
    for (let c = 0; c < dim; c++) s += (image.direction[r * dim + c] as number) * image.spacing[c] * index[c]
    p[r] = s
  }
  return p
}

/** Continuous index of a physical point (inverse of {@link indexToPhysicalPoint}). */
export function physicalPointToContinuousIndex(image: Image, point: ArrayLike<number>): number[] {
  const dim = image.imageType.dimension
  const m = new Float64Array(dim * dim) // D · diag(spacing)
  for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) m[r * dim + c] = (image.direction[r * dim + c] as number) * image.spacing[c]
  const inv = invertMatrix(m, dim)
  const out = new Array<number>(dim)
  for (let r = 0; r < dim; r++) {
    let s = 0
    for (let c = 0; c < dim; c++) s += inv[r * dim + c] * (point[c] - image.origin[c])
    out[r] = s
  }
  return out
}

/** Inverse of a square row-major matrix by Gauss–Jordan elimination with partial pivoting. */
export function invertMatrix(m: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(m)
  const inv = identityDirection(n)
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r
    if (Math.abs(a[pivot * n + col]) < 1e-12) throw new Error('Matrix is singular')
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        ;[a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c], a[col * n + c]]
        ;[inv[col * n + c], inv[pivot * n + c]] = [inv[pivot * n + c], inv[col * n + c]]
      }
    }
    const p = a[col * n + col]
    for (let c = 0; c < n; c++) {
      a[col * n + c] /= p
      inv[col * n + c] /= p
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const f = a[r * n + col]
      if (f === 0) continue
      for (let c = 0; c < n; c++) {
        a[r * n + c] -= f * a[col * n + c]
        inv[r * n + c] -= f * inv[col * n + c]
      }
    }
  }
  return inv
}

/** Extracts axial slice z of a 3D image as a 2D image (geometry: in-plane part of the 3D one). */
export function extractSlice(image: Image, z: number): Image {
  if (image.imageType.dimension === 2) return image
  if (image.imageType.dimension !== 3) throw new Error(`extractSlice needs a 2D or 3D image, got ${image.imageType.dimension}D`)
  const [nx, ny, nz] = image.size
  if (!Number.isInteger(z) || z < 0 || z >= nz) throw new Error(`Slice ${z} is outside 0..${nz - 1}`)
  const comps = image.imageType.components
  const per = nx * ny * comps
  const src = image.data
  if (!src) throw new Error(`Image "${image.name}" has no pixel data`)
  const data = src.slice(z * per, (z + 1) * per)
  const origin = indexToPhysicalPoint(image, [0, 0, z])
  const d = image.direction
  return {
    imageType: { ...image.imageType, dimension: 2 },
    name: `${image.name} [z=${z}]`,
    origin: [origin[0], origin[1]],
    spacing: [image.spacing[0], image.spacing[1]],
    direction: Float64Array.from([d[0] as number, d[1] as number, d[3] as number, d[4] as number]),
    size: [nx, ny],
    metadata: new Map(image.metadata),
    data,
  }
}

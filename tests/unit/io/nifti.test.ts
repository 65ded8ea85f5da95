/**
 * readNifti / writeNifti against two independent readers:
 * - ITK's NiftiImageIO, run here through itk-wasm (@itk-wasm/image-io readImageNode);
 * - nibabel 5.0, whose reading of every fixture was saved by
 *   tests/reference/io/nifti/make-fixtures.py (expected/*.json) and check-written.py (written/*.json).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { readImageNode } from '@itk-wasm/image-io'
import { makeImage, type Image } from '../../../src/image'
import { readNifti, readNiftiPair, readNiftiSync, writeNifti } from '../../../src/io/nifti'
import { rotation, writtenSamples } from '../../reference/io/nifti/written-samples'
import { randomNiftiCases } from '../../reference/io/nifti/random-headers'

const REF = join(__dirname, '../../reference/io/nifti')
const FIX = join(REF, 'fixtures')

interface Geometry { spacing: number[]; origin: number[]; direction: number[] }
interface Expected {
  file: string
  shape: number[]
  dtype: string
  itk_matrix: 'qform' | 'sform' | 'none' | 'error'
  qform: Geometry | null
  sform: Geometry | null
  pixdim: number[]
  xyz_unit: string
  slope: number | null
  inter: number | null
  data: number[]
  data_sum: number
}

const expectedFiles = readdirSync(join(REF, 'expected')).filter((f) => f.endsWith('.json'))
const expected: Expected[] = expectedFiles.map((f) => JSON.parse(readFileSync(join(REF, 'expected', f), 'utf8')))

const tmp = mkdtempSync(join(tmpdir(), 'nifti-test-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function readFixture(file: string): Promise<Image> {
  const p = join(FIX, file)
  if (file.endsWith('.hdr')) return readNiftiPair(readFileSync(p), readFileSync(p.replace(/\.hdr$/, '.img')))
  return readNifti(readFileSync(p))
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(Number(a[i]) - Number(b[i])))
  return m
}

function expectSameData(ours: Image, ref: Image): void {
  expect(ours.data!.constructor.name).toBe(ref.data!.constructor.name)
  expect(ours.data!.length).toBe(ref.data!.length)
  const a = ours.data!
  const b = ref.data!
  let mismatches = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(Number(a[i])) && Number.isNaN(Number(b[i])))) mismatches++
  expect(mismatches).toBe(0)
}

/** The 3×3 (or 2×2) spatial block of a row-major direction of dimension `dim`. */
function spatialDirection(img: Image): number[] {
  const dim = img.imageType.dimension
  const n = Math.min(dim, 3)
  const out: number[] = []
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out.push(Number(img.direction[r * dim + c]))
  return out
}

describe('readNifti vs ITK NiftiImageIO (itk-wasm readImageNode)', () => {
  for (const exp of expected) {
    if (exp.itk_matrix === 'error' || exp.file.startsWith('nifti2')) continue
    it(`${exp.file}: same pixel type, size, geometry (≤1e-6) and data (exact)`, async () => {
      const ours = await readFixture(exp.file)
      const itk = (await readImageNode(join(FIX, exp.file))) as unknown as Image
      expect(ours.imageType).toEqual(itk.imageType)
      expect(ours.size).toEqual(itk.size)
      let itkSpacing = itk.spacing
      const itkDirection = Array.from(itk.direction as Float64Array)
      if (exp.file.startsWith('negative_pixdim')) {
        // itk-wasm returns the negative pixdim as spacing; itk::ImageFileReader (and we) make it
        // positive and flip that direction column instead.
        const dim = itk.imageType.dimension
        itkSpacing = itk.spacing.map(Math.abs)
        itk.spacing.forEach((s, c) => {
          if (s < 0) for (let r = 0; r < dim; r++) itkDirection[r * dim + c] *= -1
        })
      }
      expect(maxDiff(ours.spacing, itkSpacing)).toBeLessThanOrEqual(1e-6)
      expect(maxDiff(ours.origin, itk.origin)).toBeLessThanOrEqual(1e-6)
      expect(maxDiff(ours.direction as Float64Array, itkDirection)).toBeLessThanOrEqual(1e-6)
      expectSameData(ours, itk)
    })
  }

  it('rejects a sheared sform without a qform, as ITK does', async () => {
    const p = join(FIX, 'sheared_sform_only.nii')
    await expect(readNifti(readFileSync(p))).rejects.toThrow(/sform \(code 2\) is not orthonormal.*no qform/)
    await expect(readImageNode(p)).rejects.toBeDefined()
  })

  it('reads the Colin27 excerpt with its MNI sform: 46×55×46, origin (90, 125, −71) LPS', async () => {
    const img = await readFixture('colin27_ds4.nii.gz')
    expect(img.size).toEqual([46, 55, 46])
    expect(img.spacing).toEqual([4, 4, 4])
    expect(img.origin).toEqual([90, 125, -71])
    expect(Array.from(img.direction as Float64Array)).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1])
    expect(img.metadata.get('orientation_from')).toBe('sform')
  })
})

describe('readNifti vs nibabel', () => {
  for (const exp of expected) {
    if (exp.itk_matrix === 'error') continue
    it(`${exp.file}: geometry of the ${exp.itk_matrix} matrix and scaled data`, async () => {
      const ours = await readFixture(exp.file)
      // nibabel: (x, y, z[, t]) shape, RGB as a last axis of 3
      const spatialShape = exp.shape.filter((s, i) => i < 3 || s > 1)
      expect(ours.size).toEqual(spatialShape)
      const unit = exp.xyz_unit === 'micron' ? 1e-3 : exp.xyz_unit === 'meter' ? 1e3 : 1
      const n = Math.min(ours.imageType.dimension, 3)
      // ITK's spacing is |pixdim| (not the sform's column norms)
      expect(maxDiff(ours.spacing.slice(0, n), exp.pixdim.slice(1, n + 1).map((p) => Math.abs(p) * unit))).toBeLessThanOrEqual(1e-6)
      if (exp.itk_matrix === 'none') {
        expect(ours.origin.slice(0, n)).toEqual(new Array(n).fill(0))
        expect(spatialDirection(ours)).toEqual(Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)))
      } else {
        const g = (exp.itk_matrix === 'qform' ? exp.qform : exp.sform)!
        expect(maxDiff(ours.origin.slice(0, n), g.origin.map((o) => o * unit))).toBeLessThanOrEqual(1e-5)
        let dir = g.direction
        if (exp.file.startsWith('negative_pixdim')) {
          // nibabel uses |pixdim| without flipping; ITK's reader flips axis 1
          dir = dir.map((v, i) => (i % 3 === 1 ? -v : v))
        }
        // nibabel builds the qform in float64, nifti_clib in float32
        expect(maxDiff(spatialDirection(ours), dir)).toBeLessThanOrEqual(1e-6)
      }
      const data = ours.data!
      let sum = 0
      for (let i = 0; i < data.length; i++) sum += Number(data[i])
      expect(Math.abs(sum - exp.data_sum)).toBeLessThanOrEqual(Math.abs(exp.data_sum) * 1e-6 + 1e-6)
      if (exp.data.length > 0) {
        const isFloat32 = data instanceof Float32Array
        const ref = isFloat32 ? exp.data.map(Math.fround) : exp.data
        // nibabel scales in float64: one float32 rounding apart at most
        expect(maxDiff(data as Float64Array, ref)).toBeLessThanOrEqual(isFloat32 ? 1e-4 : 0)
      }
    })
  }

  it('NIfTI-2 (which ITK 5.4 cannot read) matches nibabel and its NIfTI-1 twin', async () => {
    const img = await readFixture('nifti2_float32.nii')
    expect(img.metadata.get('nifti_version')).toBe(2)
    expect(img.imageType.componentType).toBe('float32')
    expect(img.size).toEqual([7, 6, 5])
  })

  it('applies scl_slope/scl_inter like ITK: int16 → float32, float64 stays float64', async () => {
    const s = await readFixture('slope_int16.nii')
    expect(s.imageType.componentType).toBe('float32')
    const f = await readFixture('slope_float64.nii')
    expect(f.imageType.componentType).toBe('float64')
  })

  it('4D with t > 1 is a 4D image; dim[0] = 4 with t = 1 is 3D; dim[0] = 2 is 2D', async () => {
    const four = await readFixture('fourd_int16.nii')
    expect(four.imageType.dimension).toBe(4)
    expect(four.size).toEqual([5, 4, 3, 3])
    expect(four.spacing[3]).toBe(2)
    expect((await readFixture('fourd_t1_float32.nii')).imageType.dimension).toBe(3)
    expect((await readFixture('twod_uint8.nii')).imageType.dimension).toBe(2)
  })
})

describe('readNifti vs ITK on 40 randomised headers (codes, quaternions, qfac, shear, slope, byte order, types)', () => {
  for (const { name, label, bytes: file } of randomNiftiCases(40)) {
    it(label, async () => {
      const path = join(tmp, `${name}.nii`)
      writeFileSync(path, file)
      let itk: Image | undefined
      try {
        itk = (await readImageNode(path)) as unknown as Image
      } catch {
        itk = undefined
      }
      if (itk === undefined) {
        await expect(readNifti(file)).rejects.toThrow(/not orthonormal/)
        return
      }
      const ours = await readNifti(file)
      expect(ours.imageType).toEqual(itk.imageType)
      expect(ours.size).toEqual(itk.size)
      expect(maxDiff(ours.spacing, itk.spacing)).toBeLessThanOrEqual(1e-6)
      expect(maxDiff(ours.origin, itk.origin)).toBeLessThanOrEqual(1e-6)
      expect(maxDiff(ours.direction as Float64Array, itk.direction as Float64Array)).toBeLessThanOrEqual(1e-6)
      expectSameData(ours, itk)
    })
  }
})

describe("readNifti({ compat: 'itk-5.2' }) vs C++ ITK 5.2 ImageFileReader (itk52/expected.json)", () => {
  const itk52: Record<string, { error?: string; skip?: string; componentType: string; size: number[]; spacing: number[]; origin: number[]; direction: number[]; sum: number }> =
    JSON.parse(readFileSync(join(REF, 'itk52', 'expected.json'), 'utf8'))
  const random = new Map(randomNiftiCases(40).map((c) => [c.name, c.bytes]))
  const ITK_TYPE: Record<string, string> = {
    unsigned_char: 'uint8', char: 'int8', short: 'int16', unsigned_short: 'uint16', int: 'int32', unsigned_int: 'uint32', float: 'float32', double: 'float64',
  }
  for (const [name, e] of Object.entries(itk52)) {
    if (e.skip) continue
    it(`${name}: ${e.error ? (name.startsWith('nifti2') ? 'NIfTI-2, which ITK cannot read' : 'rejected by both') : 'same type, size, geometry (≤1e-6), voxel sum'}`, async () => {
      const read = (): Promise<Image> => {
        const opts = { compat: 'itk-5.2' as const }
        if (random.has(name)) return readNifti(random.get(name)!, opts)
        const p = join(FIX, name)
        if (name.endsWith('.hdr')) return readNiftiPair(readFileSync(p), readFileSync(p.replace(/\.hdr$/, '.img')), opts)
        return readNifti(readFileSync(p), opts)
      }
      if (e.error && name.startsWith('nifti2')) {
        // ITK 5.2 (and 5.4) cannot read NIfTI-2; we do (checked against nibabel above)
        expect(e.error).toMatch(/not recognized as a NIFTI file/)
        expect((await read()).size).toEqual([7, 6, 5])
        return
      }
      if (e.error) {
        await expect(read()).rejects.toThrow(/not orthonormal/)
        return
      }
      const ours = await read()
      expect(ours.imageType.componentType).toBe(ITK_TYPE[e.componentType])
      expect(ours.size).toEqual(e.size)
      expect(maxDiff(ours.spacing, e.spacing)).toBeLessThanOrEqual(1e-6)
      expect(maxDiff(ours.origin, e.origin)).toBeLessThanOrEqual(1e-6)
      expect(maxDiff(ours.direction as Float64Array, e.direction)).toBeLessThanOrEqual(1e-6)
      let sum = 0
      for (let i = 0; i < ours.data!.length; i++) sum += Number(ours.data![i])
      expect(Math.abs(sum - e.sum)).toBeLessThanOrEqual(Math.abs(e.sum) * 1e-9 + 1e-6)
    })
  }
})

describe('vox_offset handling vs ITK', () => {
  const good = new Uint8Array(readFileSync(join(FIX, 'qform_only_int16.nii')))
  for (const [voxOffset, pad] of [[0, 0], [100, 0], [348, 0], [352, 0], [368, 16], [1000, 648]]) {
    it(`vox_offset ${voxOffset} (${pad} padding bytes before the data)`, async () => {
      const b = new Uint8Array(good.length + pad)
      b.set(good.subarray(0, 352))
      b.set(good.subarray(352), 352 + pad)
      new DataView(b.buffer).setFloat32(108, voxOffset, true)
      const path = join(tmp, `vox_offset_${voxOffset}.nii`)
      writeFileSync(path, b)
      const itk = (await readImageNode(path)) as unknown as Image
      for (const ours of [await readNifti(b), await readNifti(gzipSync(b)), readNiftiSync(gzipSync(b))]) expectSameData(ours, itk)
    })
  }
})

describe('readNifti errors', () => {
  const good = new Uint8Array(readFileSync(join(FIX, 'qform_only_int16.nii')))
  const withHeader = (edit: (v: DataView, b: Uint8Array) => void): Uint8Array => {
    const b = good.slice()
    edit(new DataView(b.buffer), b)
    return b
  }

  it('bad magic', async () => {
    await expect(readNifti(withHeader((_, b) => b.set([0x78, 0x79, 0x7a], 344)))).rejects.toThrow(/Not a NIfTI file: bad magic "xyz"/)
  })
  it('bad sizeof_hdr', async () => {
    await expect(readNifti(withHeader((v) => v.setInt32(0, 123, true)))).rejects.toThrow(/sizeof_hdr is 123/)
  })
  it('shorter than a header', async () => {
    await expect(readNifti(good.slice(0, 100))).rejects.toThrow(/100 bytes is shorter than a NIfTI-1 header/)
  })
  it('truncated data says how many bytes are missing', async () => {
    // 7·6·5 int16 = 420 bytes after 352: cut 17
    await expect(readNifti(good.slice(0, good.length - 17))).rejects.toThrow(/755 bytes, 772 needed \(17 bytes missing\)/)
    const gz = gzipSync(good.slice(0, good.length - 100))
    await expect(readNifti(gz)).rejects.toThrow(/100 bytes missing/)
  })
  it('unsupported datatype is named', async () => {
    await expect(readNifti(withHeader((v) => v.setInt16(70, 1, true)))).rejects.toThrow(/Unsupported NIfTI datatype BINARY/)
    await expect(readNifti(withHeader((v) => v.setInt16(70, 1536, true)))).rejects.toThrow(/FLOAT128/)
    await expect(readNifti(withHeader((v) => v.setInt16(70, 77, true)))).rejects.toThrow(/code 77/)
  })
  it('corrupt gzip', async () => {
    const gz = gzipSync(good)
    const bad = gz.slice()
    for (let i = 20; i < 60; i++) bad[i] ^= 0xa5
    await expect(readNifti(bad)).rejects.toThrow(/Corrupt gzip data/)
  })
  it('zero or negative dims', async () => {
    await expect(readNifti(withHeader((v) => v.setInt16(44, 0, true)))).rejects.toThrow(/dim\[2\] = 0/)
    await expect(readNifti(withHeader((v) => v.setInt16(46, -5, true)))).rejects.toThrow(/dim\[3\] = -5/)
    await expect(readNifti(withHeader((v) => v.setInt16(40, 9, true)))).rejects.toThrow(/dim\[0\] = 9/)
  })
  it('a voxel count that does not fit is refused before allocating, with size and bytes', async () => {
    const huge = withHeader((v) => {
      v.setInt16(40, 4, true)
      for (const at of [42, 44, 46, 48]) v.setInt16(at, 30000, true)
      v.setInt16(70, 64, true) // float64
      v.setInt16(72, 64, true)
    })
    await expect(readNifti(huge)).rejects.toThrow(/too large: size 30000×30000×30000×30000 \(8\.1e\+17|too large: size 30000×30000×30000×30000/)
    await expect(readNifti(huge)).rejects.toThrow(/needs \d+ bytes/)
    // the same inside a gzip stream: refused after the header, not after inflating
    await expect(readNifti(gzipSync(huge))).rejects.toThrow(/too large/)
  })
  it('a pair header given to readNifti points to readNiftiPair', async () => {
    await expect(readNifti(readFileSync(join(FIX, 'pair_int16.hdr')))).rejects.toThrow(/readNiftiPair/)
  })
  it('reports progress up to 1 on both gzip paths', async () => {
    for (const nativeGunzip of [true, false]) {
      const seen: number[] = []
      await readNifti(gzipSync(good), { nativeGunzip, onProgress: (f) => seen.push(f) })
      expect(seen.length).toBeGreaterThanOrEqual(1)
      expect(seen[seen.length - 1]).toBe(1)
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1])
    }
  })
  it('an aborted signal stops a gzip read', async () => {
    const ctl = new AbortController()
    ctl.abort()
    await expect(readNifti(gzipSync(good), { signal: ctl.signal })).rejects.toThrow(/abort/i)
    await expect(readNifti(gzipSync(good), { signal: ctl.signal, nativeGunzip: false })).rejects.toThrow(/abort/i)
  })
})

describe('gzip paths: native DecompressionStream (readNifti) and fflate (readNiftiSync / nativeGunzip: false)', () => {
  const good = new Uint8Array(readFileSync(join(FIX, 'qform_only_int16.nii')))
  const readers: [string, (b: Uint8Array) => Promise<Image>][] = [
    ['native', (b) => readNifti(b)],
    ['fflate', (b) => readNifti(b, { nativeGunzip: false })],
    ['sync', async (b) => readNiftiSync(b)],
  ]
  for (const [name, read] of readers) {
    it(`${name}: same image as the uncompressed file, for gz fixtures and for a gzipped .nii`, async () => {
      const plain = await readNifti(good)
      const viaGz = await read(gzipSync(good))
      expectSameData(viaGz, plain)
      expect(viaGz.origin).toEqual(plain.origin)
      const colin = await read(new Uint8Array(readFileSync(join(FIX, 'colin27_ds4.nii.gz'))))
      const itk = (await readImageNode(join(FIX, 'colin27_ds4.nii.gz'))) as unknown as Image
      expectSameData(colin, itk)
    })
    it(`${name}: corrupt, cut and truncated gzip streams give clear errors`, async () => {
      const gz = gzipSync(good)
      const bad = gz.slice()
      for (let i = 20; i < 60; i++) bad[i] ^= 0xa5
      await expect(read(bad)).rejects.toThrow(/Corrupt gzip data/)
      await expect(read(gz.slice(0, Math.floor(gz.length / 2)))).rejects.toMatchObject({ name: 'NiftiError', code: 'TRUNCATED' })
      await expect(read(gzipSync(good.slice(0, good.length - 100)))).rejects.toThrow(/672 bytes, 772 needed \(100 bytes missing\)/)
      await expect(read(gzipSync(good.slice(0, 200)))).rejects.toThrow(/shorter than a NIfTI-1 header/)
    })
  }
})

describe('writeNifti', () => {
  const oblique = makeImage([6, 5, 4], {
    data: Int16Array.from({ length: 120 }, (_, i) => i * 3 - 100),
    spacing: [0.8, 1.1, 2.5],
    origin: [12.5, -30.25, 41],
    direction: rotation(0.3, -0.2, 0.5),
  })
  const left = rotation(-0.4, 0.2, 0.1)
  for (let r = 0; r < 3; r++) left[r * 3 + 2] = -left[r * 3 + 2]
  const cases: { name: string; image: Image }[] = [
    { name: 'oblique int16', image: oblique },
    { name: 'left-handed float32', image: makeImage([4, 3, 5], { data: Float32Array.from({ length: 60 }, (_, i) => Math.cos(i) * 50), spacing: [1, 2, 3], origin: [-5, 6, -7], direction: left }) },
    { name: '2D uint8', image: makeImage([9, 4], { data: Uint8Array.from({ length: 36 }, (_, i) => i * 7), spacing: [0.3, 0.6], origin: [1, 2], direction: [0, -1, 1, 0] }) },
    { name: '4D uint16', image: makeImage([3, 2, 2, 5], { data: Uint16Array.from({ length: 60 }, (_, i) => i * 1000), spacing: [1, 1, 2, 0.5] }) },
    { name: 'float64', image: makeImage([2, 2, 2], { data: Float64Array.from([0.1, -2, 3e10, 4, 5, 6, 7, 8]) }) },
    { name: 'int8', image: makeImage([2, 2, 2], { data: Int8Array.from([-128, -1, 0, 1, 127, 5, 6, 7]) }) },
    { name: 'uint32', image: makeImage([2, 2, 2], { data: Uint32Array.from([0, 1, 4294967295, 3e9, 5, 6, 7, 8]) }) },
    { name: 'int32', image: makeImage([2, 2, 2], { data: Int32Array.from([-2147483648, 1, 2147483647, 3, 5, 6, 7, 8]) }) },
    { name: 'RGB uint8', image: makeImage([3, 2, 2], { data: Uint8Array.from({ length: 36 }, (_, i) => i * 5), components: 3 }) },
    { name: '3-component float32 vector', image: { ...makeImage([3, 2, 2], { data: Float32Array.from({ length: 36 }, (_, i) => i / 3), components: 3 }), imageType: { dimension: 3, componentType: 'float32', pixelType: 'Vector', components: 3 } } },
  ]
  for (const { name, image } of cases) {
    for (const gzip of [true, false]) {
      it(`${name} (${gzip ? '.nii.gz' : '.nii'}): ITK and readNifti read back the same geometry and data`, async () => {
        const buf = writeNifti(image, { gzip })
        const file = join(tmp, `${name.replace(/\W+/g, '_')}${gzip ? '.nii.gz' : '.nii'}`)
        writeFileSync(file, new Uint8Array(buf))
        const itk = (await readImageNode(file)) as unknown as Image
        const ours = await readNifti(buf)
        for (const back of [itk, ours]) {
          expect(back.imageType).toEqual(image.imageType)
          expect(back.size).toEqual(image.size)
          expect(maxDiff(back.spacing, image.spacing)).toBeLessThanOrEqual(1e-6)
          expect(maxDiff(back.origin, image.origin)).toBeLessThanOrEqual(1e-5)
          expect(maxDiff(back.direction as Float64Array, image.direction as Float64Array)).toBeLessThanOrEqual(1e-6)
          expectSameData(back, image)
        }
        expectSameData(ours, itk)
        expect(Array.from(ours.direction as Float64Array)).toEqual(Array.from(itk.direction as Float64Array))
        expect(ours.origin).toEqual(itk.origin)
      })
    }
  }

  it('writes a NIfTI-1 single-file header: sizeof_hdr 348, vox_offset 352, magic n+1, codes 1, mm', () => {
    const b = new Uint8Array(writeNifti(oblique, { gzip: false, description: 'hello' }))
    const v = new DataView(b.buffer)
    expect(v.getInt32(0, true)).toBe(348)
    expect(v.getFloat32(108, true)).toBe(352)
    expect(String.fromCharCode(b[344], b[345], b[346], b[347])).toBe('n+1\0')
    expect(v.getInt16(252, true)).toBe(1)
    expect(v.getInt16(254, true)).toBe(1)
    expect(b[123]).toBe(10)
    expect(v.getInt16(70, true)).toBe(4)
    expect(String.fromCharCode(...b.subarray(148, 153))).toBe('hello')
    expect(b.length).toBe(352 + 120 * 2)
    expect(gunzipSync(new Uint8Array(writeNifti(oblique, { description: 'hello' })))).toEqual(b)
  })

  it('refuses images without data and sizes NIfTI-1 cannot hold', () => {
    expect(() => writeNifti({ ...oblique, data: null })).toThrow(/no pixel data/)
    expect(() => writeNifti(makeImage([40000, 1], { componentType: 'uint8' }))).toThrow(/outside 1..32767/)
    expect(() => writeNifti({ ...oblique, spacing: [1, 0, 1] })).toThrow(/spacing \[1, 0, 1\] must have 3 positive/)
    expect(() => writeNifti({ ...oblique, origin: [0, NaN, 0] })).toThrow(/origin .* must have 3 finite/)
    expect(() => writeNifti({ ...oblique, direction: new Float64Array(4) })).toThrow(/3×3 matrix \(4 values given\)/)
    expect(() => writeNifti({ ...oblique, data: new Int16Array(3) })).toThrow(/has 3 values but its size 6×5×4/)
  })
})

describe('files written by writeNifti, read by nibabel (written/*.json from check-written.py)', () => {
  for (const { name, image } of writtenSamples()) {
    it(`${name}: nibabel reads the geometry and data we wrote`, () => {
      const exp = JSON.parse(readFileSync(join(REF, 'written', `${name}.json`), 'utf8'))
      // the committed file is what writeNifti writes today (gzip's mtime aside)
      const committed = gunzipSync(new Uint8Array(readFileSync(join(REF, 'written', `${name}.nii.gz`))))
      expect(committed).toEqual(new Uint8Array(writeNifti(image, { gzip: false })))
      expect(exp.magic.replace(/\0/g, '')).toBe('n+1')
      expect(exp.vox_offset).toBe(352)
      expect(exp.qform_code).toBe(1)
      expect(exp.sform_code).toBe(1)
      expect(exp.xyzt_units).toEqual(['mm', 'sec'])
      expect(exp.shape).toEqual(image.size)
      const n = Math.min(image.imageType.dimension, 3)
      for (const g of [exp.sform, exp.qform] as Geometry[]) {
        expect(maxDiff(g.spacing, image.spacing.slice(0, n))).toBeLessThanOrEqual(1e-6)
        expect(maxDiff(g.origin, image.origin.slice(0, n))).toBeLessThanOrEqual(1e-5)
        expect(maxDiff(g.direction, spatialDirection(image))).toBeLessThanOrEqual(1e-6)
      }
      expect(exp.qfac).toBe(name.startsWith('lefthanded') ? -1 : 1)
      expect(maxDiff(exp.data, image.data as Float64Array)).toBe(0)
    })
  }
})

// Hostile and damaged NIfTI files: every reader path either returns a valid image or throws a
// NiftiError with a stable code, checks gzip integrity (CRC-32 and length), and refuses sizes a
// file could not hold before allocating anything.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import type { Image } from '../../../src/image'
import { NiftiError, readNifti, readNiftiPair, readNiftiSync } from '../../../src/io/nifti'

const FIX = join(__dirname, '../../reference/io/nifti/fixtures')
const plain = new Uint8Array(readFileSync(join(FIX, 'qform_only_int16.nii')))
const colinGz = new Uint8Array(readFileSync(join(FIX, 'colin27_ds4.nii.gz')))

const readers: [string, (b: Uint8Array) => Promise<Image>][] = [
  ['native', (b) => readNifti(b)],
  ['fflate', (b) => readNifti(b, { nativeGunzip: false })],
  ['sync', async (b) => readNiftiSync(b)],
]

const edited = (edit: (v: DataView, b: Uint8Array) => void, from = plain): Uint8Array => {
  const b = from.slice()
  edit(new DataView(b.buffer), b)
  return b
}

/** Byte offset where a gzip member's deflate data start (RFC 1952 header with optional fields). */
function deflateStart(gz: Uint8Array): number {
  const flags = gz[3]!
  let at = 10
  if (flags & 4) at += 2 + (gz[10]! | (gz[11]! << 8))
  if (flags & 8) while (gz[at++] !== 0);
  if (flags & 16) while (gz[at++] !== 0);
  if (flags & 2) at += 2
  return at
}

describe.each(readers)('%s gunzip', (_name, read) => {
  it('a flipped bit in the compressed data of a real file is caught (CRC-32), not loaded', async () => {
    const reference = await read(colinGz)
    // Flip bits through the stream until one changes the output without breaking the deflate
    // syntax: such an input must fail on its CRC, never load with wrong voxels.
    let silent = 0
    let crcCaught = 0
    const start = deflateStart(colinGz)
    for (let k = 0; k < 24; k++) {
      const at = start + Math.floor(((k + 0.5) / 24) * (colinGz.length - start - 8))
      const bad = edited((_, b) => { b[at] ^= 1 << (k % 8) }, colinGz)
      try {
        const img = await read(bad)
        const a = img.data as Uint8Array, r = reference.data as Uint8Array
        if (a.length !== r.length || a.some((v, i) => v !== r[i])) silent++
      } catch (e) {
        expect(e).toBeInstanceOf(NiftiError)
        expect(['CORRUPT_GZIP', 'TRUNCATED']).toContain((e as NiftiError).code)
        if (/CRC-32|trailer/.test((e as Error).message) || (e as NiftiError).code === 'CORRUPT_GZIP') crcCaught++
      }
    }
    expect(silent).toBe(0)
    expect(crcCaught).toBeGreaterThan(0)
  })

  it('a damaged trailer (CRC or length) is refused', async () => {
    const gz = gzipSync(plain)
    await expect(read(edited((_, b) => { b[b.length - 6] ^= 0xff }, gz))).rejects.toMatchObject({ code: 'CORRUPT_GZIP' })
    await expect(read(edited((_, b) => { b[b.length - 2] ^= 0x01 }, gz))).rejects.toMatchObject({ code: 'CORRUPT_GZIP' })
  })

  it('a multi-member gzip (as pigz/bgzip write) reads as the whole file', async () => {
    const cut = 500
    const two = new Uint8Array([...gzipSync(plain.subarray(0, cut)), ...gzipSync(plain.subarray(cut))])
    const img = await read(two)
    const ref = readNiftiSync(plain)
    expect(Array.from(img.data as Int16Array)).toEqual(Array.from(ref.data as Int16Array))
  })

  it('a tiny .nii.gz claiming a huge image is refused before allocating (TRUNCATED)', async () => {
    // 51-ish bytes of gzip whose header claims 1200³ uint8 voxels (1.6 GiB).
    const hdr = edited((v) => {
      v.setInt16(40, 3, true)
      v.setInt16(42, 1200, true); v.setInt16(44, 1200, true); v.setInt16(46, 1200, true)
      v.setInt16(70, 2, true); v.setInt16(72, 8, true)
    }).subarray(0, 352)
    const gz = gzipSync(hdr, { level: 9 })
    expect(gz.length).toBeLessThan(200)
    const err = await read(gz).catch((e) => e)
    expect(err).toBeInstanceOf(NiftiError)
    expect(err.code).toBe('TRUNCATED')
    expect(err.message).toMatch(/claims 1728000352 bytes.*can hold at most/)
  })
})

describe('header fields', () => {
  it('vox_offset NaN or negative is INVALID_HEADER (was: an image with no data)', async () => {
    for (const v of [NaN, -4, Infinity]) {
      const bad = edited((d) => d.setFloat32(108, v, true))
      await expect(readNifti(bad)).rejects.toMatchObject({ name: 'NiftiError', code: 'INVALID_HEADER', message: expect.stringMatching(/vox_offset/) })
      await expect(readNifti(gzipSync(bad))).rejects.toMatchObject({ code: 'INVALID_HEADER' })
    }
  })

  it('a NaN in the sform it must use is INVALID_GEOMETRY', async () => {
    // sform only (qform_code 0, sform_code 2) with a NaN translation.
    const bad = edited((d) => {
      d.setInt16(252, 0, true) // qform_code
      d.setInt16(254, 2, true) // sform_code
      const rows = [[-1, 0, 0, NaN], [0, -1, 0, 0], [0, 0, 1, 0]]
      rows.forEach((r, i) => r.forEach((x, j) => d.setFloat32(280 + (i * 4 + j) * 4, x, true)))
    })
    const err = await readNifti(bad).catch((e) => e)
    expect(err).toBeInstanceOf(NiftiError)
    expect(err.code).toBe('INVALID_GEOMETRY')
  })

  it('maxBytes refuses an image above the caller’s memory limit before reading it', async () => {
    const size = readNiftiSync(plain).data!.byteLength
    await expect(readNifti(plain, { maxBytes: size - 1 })).rejects.toMatchObject({ code: 'TOO_LARGE' })
    await expect(readNifti(gzipSync(plain), { maxBytes: size - 1 })).rejects.toMatchObject({ code: 'TOO_LARGE' })
    expect((await readNifti(plain, { maxBytes: size })).data!.byteLength).toBe(size)
  })

  it('codes for the classic failures', async () => {
    await expect(readNifti(plain.slice(0, 100))).rejects.toMatchObject({ code: 'NOT_NIFTI' })
    await expect(readNifti(edited((_, b) => b.set([0x78, 0x79, 0x7a], 344)))).rejects.toMatchObject({ code: 'NOT_NIFTI' })
    await expect(readNifti(edited((v) => v.setInt16(44, 0, true)))).rejects.toMatchObject({ code: 'INVALID_HEADER' })
    await expect(readNifti(edited((v) => v.setInt16(70, 1536, true)))).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(readNifti(plain.slice(0, plain.length - 3))).rejects.toMatchObject({ code: 'TRUNCATED' })
    const pairHeader = edited((_, b) => b.set([0x6e, 0x69, 0x31], 344))
    await expect(readNifti(pairHeader)).rejects.toMatchObject({ code: 'PAIR_HEADER' })
    await expect(readNiftiPair(gzipSync(pairHeader).slice(0, 30), new Uint8Array(0))).rejects.toMatchObject({ code: 'TRUNCATED' })
  })
})

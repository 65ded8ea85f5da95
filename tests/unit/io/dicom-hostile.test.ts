// Hostile DICOM headers: dimensions the pixel data cannot hold are refused quickly with a coded
// DicomError, before any per-frame record or pixel buffer is built.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DicomError, readDicomHeader, readDicomSeries } from '../../../src/io/dicom'
import { writeDicomFile, type DicomElement } from '../../../scripts/dicom-writer'

const META = { mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.2', mediaStorageSopInstanceUid: '2.25.1', implementationClassUid: '2.25.2' }

function ct(overrides: Partial<Record<string, DicomElement['value']>>, pixels = new Uint8Array(4 * 4 * 2)): Uint8Array {
  const els: DicomElement[] = [
    { tag: 0x00080016, vr: 'UI', value: META.mediaStorageSopClassUid },
    { tag: 0x00080018, vr: 'UI', value: META.mediaStorageSopInstanceUid },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x0020000e, vr: 'UI', value: '2.25.3' },
    { tag: 0x00200032, vr: 'DS', value: '0\\0\\0' },
    { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    ...(overrides.frames !== undefined ? [{ tag: 0x00280008, vr: 'IS' as const, value: String(overrides.frames) }] : []),
    { tag: 0x00280010, vr: 'US', value: (overrides.rows as number) ?? 4 },
    { tag: 0x00280011, vr: 'US', value: (overrides.columns as number) ?? 4 },
    { tag: 0x00280030, vr: 'DS', value: '1\\1' },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 16 },
    { tag: 0x00280102, vr: 'US', value: 15 },
    { tag: 0x00280103, vr: 'US', value: 1 },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ]
  return writeDicomFile(META, els)
}

async function errorOf(p: Promise<unknown>): Promise<DicomError> {
  try {
    await p
  } catch (e) {
    return e as DicomError
  }
  throw new Error('expected a rejection')
}

describe('DICOM dimensions against the pixel data present', () => {
  it('a sane 4×4 file reads (the fixture itself is valid)', async () => {
    const img = await readDicomSeries([ct({})])
    expect(img.size).toEqual([4, 4, 1])
  })

  it('NumberOfFrames = 10⁷ on a 32-byte Pixel Data is TRUNCATED (checked before any frame record is built)', async () => {
    const e = await errorOf(readDicomSeries([ct({ frames: 10_000_000 })]))
    expect(e).toBeInstanceOf(DicomError)
    expect(e.code).toBe('TRUNCATED')
    expect(e.message).toMatch(/NumberOfFrames \(0028,0008\) is 10000000.*room for 1 frame/)
  })

  it('NumberOfFrames that fits is read as frames', async () => {
    const img = await readDicomSeries([ct({ frames: 2 }, new Uint8Array(2 * 4 * 4 * 2))])
    expect(img.size[2]).toBe(2)
  })

  it('Rows = 0 or Columns = 0 is refused with a code (was: a 4×0×1 image)', async () => {
    for (const [rows, columns] of [[0, 4], [4, 0]]) {
      const e = await errorOf(readDicomSeries([ct({ rows, columns })]))
      expect(e).toBeInstanceOf(DicomError)
      expect(e.code).toBe('UNSUPPORTED_PIXEL_FORMAT')
      expect(e.message).toMatch(/Rows \(0028,0010\) = \d+ and Columns \(0028,0011\) = \d+/)
    }
  })
})

describe('a file cut at any byte gives a coded DicomError in plain words', () => {
  // Implicit VR is where dicom-parser used to let a bare string ("dicomParser.readFixedString:
  // attempt to read past end of buffer") or a RangeError through.
  const FILES = join(__dirname, '../../reference/io/dicom/files')
  for (const file of ['MR_small_implicit.dcm', 'CT_small.dcm']) {
    it(`${file}: every cut in the first 1.5 kB (series reader and header reader)`, async () => {
      const whole = new Uint8Array(readFileSync(join(FILES, file)))
      const codes = new Map<string, number>()
      for (let cut = 0; cut < 1500; cut += 3) {
        const bytes = whole.slice(0, cut)
        for (const read of [() => readDicomSeries([bytes]), async () => readDicomHeader(bytes.buffer)]) {
          let err: unknown
          try {
            await read()
          } catch (e) {
            err = e
          }
          if (err === undefined) continue // a header-only prefix may be readable by the header reader
          expect(err, `cut at ${cut}`).toBeInstanceOf(DicomError)
          const e = err as DicomError
          expect(['TRUNCATED', 'NOT_DICOM', 'NO_PIXEL_DATA', 'EMPTY_INPUT']).toContain(e.code)
          expect(e.message, `cut at ${cut}`).not.toMatch(/dicomParser|byteArray|DataView|undefined/)
          codes.set(e.code, (codes.get(e.code) ?? 0) + 1)
        }
      }
      expect(codes.get('TRUNCATED')).toBeGreaterThan(100)
    })
  }
})

describe('a corrupt compressed stream decoded by itk-wasm (GDCM)', () => {
  it('gives a coded DicomError in plain words and leaves process.exitCode alone', async () => {
    const FILES = join(__dirname, '../../reference/io/dicom/files')
    const whole = new Uint8Array(readFileSync(join(FILES, '693_J2KI.dcm')))
    const before = process.exitCode
    // Overwrite the JPEG 2000 codestream after its main header (SOC, SIZ: its size agrees with
    // the DICOM header) with garbage; the fragment structure stays intact, so the bytes reach GDCM.
    let soc = -1
    for (let i = 132; i < whole.length - 4; i++) if (whole[i] === 0xff && whole[i + 1] === 0x4f && whole[i + 2] === 0xff && whole[i + 3] === 0x51) soc = i
    expect(soc).toBeGreaterThan(0)
    const bad = whole.slice()
    for (let i = soc + 45; i < bad.length - 16; i++) bad[i] = (i * 7919) & 0xff
    let err: unknown
    try {
      await readDicomSeries([bad])
    } catch (e) {
      err = e
    }
    expect(process.exitCode).toBe(before)
    expect(err).toBeInstanceOf(DicomError)
    expect((err as Error).message).toMatch(/could not be decoded by itk-wasm \(GDCM\): the decoder rejected the compressed pixel data/)
    const truncated = whole.slice(0, Math.floor(whole.length * 0.6))
    const e2 = await readDicomSeries([truncated]).then(() => undefined, (e) => e)
    expect(e2).toBeInstanceOf(DicomError)
    expect(process.exitCode).toBe(before)
  })
})

/** `base` with `depth` nested undefined-length sequences (0040,0275), each holding one item, before its Pixel Data. */
function nestSequences(base: Uint8Array, depth: number, explicit: boolean): Uint8Array {
  let at = -1
  for (let i = base.length - 12; i > 132; i--) if (base[i] === 0xe0 && base[i + 1] === 0x7f && base[i + 2] === 0x10 && base[i + 3] === 0) { at = i; break }
  expect(at).toBeGreaterThan(0)
  const seq = explicit ? [0x40, 0x00, 0x75, 0x02, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff] : [0x40, 0x00, 0x75, 0x02, 0xff, 0xff, 0xff, 0xff]
  const open = [...seq, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]
  const close = [0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]
  const out = new Uint8Array(base.length + depth * (open.length + close.length))
  out.set(base.subarray(0, at))
  let p = at
  for (let d = 0; d < depth; d++) { out.set(open, p); p += open.length }
  for (let d = 0; d < depth; d++) { out.set(close, p); p += close.length }
  out.set(base.subarray(at), p)
  return out
}

describe('deeply nested sequences', () => {
  // Before: a 20 000-deep nesting reached the caller as TRUNCATED "(RangeError: Maximum call stack
  // size exceeded)" from dicom-parser's recursion; 65 levels were accepted.
  const FILES = join(__dirname, '../../reference/io/dicom/files')
  const cases: [string, Uint8Array, boolean][] = [
    ['explicit VR (crafted CT)', ct({}), true],
    ['implicit VR (MR_small_implicit.dcm)', new Uint8Array(readFileSync(join(FILES, 'MR_small_implicit.dcm'))), false],
  ]
  for (const [what, base, explicit] of cases) {
    it(`${what}: 64 levels read, 65 and 20 000 levels are NESTING_TOO_DEEP in both readers`, async () => {
      const ok = nestSequences(base, 64, explicit)
      expect((await readDicomSeries([ok])).size[2]).toBe(1)
      expect(readDicomHeader(ok).length).toBeGreaterThan(5)
      for (const depth of [65, 20_000]) {
        const bytes = nestSequences(base, depth, explicit)
        const e = await errorOf(readDicomSeries([bytes]))
        expect(e).toBeInstanceOf(DicomError)
        expect(e.code).toBe('NESTING_TOO_DEEP')
        expect(e.message).toMatch(/^file #1 nests sequences more than 64 levels deep \(at byte \d+\)/)
        let h: unknown
        try { readDicomHeader(bytes) } catch (x) { h = x }
        expect(h).toBeInstanceOf(DicomError)
        expect((h as DicomError).code).toBe('NESTING_TOO_DEEP')
        expect((h as Error).message).not.toMatch(/call stack/)
      }
    })
  }
})

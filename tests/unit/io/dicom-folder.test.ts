// A folder with bad files (issue 13, "Folders"): every reproducer is built here from small crafted
// slices and the test files, and the tests assert the codes and the structured lists reported.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DicomError, dicomReadReport, listDicomSeries, readDicomSeries, surveyDicomFiles, type DicomInput } from '../../../src/io/dicom'
import { writeDicomFile, type DicomElement } from '../../../scripts/dicom-writer'

const FILES = join(__dirname, '../../reference/io/dicom/files')
const CT = '1.2.840.10008.5.1.4.1.1.2'

interface SliceSpec {
  series?: string
  sop?: string
  z?: number
  spacing?: string
  rows?: number
  columns?: number
  iop?: string
  seed?: number
  sopClass?: string
  pixels?: boolean
  /** Pixel Data bytes instead of the 4×4 pattern. */
  pixelBytes?: Uint8Array
}

/** A 4×4 int16 CT slice (explicit VR little endian) at z, with pixels from `seed`. */
function slice(s: SliceSpec): Uint8Array {
  const rows = s.rows ?? 4
  const columns = s.columns ?? 4
  const px = new Int16Array(rows * columns)
  for (let i = 0; i < px.length; i++) px[i] = ((s.seed ?? Math.round((s.z ?? 0) * 10)) * 31 + i * 7) % 1000
  const sopClass = s.sopClass ?? CT
  const sop = s.sop ?? `2.25.${(s.series ?? '2.25.100').replace(/\D/g, '')}${Math.round((s.z ?? 0) * 100) + 1000}${s.seed ?? ''}`
  const els: DicomElement[] = [
    { tag: 0x00080016, vr: 'UI', value: sopClass },
    { tag: 0x00080018, vr: 'UI', value: sop },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x0020000e, vr: 'UI', value: s.series ?? '2.25.100' },
    { tag: 0x00200032, vr: 'DS', value: `0\\0\\${s.z ?? 0}` },
    { tag: 0x00200037, vr: 'DS', value: s.iop ?? '1\\0\\0\\0\\1\\0' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: columns },
    { tag: 0x00280030, vr: 'DS', value: s.spacing ?? '0.5\\0.5' },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 16 },
    { tag: 0x00280102, vr: 'US', value: 15 },
    { tag: 0x00280103, vr: 'US', value: 1 },
    { tag: 0x00281052, vr: 'DS', value: '-1024' },
    { tag: 0x00281053, vr: 'DS', value: '1' },
    ...(s.pixels === false ? [] : [{ tag: 0x7fe00010, vr: 'OW' as const, value: s.pixelBytes ?? new Uint8Array(px.buffer) }]),
  ]
  return writeDicomFile({ mediaStorageSopClassUid: sopClass, mediaStorageSopInstanceUid: sop, implementationClassUid: '2.25.2' }, els)
}

/** The file without its last 10 bytes (inside the 32-byte Pixel Data). */
function cut(bytes: Uint8Array): Uint8Array {
  return bytes.slice(0, bytes.length - 10)
}

function named(bytes: Uint8Array, name: string): File {
  return new File([bytes as Uint8Array<ArrayBuffer>], name)
}

/** Five good slices z = 0, 2.5, …, 10 of series 2.25.100. */
function goodSeries(): File[] {
  return [0, 1, 2, 3, 4].map((k) => named(slice({ z: k * 2.5 }), `s${k}.dcm`))
}

/** The same bytes with the transfer syntax UID in the meta group replaced (same length). */
function withTransferSyntax(bytes: Uint8Array, uid: string): Uint8Array {
  const out = bytes.slice()
  const old = new TextEncoder().encode('1.2.840.10008.1.2.1\0')
  for (let i = 132; i < 400; i++) {
    if (old.every((c, k) => out[i + k] === c)) {
      out.set(new TextEncoder().encode(uid.padEnd(old.length, '\0')), i)
      return out
    }
  }
  throw new Error('no transfer syntax found')
}

/** The bad files of the folder, each with the code it must be reported with. */
function badFiles(): [File, string][] {
  const good = slice({ z: 20, series: '2.25.999' })
  return [
    [named(cut(good), 'cut-other-series.dcm'), 'TRUNCATED'],
    [named(new TextEncoder().encode('just some notes, not a scan'), 'notes.txt'), 'NOT_DICOM'],
    [named(new Uint8Array(readFileSync(join(FILES, 'rtplan.dcm'))), 'rtplan.dcm'), 'NOT_AN_IMAGE'],
    [named(new Uint8Array(readFileSync(join(FILES, 'test-SR.dcm'))), 'report-SR.dcm'), 'NOT_AN_IMAGE'],
    // Grayscale Softcopy Presentation State Storage, in the series of the image.
    [named(slice({ z: 5, sopClass: '1.2.840.10008.5.1.4.1.1.11.1', sop: '2.25.77', pixels: false }), 'gsps.dcm'), 'NOT_AN_IMAGE'],
    [named(slice({ z: 5, sop: '2.25.78', pixels: false }), 'no-pixels.dcm'), 'NO_PIXEL_DATA'],
    [named(withTransferSyntax(slice({ z: 7.5, sop: '2.25.79' }), '1.2.840.10008.1.2.9'), 'odd-syntax.dcm'), 'UNSUPPORTED_TRANSFER_SYNTAX'],
    [named(cut(slice({ z: 10, sop: '2.25.80', seed: 5 })), 'cut-pixels.dcm'), 'TRUNCATED'],
  ]
}

async function errorOf(p: Promise<unknown>): Promise<DicomError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(DicomError)
    return e as DicomError
  }
  throw new Error('expected a rejection')
}

/** A seeded shuffle (the same permutations on every run). */
function shuffled<T>(list: T[], seed: number): T[] {
  const out = [...list]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

describe('a folder with bad files of every kind', () => {
  const stray = () => named(slice({ z: 0, series: '2.25.555' }), 'aaa-stray.dcm')

  it('reads the good series; each bad file is reported with its code, none fails the folder', async () => {
    const bad = badFiles()
    // The stray single slice of another series comes first (it used to be the one loaded).
    const files = [stray(), ...bad.map(([f]) => f), ...goodSeries()]
    const img = await readDicomSeries(files)
    expect(img.size).toEqual([4, 4, 5])
    expect(img.spacing[2]).toBeCloseTo(2.5, 9)
    expect(img.metadata.get('SeriesInstanceUID')).toBe('2.25.100')
    const report = dicomReadReport(img)
    expect(report.seriesSelection).toBe('the series with the most slices (5) of 2 image series')
    expect(report.skipped.map((k) => [k.name, k.code])).toEqual(bad.map(([f, code]) => [f.name, code]))
    expect(report.skipped.map((k) => k.index)).toEqual(bad.map((_, i) => i + 1))
    for (const k of report.skipped) expect(k.message).toContain(k.name)
    const msg = (name: string) => report.skipped.find((k) => k.name === name)!.message
    expect(msg('rtplan.dcm')).toMatch(/is not an image: its SOP Class is RT Plan Storage/)
    expect(msg('report-SR.dcm')).toMatch(/SR Storage/)
    expect(msg('gsps.dcm')).toMatch(/Grayscale Softcopy Presentation State Storage/)
    expect(msg('no-pixels.dcm')).toBe('no-pixels.dcm is a CT Image Storage object but has no Pixel Data (7FE0,0010): its pixels are missing (removed, or the file was cut short before them)')
    expect(msg('odd-syntax.dcm')).toMatch(/transfer syntax Unknown transfer syntax \(1\.2\.840\.10008\.1\.2\.9\) is not supported/)
    expect(msg('cut-pixels.dcm')).toMatch(/truncated/)
    // Other series: the stray slice, the RT Plan, the SR (the truncated file's series is unknown).
    expect(report.otherSeries.length).toBe(3)
    expect(report.otherSeries.some((s) => s.startsWith('2.25.555: CT, 1 file(s), 1 slice(s)'))).toBe(true)
    expect(String(img.metadata.get('ReaderNotes'))).toMatch(/Skipped 8 file\(s\): cut-other-series\.dcm \(TRUNCATED\)/)
  })

  it('the same series, voxels and skipped list in 6 shuffled orders', async () => {
    const files = [stray(), ...badFiles().map(([f]) => f), ...goodSeries()]
    const ref = await readDicomSeries(files)
    const refSkipped = dicomReadReport(ref).skipped.map((k) => [k.name, k.code]).sort()
    for (let seed = 1; seed <= 6; seed++) {
      const img = await readDicomSeries(shuffled(files, seed))
      expect(Array.from(img.data as Int16Array)).toEqual(Array.from(ref.data as Int16Array))
      expect(img.origin).toEqual(ref.origin)
      expect(dicomReadReport(img).skipped.map((k) => [k.name, k.code]).sort()).toEqual(refSkipped)
    }
  })

  it('listDicomSeries and surveyDicomFiles never fail on them and report the same list', async () => {
    const bad = badFiles()
    const files = [stray(), ...bad.map(([f]) => f), ...goodSeries()]
    const list = await listDicomSeries(files)
    expect(list[0].seriesInstanceUID).toBe('2.25.100')
    expect(list[0].slices).toBe(5)
    expect(list[0].count).toBe(8) // 5 slices + presentation state, no-pixels, odd syntax (cut-pixels.dcm does not parse)
    expect(list.skipped.map((k) => k.code)).toEqual(bad.map(([, c]) => c))
    const survey = await surveyDicomFiles(files)
    expect(survey.skipped).toEqual(list.skipped)
    expect(survey.unreadable.map((u) => u.name)).toEqual(['cut-other-series.dcm', 'notes.txt', 'cut-pixels.dcm'])
  })

  it('when no file is an image: the first file\'s code, and a count of all', async () => {
    const bad = badFiles().slice(0, 3).map(([f]) => f)
    const e = await errorOf(readDicomSeries(bad))
    expect(e.code).toBe('TRUNCATED')
    expect(e.message).toMatch(/^None of the 3 files is a readable DICOM image \(1 TRUNCATED, 1 NOT_DICOM, 1 NOT_AN_IMAGE\); the first: cut-other-series\.dcm is truncated/)
    // A requested series whose only image has too few pixel bytes: that file's error.
    const short = named(slice({ z: 0, series: '2.25.7', sop: '2.25.71', pixelBytes: new Uint8Array(16) }), 'short.dcm')
    const e2 = await errorOf(readDicomSeries([...goodSeries(), short], { seriesInstanceUID: '2.25.7' }))
    expect(e2.code).toBe('TRUNCATED')
    expect(e2.message).toBe('short.dcm is truncated: its Pixel Data (7FE0,0010) has 16 bytes but 4×4 at 16 bits needs 32 (16 bytes missing)')
    // …and the default read of that folder is the good series, with short.dcm reported.
    const img = await readDicomSeries([short, ...goodSeries()])
    expect(dicomReadReport(img).skipped.map((k) => [k.name, k.code])).toEqual([['short.dcm', 'TRUNCATED']])
    // A file that does not parse belongs to no known series: asking for its series says so.
    const e3 = await errorOf(readDicomSeries([...goodSeries(), named(cut(slice({ z: 0, series: '2.25.8', sop: '2.25.81' })), 'cut.dcm')], { seriesInstanceUID: '2.25.8' }))
    expect(e3.code).toBe('SERIES_NOT_FOUND')
    expect(e3.message).toMatch(/hold 1 series: 2\.25\.100 \(1 file\(s\) could not be read and were not counted\)/)
  })
})

describe('series choice does not depend on file order', () => {
  it('two series of 3 slices: the smaller SeriesInstanceUID, in either order, and the tie is reported', async () => {
    const a = [0, 1, 2].map((k) => named(slice({ z: k, series: '2.25.300' }), `a${k}.dcm`))
    const b = [0, 1, 2].map((k) => named(slice({ z: k, series: '2.25.299' }), `b${k}.dcm`))
    for (const files of [[...a, ...b], [...b, ...a], shuffled([...a, ...b], 3)]) {
      const img = await readDicomSeries(files)
      expect(img.metadata.get('SeriesInstanceUID')).toBe('2.25.299')
      expect(img.metadata.get('SeriesSelection')).toBe('the series with the most slices (3) of 2 image series; 2 series have 3 slices, the one with the smallest SeriesInstanceUID was taken')
    }
    const asked = await readDicomSeries([...b, ...a], { seriesInstanceUID: '2.25.300' })
    expect(asked.metadata.get('SeriesSelection')).toBe('series 2.25.300, as requested')
  })
})

describe('duplicate slices are dropped and reported, not stacked', () => {
  it('the same file twice (same SOPInstanceUID): 5 slices, z spacing 2.5 mm', async () => {
    const files = [...goodSeries(), named(slice({ z: 5 }), 'copy-of-s2.dcm')]
    const img = await readDicomSeries(files)
    expect(img.size).toEqual([4, 4, 5])
    expect(img.spacing[2]).toBeCloseTo(2.5, 9)
    const [k] = dicomReadReport(img).skipped
    expect([k.name, k.code]).toEqual(['s2.dcm', 'DUPLICATE_SLICE'])
    expect(k.message).toMatch(/same SOPInstanceUID .* as copy-of-s2\.dcm/)
  })

  it('a copy with a new SOPInstanceUID at the same position with the same pixels: dropped (was: 6 slices, z spacing 2 mm)', async () => {
    const files = [...goodSeries(), named(slice({ z: 5, sop: '2.25.4242' }), 'z5-again.dcm')]
    const img = await readDicomSeries(files)
    expect(img.size).toEqual([4, 4, 5])
    expect(img.spacing[2]).toBeCloseTo(2.5, 9)
    const [k] = dicomReadReport(img).skipped
    expect([k.name, k.code]).toEqual(['z5-again.dcm', 'DUPLICATE_SLICE'])
    expect(k.message).toMatch(/same position as s2\.dcm \(5\.000 mm along the slice normal\) with the same pixels/)
  })

  it('two slices at one position with different pixels (e.g. two echoes): INCONSISTENT_SERIES', async () => {
    const e = await errorOf(readDicomSeries([...goodSeries(), named(slice({ z: 5, sop: '2.25.4243', seed: 99 }), 'echo2.dcm')]))
    expect(e.code).toBe('INCONSISTENT_SERIES')
    expect(e.message).toMatch(/echo2\.dcm and s2\.dcm|s2\.dcm and echo2\.dcm/)
    expect(e.message).toMatch(/same position \(5\.000 mm along the slice normal\) but hold different pixels/)
  })
})

describe('a slice unlike the series majority is left out with a note (or refused)', () => {
  const cases: [string, SliceSpec, RegExp][] = [
    ['PixelSpacing', { spacing: '0.7\\0.7' }, /pixel spacing \(PixelSpacing\) is 0\.7\\0\.7, while 5 of the series' slices have 0\.5\\0\.5/],
    ['Rows/Columns', { rows: 8, columns: 8 }, /size \(Rows×Columns\) is 8×8, while 5 of the series' slices have 4×4/],
    ['ImageOrientationPatient', { iop: '1\\0\\0\\0\\0\\-1' }, /orientation \(ImageOrientationPatient\) is 1\\0\\0\\0\\0\\-1/],
  ]
  for (const [what, spec, message] of cases) {
    it(`${what}: excluded and reported; 'error' throws INCONSISTENT_SERIES`, async () => {
      const odd = named(slice({ z: 12.5, sop: '2.25.5150', ...spec }), 'odd.dcm')
      const files: DicomInput[] = [odd, ...goodSeries()]
      const img = await readDicomSeries(files)
      expect(img.size).toEqual([4, 4, 5])
      const [k] = dicomReadReport(img).skipped
      expect([k.index, k.name, k.code]).toEqual([0, 'odd.dcm', 'INCONSISTENT_SERIES'])
      expect(k.message).toMatch(message)
      const e = await errorOf(readDicomSeries(files, { inconsistentSlices: 'error' }))
      expect(e.code).toBe('INCONSISTENT_SERIES')
    })
  }

  it('no majority (2 slices against 2): INCONSISTENT_SERIES, nothing guessed', async () => {
    const files = [0, 1].map((k) => named(slice({ z: k }), `a${k}.dcm`)).concat([2, 3].map((k) => named(slice({ z: k, spacing: '0.7\\0.7' }), `b${k}.dcm`)))
    const e = await errorOf(readDicomSeries(files))
    expect(e.code).toBe('INCONSISTENT_SERIES')
    expect(e.message).toMatch(/differ in pixel spacing \(PixelSpacing\)/)
  })
})

describe('a missing slice is reported as a gap', () => {
  it('z = 0, 2.5, 5, 10, 12.5: one gap of 5 mm after sorted slice 2, ~1 slice missing', async () => {
    const files = [0, 2.5, 5, 10, 12.5].map((z, k) => named(slice({ z }), `g${k}.dcm`))
    const img = await readDicomSeries(shuffled(files, 9))
    expect(img.size).toEqual([4, 4, 5])
    expect(img.spacing[2]).toBeCloseTo(12.5 / 4, 9) // ITK's first-to-last / (n − 1)
    expect(dicomReadReport(img).sliceGaps).toEqual([{ afterSlice: 2, gapMm: 5, spacingMm: 2.5 }])
    const notes = (img.metadata.get('ReaderNotes') as string[]).join('\n')
    expect(notes).toMatch(/Slice gap: 5\.000 mm between sorted slices 2 and 3 \(g2\.dcm, g3\.dcm\) where the other slices are 2\.500 mm apart: about 1 slice\(s\) missing/)
    expect(notes).not.toMatch(/Non-uniform slice spacing/)
    // No gap, no report.
    expect(dicomReadReport(await readDicomSeries(goodSeries())).sliceGaps).toEqual([])
  })
})

describe('one file alone: the specific error', () => {
  it('an image object without Pixel Data is NO_PIXEL_DATA; an RT Plan is NOT_AN_IMAGE', async () => {
    const e = await errorOf(readDicomSeries([named(slice({ pixels: false }), 'ct-no-pixels.dcm')]))
    expect(e.code).toBe('NO_PIXEL_DATA')
    expect(e.message).toMatch(/^ct-no-pixels\.dcm is a CT Image Storage object but has no Pixel Data \(7FE0,0010\)/)
    expect(e.message).not.toMatch(/not an image/)
    // Unknown SOP class with Rows/Columns: still an image whose pixels are missing.
    const u = await errorOf(readDicomSeries([named(slice({ pixels: false, sopClass: '1.2.3.4.5' }), 'unknown.dcm')]))
    expect(u.code).toBe('NO_PIXEL_DATA')
    expect(u.message).toMatch(/is a 4×4 image \(Columns×Rows\) but has no Pixel Data/)
    const p = await errorOf(readDicomSeries([named(new Uint8Array(readFileSync(join(FILES, 'rtplan.dcm'))), 'plan.dcm')]))
    expect(p.code).toBe('NOT_AN_IMAGE')
  })
})

describe('the 72-slice thorax phantom folder with bad files (generated by npm run data)', () => {
  it('a stray MR slice first, a truncated copy, an exact copy, one slice removed: 71 slices, 2.5 mm, the gap and the list reported', async () => {
    const dir = join(__dirname, '../../../public/data/ct-thorax-phantom')
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { files: string[] }
    const file = (name: string) => named(new Uint8Array(readFileSync(join(dir, name))), name)
    const slices = index.files.filter((f) => f !== 'slice-040.dcm').map(file)
    const s36 = new Uint8Array(readFileSync(join(dir, 'slice-036.dcm')))
    const files = [
      named(new Uint8Array(readFileSync(join(FILES, 'MR_small.dcm'))), 'MR_small.dcm'),
      named(s36.slice(0, s36.length - 1000), 'slice-036 (cut copy).dcm'),
      named(new Uint8Array(readFileSync(join(dir, 'slice-010.dcm'))), 'slice-010 copy.dcm'),
      ...slices,
    ]
    const img = await readDicomSeries(files)
    expect(img.size).toEqual([512, 512, 71])
    const report = dicomReadReport(img)
    expect(report.skipped.map((k) => [k.name, k.code])).toEqual([['slice-036 (cut copy).dcm', 'TRUNCATED'], ['slice-010.dcm', 'DUPLICATE_SLICE']])
    expect(report.seriesSelection).toBe('the series with the most slices (71) of 2 image series')
    // slice-040 (z = −130 mm) is missing: sorted by z, the gap is after sorted slice 71 − 41 − 1 = 30.
    expect(report.sliceGaps).toEqual([{ afterSlice: 30, gapMm: 5, spacingMm: 2.5 }])
    expect(img.spacing[2]).toBeCloseTo(177.5 / 70, 9) // first-to-last / (n − 1), as ITK
  }, 60_000)
})

describe('a slice that fails only when decoded', () => {
  it('series_oblique_rle with one RLE fragment declaring 1 segment for 16 bits: 4 slices read, the file reported', async () => {
    const dir = join(FILES, 'series_oblique_rle')
    const files = ['img0.dcm', 'img1.dcm', 'img2.dcm', 'img3.dcm', 'img4.dcm'].map((f) => named(new Uint8Array(readFileSync(join(dir, f))), f))
    const b = new Uint8Array(readFileSync(join(dir, 'img2.dcm')))
    let at = -1
    for (let i = 0; i + 8 < b.length && at < 0; i++) if (b[i] === 2 && b[i + 1] === 0 && b[i + 2] === 0 && b[i + 3] === 0 && b[i + 4] === 64 && b[i + 5] === 0) at = i
    expect(at).toBeGreaterThan(0)
    b[at] = 1
    files[2] = named(b, 'img2.dcm')
    const img = await readDicomSeries(files)
    expect(img.size).toEqual([64, 64, 4])
    const [k] = dicomReadReport(img).skipped
    expect([k.index, k.name, k.code]).toEqual([2, 'img2.dcm', 'UNSUPPORTED_PIXEL_FORMAT'])
    expect(k.message).toMatch(/RLE frame 1 has 1 segment\(s\) but 1 sample\(s\) of 16 bits need 2/)
    // Alone, the file gives that error.
    const e = await errorOf(readDicomSeries([files[2]]))
    expect(e.code).toBe('UNSUPPORTED_PIXEL_FORMAT')
  })
})

describe('inputs whose bytes cannot be had', () => {
  it('a File that fails to read and a non-bytes input are READ_FAILED entries, not a thrown TypeError', async () => {
    const gone = new File([new Uint8Array(10)], 'moved-away.dcm')
    Object.defineProperty(gone, 'arrayBuffer', { value: () => Promise.reject(Object.assign(new Error('The file could not be read'), { name: 'NotReadableError' })) })
    const files = [gone, 42 as unknown as DicomInput, ...goodSeries()]
    const img = await readDicomSeries(files)
    expect(img.size).toEqual([4, 4, 5])
    expect(dicomReadReport(img).skipped.map((k) => [k.index, k.name, k.code])).toEqual([[0, 'moved-away.dcm', 'READ_FAILED'], [1, 'file #2', 'READ_FAILED']])
    expect(dicomReadReport(img).skipped[0].message).toBe('moved-away.dcm could not be read (NotReadableError: The file could not be read); it may have been moved or deleted')
    const e = await errorOf(readDicomSeries([42 as unknown as DicomInput]))
    expect(e.code).toBe('READ_FAILED')
    expect(e.message).toBe('DICOM input 1 is neither an ArrayBuffer, a Uint8Array nor a Blob/File (it is number)')
  })
})

/**
 * readDicomSeries / listDicomSeries against pydicom 2.3 (+ numpy, DCMTK for JPEG-LS): the expected
 * pixels and geometry come from tests/reference/io/dicom/make-reference.py, which computes the ITK
 * geometry from the tags on its own.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { indexToPhysicalPoint, type Image } from '../../../src/image'
import { DicomError, listDicomSeries, readDicomHeader, readDicomSeries, surveyDicomFiles, transferSyntaxName } from '../../../src/io/dicom'
import { readImageDicomFileSeriesNode } from '@itk-wasm/dicom'

const REF = join(__dirname, '../../reference/io/dicom')

function fileOf(rel: string): File {
  const b = readFileSync(join(REF, 'files', rel))
  return new File([b], rel.split('/').pop()!)
}

function bufferOf(rel: string): ArrayBuffer {
  const b = readFileSync(join(REF, 'files', rel))
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
}

interface Expected {
  files: string[]
  size: number[]
  spacing: number[]
  origin: number[]
  direction: number[]
  componentType: string
  binDtype: 'int16' | 'float32' | 'float64'
  sortedFiles: string[]
  photometricInterpretation: string
}

function expected(name: string): { meta: Expected; values: Float32Array | Int16Array | Float64Array } {
  const meta = JSON.parse(readFileSync(join(REF, 'expected', name + '.json'), 'utf8')) as Expected
  const b = readFileSync(join(REF, 'expected', name + '.bin'))
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
  return { meta, values: meta.binDtype === 'int16' ? new Int16Array(ab) : meta.binDtype === 'float64' ? new Float64Array(ab) : new Float32Array(ab) }
}

function checkGeometry(img: Image, meta: Expected): void {
  expect(img.imageType.dimension).toBe(3)
  expect(img.size).toEqual(meta.size)
  for (let i = 0; i < 3; i++) {
    expect(img.spacing[i]).toBeCloseTo(meta.spacing[i], 9)
    expect(img.origin[i]).toBeCloseTo(meta.origin[i], 9)
  }
  for (let i = 0; i < 9; i++) expect(img.direction[i] as number).toBeCloseTo(meta.direction[i], 9)
}

/** Largest absolute difference between our pixels and pydicom's. */
function maxAbsDiff(img: Image, values: ArrayLike<number>): number {
  const data = img.data as unknown as ArrayLike<number>
  expect(data.length).toBe(values.length)
  let m = 0
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(data[i] - values[i]))
  return m
}

/** Sum and index-weighted sum of the voxels: a check for volumes too large to commit as fixtures. */
function checksums(img: Image): { sum: number; indexSum: number } {
  const d = img.data as Int16Array
  let sum = 0
  let indexSum = 0
  for (let i = 0; i < d.length; i++) {
    sum += d[i]
    indexSum += d[i] * i
  }
  return { sum, indexSum }
}

async function errorOf(p: Promise<unknown>): Promise<DicomError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(DicomError)
    return e as DicomError
  }
  throw new Error('expected a DicomError')
}

const LOSSLESS_NATIVE = [
  'CT_small', // explicit VR LE, CT with RescaleIntercept -1024
  'MR_small', // explicit VR LE
  'MR_small_bigendian', // explicit VR BE
  'MR_small_expb', // explicit VR BE
  'MR_small_implicit', // implicit VR LE
  'MR_small_padded', // pixel data longer than needed
  'CT_small_no_meta', // no preamble/meta: encoding guessed
  'image_dfl', // deflated explicit VR LE, 8-bit
  'rtdose', // 32-bit unsigned multi-frame, Grid Frame Offset Vector
  'MR_small_masked12', // BitsStored 12 signed with garbage in the high bits
  'MR_small_8bit_shifted', // BitsStored 6 of 8 ending at bit 6, signed
  'MR_small_32bit_masked', // BitsStored 20 of 32, signed
  'MR_small_slope', // slope 0.5 → float32
  'CT_small_bigintercept', // rescaled range above int16 → float32
  'CT_small_monochrome1',
  'series_oblique', // 5 shuffled oblique slices
  'series_nopos', // no positions: InstanceNumber order
  'series_tilt', // positions not along the normal (gantry tilt)
  'MR_enhanced_3frames', // geometry and rescale only in functional groups, frames in reverse order
]

describe('readDicomSeries: uncompressed transfer syntaxes vs pydicom', () => {
  for (const name of LOSSLESS_NATIVE) {
    it(`${name}: geometry, pixel type and exact pixels`, async () => {
      const { meta, values } = expected(name)
      const img = await readDicomSeries(meta.files.map(fileOf))
      checkGeometry(img, meta)
      expect(img.imageType.componentType).toBe(meta.componentType)
      expect(img.metadata.get('Decoder')).toBe('native (dicom-parser)')
      expect(img.metadata.get('SourceFiles')).toEqual([...new Set(meta.sortedFiles)])
      expect(img.metadata.get('PhotometricInterpretation')).toBe(meta.photometricInterpretation)
      expect(maxAbsDiff(img, values)).toBe(0)
    })
  }

  it('CT in Hounsfield units is int16 (slope 1, integer intercept) and air is below -800 HU', async () => {
    const img = await readDicomSeries([fileOf('CT_small.dcm')])
    expect(img.data).toBeInstanceOf(Int16Array)
    expect(img.metadata.get('RescaleIntercept')).toBe(-1024)
    expect(Math.min(...(img.data as Int16Array))).toBe(-896)
  })

  it('oblique series: voxel (i,j,k) lands where PS3.3 C.7.6.2.1.1 puts it from the sorted slice tags', async () => {
    const { meta } = expected('series_oblique')
    const files = meta.files.map(fileOf).reverse()
    const img = await readDicomSeries(files)
    expect(img.metadata.get('SliceSortMethod')).toMatch(/ImagePositionPatient/)
    // PS3.3 C.7.6.2.1.1 from the k-th sorted slice's IPP (pydicom geometry): P = IPP + i·Δc·row + j·Δr·col.
    const row = [img.direction[0], img.direction[3], img.direction[6]] as number[]
    const col = [img.direction[1], img.direction[4], img.direction[7]] as number[]
    for (let k = 0; k < 5; k++) {
      const ipp = [0, 1, 2].map((r) => meta.origin[r] + k * meta.spacing[2] * (meta.direction[r * 3 + 2]))
      const p = indexToPhysicalPoint(img, [7, 11, k])
      for (let r = 0; r < 3; r++) expect(p[r]).toBeCloseTo(ipp[r] + 7 * 0.3125 * row[r] + 11 * 0.3125 * col[r], 3)
    }
    // The normal is row × column (right-handed), not the reverse.
    const n = [img.direction[2], img.direction[5], img.direction[8]] as number[]
    expect(n[0]).toBeCloseTo(row[1] * col[2] - row[2] * col[1], 9)
    expect(n[2]).toBeCloseTo(row[0] * col[1] - row[1] * col[0], 9)
  })

  it('series without positions: InstanceNumber order, SpacingBetweenSlices, and a note in metadata', async () => {
    const img = await readDicomSeries(expected('series_nopos').meta.files.map(fileOf))
    expect(img.metadata.get('SliceSortMethod')).toMatch(/InstanceNumber/)
    expect(img.spacing[2]).toBe(3)
    expect(String(img.metadata.get('ReaderNotes'))).toMatch(/ImagePositionPatient.*missing/)
  })

  it('gantry tilt is reported with its angle', async () => {
    const img = await readDicomSeries(expected('series_tilt').meta.files.map(fileOf))
    // Δ = (0, 1, 4) mm over the series: atan(1/4) = 14.04°.
    expect(String(img.metadata.get('ReaderNotes'))).toContain('tilt 14.04°')
    const plain = await readDicomSeries(expected('series_oblique').meta.files.map(fileOf))
    expect(String(plain.metadata.get('ReaderNotes') ?? '')).not.toContain('tilt')
  })

  it('MONOCHROME1 is noted, not inverted', async () => {
    const a = await readDicomSeries([fileOf('CT_small_monochrome1.dcm')])
    const b = await readDicomSeries([fileOf('CT_small.dcm')])
    expect(a.metadata.get('PhotometricInterpretation')).toBe('MONOCHROME1')
    expect(String(a.metadata.get('ReaderNotes'))).toMatch(/MONOCHROME1/)
    expect(Array.from(a.data as Int16Array)).toEqual(Array.from(b.data as Int16Array))
  })

  it('RT Dose: DoseGridScaling is reported, not applied', async () => {
    const img = await readDicomSeries([fileOf('rtdose.dcm')])
    expect(img.metadata.get('DoseGridScaling')).toBeCloseTo(1e-6, 12)
    expect(String(img.metadata.get('ReaderNotes'))).toMatch(/DoseGridScaling .* not applied/)
  })

  it('single slice: 3D image with z = 1, z spacing SpacingBetweenSlices or else 1 mm as ITK (never SliceThickness)', async () => {
    const img = await readDicomSeries([bufferOf('MR_small.dcm')])
    expect(img.size).toEqual([64, 64, 1])
    expect(img.spacing[2]).toBe(1) // MR_small has SliceThickness 0.8 but no SpacingBetweenSlices
    expect(img.metadata.get('SliceSpacingSource')).toBe('none (1 mm, as ITK)')
    expect(String(img.metadata.get('ReaderNotes'))).toMatch(/0\.8 mm thick/)
    const ct = await readDicomSeries([bufferOf('CT_small.dcm')])
    expect(ct.spacing[2]).toBe(5) // SpacingBetweenSlices
  })

  it('accepts ArrayBuffer, Uint8Array and Blob inputs alike', async () => {
    const b = readFileSync(join(REF, 'files/MR_small.dcm'))
    const a = await readDicomSeries([bufferOf('MR_small.dcm')])
    const c = await readDicomSeries([new Uint8Array(b)])
    const d = await readDicomSeries([new Blob([b])])
    expect(Array.from(c.data as Int16Array)).toEqual(Array.from(a.data as Int16Array))
    expect(Array.from(d.data as Int16Array)).toEqual(Array.from(a.data as Int16Array))
  })

  it('reports progress up to 1 and can be cancelled', async () => {
    const files = expected('series_oblique').meta.files.map(fileOf)
    const fractions: number[] = []
    await readDicomSeries(files, { onProgress: (f) => fractions.push(f) })
    expect(fractions.length).toBeGreaterThan(5)
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1])
    expect(fractions[fractions.length - 1]).toBe(1)
    const ctrl = new AbortController()
    ctrl.abort()
    await expect(readDicomSeries(files, { signal: ctrl.signal })).rejects.toThrow(/abort/i)
    // Cancelled while decoding: stops at the next slice.
    const late = new AbortController()
    let calls = 0
    const run = readDicomSeries(files, {
      signal: late.signal,
      onProgress: (f) => {
        calls++
        if (f > 0.3) late.abort()
      },
    })
    await expect(run).rejects.toThrow(/abort/i)
    expect(calls).toBeLessThan(fractions.length)
  })
})

describe('agreement with ITK (itk-wasm readImageDicomFileSeriesNode: GDCM sorting + ITK geometry)', () => {
  const itkRead = async (rels: string[]) => {
    const { readImageDicomFileSeriesNode } = await import('@itk-wasm/dicom')
    const r = await readImageDicomFileSeriesNode({ inputImages: rels.map((f) => join(REF, 'files', f)) })
    return { image: r.outputImage, sorted: (r.sortedFilenames as string[]).map((f) => f.split('/').pop()) }
  }
  for (const name of ['series_oblique', 'rtdose', 'CT_small']) {
    it(`${name}: same slice order, origin, spacing, direction and values`, async () => {
      const { meta } = expected(name)
      const ours = await readDicomSeries(meta.files.map(fileOf))
      const itk = await itkRead(meta.files)
      expect(ours.size).toEqual(itk.image.size)
      for (let i = 0; i < 3; i++) {
        expect(ours.origin[i]).toBeCloseTo(itk.image.origin[i], 6)
        expect(ours.spacing[i]).toBeCloseTo(itk.image.spacing[i], 5)
      }
      // ITK derives cosines that differ by ~5e-7 from the normalised 6-digit tag values: compare to 1e-5.
      for (let i = 0; i < 9; i++) expect(ours.direction[i] as number).toBeCloseTo(itk.image.direction[i] as number, 5)
      if (meta.files.length > 1) expect(ours.metadata.get('SourceFiles')).toEqual(itk.sorted)
      expect(Array.from(ours.data as ArrayLike<number>)).toEqual(Array.from(itk.image.data as unknown as ArrayLike<number>))
    })
  }
})

describe('colour and special pixel formats', () => {
  it('SC_rgb_small_odd (native RGB, 3×3): 3 components, exact', async () => {
    const { meta, values } = expected('SC_rgb_small_odd')
    const img = await readDicomSeries([fileOf('SC_rgb_small_odd.dcm')])
    expect(img.size).toEqual(meta.size)
    expect(img.imageType.components).toBe(3)
    expect(img.imageType.componentType).toBe('uint8')
    expect(img.metadata.get('Decoder')).toBe('native (dicom-parser)')
    expect(maxAbsDiff(img, values)).toBe(0)
  })

  it('YBR_FULL_422 (uncompressed, subsampled) goes to itk-wasm and comes back RGB within 2 of pydicom\'s conversion', async () => {
    const { meta, values } = expected('SC_ybr_full_422_uncompressed')
    const img = await readDicomSeries([fileOf('SC_ybr_full_422_uncompressed.dcm')])
    expect(img.size).toEqual(meta.size)
    expect(img.imageType.components).toBe(3)
    expect(img.metadata.get('Decoder')).toBe('itk-wasm (GDCM)')
    expect(String(img.metadata.get('ReaderNotes'))).toMatch(/converted to RGB/)
    expect(maxAbsDiff(img, values)).toBeLessThanOrEqual(2)
  })

  it('DICOM SEG with BitsAllocated 1 (itk-wasm), functional-group geometry: sums match pydicom', async () => {
    const meta = JSON.parse(readFileSync(join(REF, 'expected/liver_1frame.json'), 'utf8')) as Expected & { sum: number; indexSum: number }
    const img = await readDicomSeries([fileOf('liver_1frame.dcm')])
    checkGeometry(img, meta)
    expect(checksums(img)).toEqual({ sum: meta.sum, indexSum: meta.indexSum })
  })
})

describe('series selection', () => {
  const mixed = () => [
    fileOf('rtplan.dcm'),
    fileOf('CT_small.dcm'),
    ...expected('series_oblique').meta.files.map(fileOf),
    fileOf('MR_small.dcm'),
  ]

  it('listDicomSeries groups by SeriesInstanceUID: most slices first, ties by SeriesInstanceUID, non-image series last, whatever the file order', async () => {
    const list = await listDicomSeries(mixed())
    expect(list.map((s) => [s.modality, s.count, s.slices, s.rows, s.columns, s.hasPixelData])).toEqual([
      ['MR', 5, 5, 64, 64, true],
      // CT_small and MR_small have one slice each: the smaller SeriesInstanceUID comes first.
      ...(list[1].modality === 'CT' ? [['CT', 1, 1, 128, 128, true], ['MR', 1, 1, 64, 64, true]] : [['MR', 1, 1, 64, 64, true], ['CT', 1, 1, 128, 128, true]]),
      ['RTPLAN', 1, 0, 0, 0, false],
    ])
    expect(list[1].seriesInstanceUID < list[2].seriesInstanceUID).toBe(true)
    expect(list[0].seriesDescription).toBe('oblique test series')
    expect(list[3].sopClassName).toBe('RT Plan Storage')
    expect(list.skipped.map((k) => [k.name, k.code])).toEqual([['rtplan.dcm', 'NOT_AN_IMAGE']])
    expect([...(await listDicomSeries(mixed().reverse()))]).toEqual([...list])
  })

  it('reads the series with the most slices by default (not the first file\'s), or the one asked for', async () => {
    const first = await readDicomSeries(mixed())
    expect(first.size).toEqual([64, 64, 5])
    expect(first.metadata.get('SeriesSelection')).toBe('the series with the most slices (5) of 3 image series')
    const list = await listDicomSeries(mixed())
    const ct = await readDicomSeries(mixed(), { seriesInstanceUID: list.find((s) => s.modality === 'CT')!.seriesInstanceUID })
    expect(ct.metadata.get('Modality')).toBe('CT')
    const e = await errorOf(readDicomSeries(mixed(), { seriesInstanceUID: '1.2.3.4' }))
    expect(e.code).toBe('SERIES_NOT_FOUND')
    expect(e.message).toContain(list[1].seriesInstanceUID)
  })

  it('surveyDicomFiles lists the series and the unreadable files instead of failing on them', async () => {
    const files = [fileOf('MR_truncated.dcm'), ...mixed(), new File(['hello, not DICOM'], 'README.txt')]
    const survey = await surveyDicomFiles(files)
    // The same series as listDicomSeries finds without the bad files, with their input positions.
    const list = await listDicomSeries(mixed())
    expect(survey.series.map(({ files: _f, ...s }) => s)).toEqual([...list])
    const names = survey.series.map((s) => s.files.map((i) => files[i].name))
    expect(names[0]).toEqual(expected('series_oblique').meta.files.map((f) => f.split('/').pop()))
    expect(names.slice(1, 3).sort()).toEqual([['CT_small.dcm'], ['MR_small.dcm']])
    expect(names[3]).toEqual(['rtplan.dcm'])
    expect(survey.unreadable.map((u) => [u.index, u.name, u.code])).toEqual([[0, 'MR_truncated.dcm', 'TRUNCATED'], [files.length - 1, 'README.txt', 'NOT_DICOM']])
    expect(survey.unreadable[0].message).toMatch(/truncated/)
    expect(survey.skipped.map((u) => [u.index, u.name, u.code])).toEqual([[0, 'MR_truncated.dcm', 'TRUNCATED'], [1, 'rtplan.dcm', 'NOT_AN_IMAGE'], [files.length - 1, 'README.txt', 'NOT_DICOM']])
    // The chosen series reads from its own files alone.
    const oblique = survey.series[0]
    const img = await readDicomSeries(oblique.files.map((i) => files[i]), { seriesInstanceUID: oblique.seriesInstanceUID })
    expect(img.size).toEqual([64, 64, 5])
  })

  it('skips non-DICOM files in a folder and says so', async () => {
    const img = await readDicomSeries([new File(['hello, not DICOM'], 'README.txt'), fileOf('MR_small.dcm')])
    expect(img.size).toEqual([64, 64, 1])
    expect(String(img.metadata.get('ReaderNotes'))).toContain('README.txt')
  })
})

describe('RLE Lossless, decoded natively (PS3.5 Annex G)', () => {
  it('MR_small_RLE: exact pixels and geometry, the same volume as the uncompressed original', async () => {
    const { meta, values } = expected('MR_small_RLE')
    const img = await readDicomSeries([fileOf('MR_small_RLE.dcm')])
    checkGeometry(img, meta)
    expect(img.metadata.get('Decoder')).toBe('native RLE (PS3.5 Annex G)')
    expect(img.imageType.componentType).toBe(meta.componentType)
    expect(maxAbsDiff(img, values)).toBe(0)
    const raw = await readDicomSeries([fileOf('MR_small.dcm')])
    expect(Array.from(img.data as Int16Array)).toEqual(Array.from(raw.data as Int16Array))
  })

  it('series_oblique_rle: 5 shuffled RLE slices sort and decode exactly like the uncompressed series', async () => {
    const { meta, values } = expected('series_oblique_rle')
    const img = await readDicomSeries(meta.files.map(fileOf))
    checkGeometry(img, meta)
    expect(img.metadata.get('Decoder')).toBe('native RLE (PS3.5 Annex G)')
    expect(img.metadata.get('SourceFiles')).toEqual(meta.sortedFiles)
    expect(maxAbsDiff(img, values)).toBe(0)
    const plain = await readDicomSeries(expected('series_oblique').meta.files.map(fileOf))
    expect(Array.from(img.data as Int16Array)).toEqual(Array.from(plain.data as Int16Array))
  })

  for (const [name, type] of [['SC_rgb_rle_16bit_2frame', 'uint16'], ['SC_rgb_rle_32bit', 'uint32']] as const) {
    it(`${name}: RGB ${type} samples (segments most significant byte first) equal pydicom exactly`, async () => {
      const { meta, values } = expected(name)
      const img = await readDicomSeries([fileOf(name + '.dcm')])
      expect(img.size).toEqual(meta.size)
      expect(img.imageType.components).toBe(3)
      expect(img.imageType.componentType).toBe(type)
      expect(maxAbsDiff(img, values)).toBe(0)
    })
  }

  it('a cut RLE fragment or a wrong segment count gives a specific error', async () => {
    const b = new Uint8Array(readFileSync(join(REF, 'files/MR_small_RLE.dcm')))
    // Cut inside the last segment, and fix up lengths so only the RLE data is short.
    const parsed = await errorOf(readDicomSeries([b.slice(0, b.length - 2000).buffer]))
    expect(parsed.code).toBe('TRUNCATED')
    // Two segments (16 bits) declared as one: find the RLE header (segment count 2, first offset 64).
    let at = -1
    for (let i = 0; i + 8 < b.length; i++) {
      if (b[i] === 2 && b[i + 1] === 0 && b[i + 2] === 0 && b[i + 3] === 0 && b[i + 4] === 64 && b[i + 5] === 0) {
        at = i
        break
      }
    }
    expect(at).toBeGreaterThan(0)
    const bad = b.slice()
    bad[at] = 1
    const e = await errorOf(readDicomSeries([bad.buffer]))
    expect(e.code).toBe('UNSUPPORTED_PIXEL_FORMAT')
    expect(e.message).toMatch(/1 segment\(s\) but 1 sample\(s\) of 16 bits need 2/)
  })
})

describe('a data set whose VR encoding contradicts its transfer syntax', () => {
  it('SC_rgb_jpeg (meta says JPEG Baseline, explicit VR; data set is implicit VR) reads like pydicom', async () => {
    const { meta, values } = expected('SC_rgb_jpeg')
    const img = await readDicomSeries([fileOf('SC_rgb_jpeg.dcm')])
    expect(img.size).toEqual(meta.size)
    expect(img.imageType.components).toBe(3)
    expect(img.metadata.get('Decoder')).toBe('itk-wasm (GDCM)')
    expect(maxAbsDiff(img, values)).toBe(0)
    const tags = readDicomHeader(bufferOf('SC_rgb_jpeg.dcm'))
    const rows = tags.find((t) => t.tag === '(0028,0010)')
    expect(rows?.value).toBe('256')
  })
})

describe('compressed transfer syntaxes through itk-wasm (GDCM)', () => {
  it('693_J2KI (JPEG 2000 lossy): geometry exact, HU within 1 of pydicom+Pillow/OpenJPEG', async () => {
    const { meta, values } = expected('693_J2KI')
    const img = await readDicomSeries([fileOf('693_J2KI.dcm')])
    checkGeometry(img, meta)
    expect(img.metadata.get('Decoder')).toBe('itk-wasm (GDCM)')
    expect(img.imageType.componentType).toBe('int16')
    expect(maxAbsDiff(img, values)).toBeLessThanOrEqual(1)
  })

  for (const name of ['MR_small_jpeg_ls_lossless']) {
    it(`${name} (lossless): exact pixels and geometry`, async () => {
      const { meta, values } = expected(name)
      const img = await readDicomSeries([fileOf(name + '.dcm')])
      checkGeometry(img, meta)
      expect(img.imageType.componentType).toBe(meta.componentType)
      expect(maxAbsDiff(img, values)).toBe(0)
      // Same volume as the uncompressed original.
      const raw = await readDicomSeries([fileOf('MR_small.dcm')])
      expect(Array.from(img.data as Int16Array)).toEqual(Array.from(raw.data as Int16Array))
    })
  }

  it('JPGExtended (12-bit JPEG, process 2/4): the same pixels as DCMTK dcmdjpeg', async () => {
    const meta = JSON.parse(readFileSync(join(REF, 'expected/JPGExtended.json'), 'utf8')) as { size: number[]; sum: number; indexSum: number; min: number; max: number }
    const img = await readDicomSeries([fileOf('JPGExtended.dcm')])
    expect(img.size).toEqual(meta.size)
    expect(checksums(img)).toEqual({ sum: meta.sum, indexSum: meta.indexSum })
  })

  it('a JPEG 2000 stream without its SOC/SIZ header is CORRUPT_PIXEL_DATA naming the transfer syntax (refused before GDCM)', async () => {
    const b = new Uint8Array(readFileSync(join(REF, 'files/693_J2KI.dcm')))
    // Destroy the codestream's SOC/SIZ markers (FF 4F FF 51).
    let hits = 0
    for (let i = 0; i + 3 < b.length; i++) {
      if (b[i] === 0xff && b[i + 1] === 0x4f && b[i + 2] === 0xff && b[i + 3] === 0x51) {
        b.fill(0, i, Math.min(b.length, i + 64))
        hits++
      }
    }
    expect(hits).toBe(1)
    const e = await errorOf(readDicomSeries([b]))
    expect(e.code).toBe('CORRUPT_PIXEL_DATA')
    expect(e.message).toContain('its compressed frame does not start with a JPEG (FFD8) or JPEG 2000 (FF4F) codestream header')
    expect(e.message).toContain('JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)')
  })
})

describe('errors', () => {
  it('empty input', async () => {
    const e = await errorOf(readDicomSeries([]))
    expect(e.code).toBe('EMPTY_INPUT')
    expect((await errorOf(listDicomSeries([]))).code).toBe('EMPTY_INPUT')
  })

  it('not DICOM: random bytes, and pydicom\'s no_meta.dcm (shifted by one byte, unreadable by pydicom and DCMTK too)', async () => {
    const e = await errorOf(readDicomSeries([new File([new Uint8Array(300).fill(0x41)], 'x.bin')]))
    expect(e.code).toBe('NOT_DICOM')
    expect(e.message).toMatch(/x\.bin is not a DICOM file/)
    const n = await errorOf(readDicomSeries([fileOf('no_meta.dcm')]))
    expect(n.code).toBe('NOT_DICOM')
    expect(n.message).toMatch(/no "DICM" prefix/)
  })

  it('truncated file: says truncated and how many pixel bytes are missing', async () => {
    const e = await errorOf(readDicomSeries([fileOf('MR_truncated.dcm')]))
    expect(e.code).toBe('TRUNCATED')
    // MR_truncated.dcm: 9630 bytes, pixel data starts at byte 1500 and declares 8192 bytes.
    expect(e.message).toContain('MR_truncated.dcm is truncated')
    expect(e.message).toContain(`${8192 - (9630 - 1500)} bytes of pixel data are missing`)
  })

  it('not an image: RT Plan and SR name their SOP class (NOT_AN_IMAGE, not NO_PIXEL_DATA)', async () => {
    const plan = await errorOf(readDicomSeries([fileOf('rtplan.dcm')]))
    expect(plan.code).toBe('NOT_AN_IMAGE')
    expect(plan.message).toBe('rtplan.dcm is not an image: its SOP Class is RT Plan Storage (1.2.840.10008.5.1.4.1.1.481.5), an object that holds no Pixel Data (7FE0,0010)')
    const sr = await errorOf(readDicomSeries([fileOf('test-SR.dcm')]))
    expect(sr.code).toBe('NOT_AN_IMAGE')
    expect(sr.message).toContain('Comprehensive SR Storage')
  })

  it('slices of one series with different sizes or orientations', async () => {
    const size = await errorOf(readDicomSeries([fileOf('mixed_size/a.dcm'), fileOf('mixed_size/b.dcm')]))
    expect(size.code).toBe('INCONSISTENT_SERIES')
    expect(size.message).toMatch(/Rows×Columns.*128×128.*64×64/)
    const orient = await errorOf(readDicomSeries([fileOf('mixed_orientation/a.dcm'), fileOf('mixed_orientation/b.dcm')]))
    expect(orient.code).toBe('INCONSISTENT_SERIES')
    expect(orient.message).toMatch(/ImageOrientationPatient/)
  })
})

describe('transferSyntaxName', () => {
  it('names registry UIDs', () => {
    expect(transferSyntaxName('1.2.840.10008.1.2')).toBe('Implicit VR Little Endian')
    expect(transferSyntaxName('1.2.840.10008.1.2.4.91')).toBe('JPEG 2000 Image Compression')
    expect(transferSyntaxName('1.2.840.10008.1.2.5')).toBe('RLE Lossless')
    expect(transferSyntaxName('1.2.3')).toBe('Unknown transfer syntax')
  })
})

describe('geometry vs ITK 5.4 (itk-wasm GDCM series reader, the same files in our slice order)', () => {
  // Cases ITK reads differently on purpose, or not at all:
  const differs: Record<string, string> = {
    MR_enhanced_3frames: 'ITK ignores the functional groups of enhanced multi-frame (spacing 1, origin 0)',
    series_nopos: 'no positions: ITK uses 1 mm, we use SpacingBetweenSlices',
    series_tilt: "gantry tilt: ITK divides the first-to-last distance, we take it along the slice normal",
    CT_small_no_meta: 'GDCM cannot read a data set without file meta',
    MR_small_32bit_masked: 'GDCM fails on this 32-bit file',
    SC_rgb_jpeg: 'GDCM refuses the mislabelled VR encoding',
    rtdose: 'GDCM fails (memory access out of bounds)',
  }
  const cases = readdirSync(join(REF, 'expected')).filter((f) => f.endsWith('.json') && !f.startsWith('header-')).map((f) => f.replace('.json', ''))
  for (const c of cases.filter((c) => !(c in differs))) {
    it(c, async () => {
      const meta = JSON.parse(readFileSync(join(REF, 'expected', c + '.json'), 'utf8')) as Expected
      const files = (meta.sortedFiles ?? meta.files).map((f) => {
        const dir = meta.files[0].includes('/') ? meta.files[0].split('/')[0] + '/' : ''
        return join(REF, 'files', f.includes('/') ? f : dir + f)
      })
      const itk = (await readImageDicomFileSeriesNode({ inputImages: files, singleSortedSeries: true })).outputImage
      const ours = await readDicomSeries(files.map((p) => new Uint8Array(readFileSync(p))))
      expect(ours.size).toEqual(itk.size)
      for (const key of ['spacing', 'origin'] as const) {
        Array.from(itk[key]).forEach((v, i) => expect(Math.abs(ours[key][i] - v)).toBeLessThan(1e-5))
      }
      Array.from(itk.direction as unknown as ArrayLike<number>).forEach((v, i) => expect(Math.abs(Number(ours.direction[i]) - v)).toBeLessThan(1e-6))
    })
  }
})

/**
 * readDicomSeries on a synthetic 512×512×100 int16 CT series (built in memory, shuffled) and on
 * pydicom's CT_small.dcm, against pydicom 2.3's dcmread + pixel_array (+ sort + rescale) on the
 * same files.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readDicomSeries } from '../src/io/dicom'
import { maxAbsoluteDifference } from '../src/metrics/index'
import { concatBytes } from '../src/io/dicom-rewrap'
import { pythonMedianMs, timeIt, type BenchRow } from './harness'

const enc = new TextEncoder()

/** One explicit-VR-little-endian element; strings padded to even length (PS3.5 §6.2). */
function element(group: number, elem: number, vr: string, value: Uint8Array | string): Uint8Array {
  let v = typeof value === 'string' ? enc.encode(value) : value
  if (v.length % 2) {
    const p = new Uint8Array(v.length + 1)
    p.set(v)
    p[v.length] = vr === 'UI' || vr === 'OB' ? 0 : 0x20
    v = p
  }
  const long = vr === 'OB' || vr === 'OW' || vr === 'SQ' || vr === 'UN' || vr === 'UT'
  const head = new Uint8Array(long ? 12 : 8)
  const dv = new DataView(head.buffer)
  dv.setUint16(0, group, true)
  dv.setUint16(2, elem, true)
  head[4] = vr.charCodeAt(0)
  head[5] = vr.charCodeAt(1)
  if (long) dv.setUint32(8, v.length, true)
  else dv.setUint16(6, v.length, true)
  const out = new Uint8Array(head.length + v.length)
  out.set(head)
  out.set(v, head.length)
  return out
}

function us(n: number): Uint8Array {
  return new Uint8Array(new Uint16Array([n]).buffer)
}


/** A CT slice as a Part-10 file (explicit VR little endian), pixel values a smooth pattern in HU + 1024. */
export function ctSlice(k: number, n: number, size: number): Uint8Array {
  const sop = `1.2.826.0.1.3680043.8.498.9.${k + 1}`
  const meta = concatBytes([
    element(0x0002, 0x0001, 'OB', new Uint8Array([0, 1])),
    element(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
    element(0x0002, 0x0003, 'UI', sop),
    element(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'),
  ])
  const groupLength = element(0x0002, 0x0000, 'UL', new Uint8Array(new Uint32Array([meta.length]).buffer))
  const px = new Int16Array(size * size)
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) px[y * size + x] = ((x * 7 + y * 3 + k * 11) % 2000) - 1000 + 1024
  const ds = concatBytes([
    element(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
    element(0x0008, 0x0018, 'UI', sop),
    element(0x0008, 0x0060, 'CS', 'CT'),
    element(0x0020, 0x000e, 'UI', '1.2.826.0.1.3680043.8.498.9'),
    element(0x0020, 0x0013, 'IS', String(k + 1)),
    element(0x0020, 0x0032, 'DS', `-250\\-250\\${(k * 1.25 - n).toFixed(2)}`),
    element(0x0020, 0x0037, 'DS', '1\\0\\0\\0\\1\\0'),
    element(0x0028, 0x0002, 'US', us(1)),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0010, 'US', us(size)),
    element(0x0028, 0x0011, 'US', us(size)),
    element(0x0028, 0x0030, 'DS', '0.9765625\\0.9765625'),
    element(0x0028, 0x0100, 'US', us(16)),
    element(0x0028, 0x0101, 'US', us(16)),
    element(0x0028, 0x0102, 'US', us(15)),
    element(0x0028, 0x0103, 'US', us(1)),
    element(0x0028, 0x1052, 'DS', '-1024'),
    element(0x0028, 0x1053, 'DS', '1'),
    element(0x7fe0, 0x0010, 'OW', new Uint8Array(px.buffer)),
  ])
  const preamble = new Uint8Array(132)
  preamble.set(enc.encode('DICM'), 128)
  return concatBytes([preamble, groupLength, meta, ds])
}

const PY_SERIES = `
import sys, os, numpy as np, pydicom
d = sys.argv[1]
names = sorted(n for n in os.listdir(d) if n.endswith('.dcm'))
def run():
    dss = [pydicom.dcmread(os.path.join(d, n)) for n in names]
    dss.sort(key=lambda ds: float(ds.ImagePositionPatient[2]))
    vol = np.stack([ds.pixel_array for ds in dss])
    return vol * float(dss[0].RescaleSlope) + float(dss[0].RescaleIntercept)
`

const PY_COMPRESS_RLE = `
import sys, os, pydicom
from pydicom.uid import RLELossless
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
for n in sorted(os.listdir(src)):
    if n.endswith('.dcm'):
        ds = pydicom.dcmread(os.path.join(src, n)); ds.compress(RLELossless); ds.save_as(os.path.join(dst, n))
`

const PY_ONE_FILE = `
import sys, warnings, pydicom
warnings.simplefilter('ignore')
def run():
    ds = pydicom.dcmread(sys.argv[1]); return ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
`

export default async (): Promise<BenchRow[]> => {
  const rows: BenchRow[] = []
  const n = 100
  const size = 512
  const order = Array.from({ length: n }, (_, k) => (k * 37) % n) // shuffled
  const files = order.map((k) => ctSlice(k, n, size))
  const dir = mkdtempSync(join(tmpdir(), 'dicom-bench-'))
  try {
    files.forEach((f, i) => writeFileSync(join(dir, `s${String(i).padStart(3, '0')}.dcm`), f))
    // The same series RLE Lossless compressed by pydicom, for the native RLE decoder.
    const rleDir = join(dir, 'rle')
    execFileSync('/usr/bin/python3', ['-c', PY_COMPRESS_RLE, dir, rleDir])
    const rleFiles = readdirSync(rleDir).sort().map((f) => new Uint8Array(readFileSync(join(rleDir, f))))
    const ms = await timeIt(() => readDicomSeries(files), 3, 1)
    const img = await readDicomSeries(files)
    rows.push({
      operation: 'readDicomSeries',
      input: `synthetic CT ${size}×${size}×${n} int16, shuffled`,
      ms,
      reference: 'pydicom 2.3 dcmread+pixel_array+sort+rescale',
      referenceMs: pythonMedianMs(PY_SERIES, [dir], 3),
      note: `out ${img.imageType.componentType} ${img.size.join('×')}`,
    })
    const rleImg = await readDicomSeries(rleFiles)
    rows.push({
      operation: 'readDicomSeries',
      input: `the same series, RLE Lossless (native decoder)`,
      ms: await timeIt(() => readDicomSeries(rleFiles), 3, 1),
      reference: 'pydicom 2.3 (numpy RLE handler)',
      referenceMs: pythonMedianMs(PY_SERIES, [rleDir], 3),
      note: `identical to uncompressed: ${maxAbsoluteDifference(rleImg, img) === 0}`,
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const ctPath = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../tests/reference/io/dicom/files/CT_small.dcm')
  const ct = new Uint8Array(readFileSync(ctPath))
  rows.push({
    operation: 'readDicomSeries',
    input: 'CT_small.dcm 128×128',
    ms: await timeIt(() => readDicomSeries([ct]), 20, 3),
    reference: 'pydicom 2.3 dcmread+pixel_array+rescale',
    referenceMs: pythonMedianMs(PY_ONE_FILE, [ctPath], 20),
  })
  const j2kPath = ctPath.replace('CT_small.dcm', '693_J2KI.dcm')
  const j2k = new Uint8Array(readFileSync(j2kPath))
  rows.push({
    operation: 'readDicomSeries',
    input: '693_J2KI.dcm 512×512 JPEG 2000 (itk-wasm)',
    ms: await timeIt(() => readDicomSeries([j2k]), 5, 1),
    reference: 'pydicom 2.3 + Pillow/OpenJPEG',
    referenceMs: pythonMedianMs(PY_ONE_FILE, [j2kPath], 5),
    note: 'includes loading the WASM pipeline on every call (Node)',
  })
  return rows
}

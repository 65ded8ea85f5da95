// Compressed DICOM whose header or codestream claims a huge image must be refused before itk-wasm's
// GDCM allocates by the claim (issue 13). Measured on main before the checks, in a child process:
// MR_small_jpeg_ls_lossless (6 KB) with Rows×Columns 30000×30000 was *read* as a 30000×30000 image
// with 5 266 MB peak resident memory (16000×16000: 2 082 MB); 693_J2KI (3.5 KB) with 16000×16000
// grew to 658 MB before GDCM failed. Each crafted file is read in one child process here, and its
// peak resident memory (VmHWM) must stay near the idle reader's.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const FILES = join(__dirname, '../../reference/io/dicom/files')
const CHILD = join(__dirname, '../../fuzz/memory-child.ts')

/** Sets an explicit-VR little-endian US element's value (first occurrence of its tag). */
function setUS(b: Uint8Array, group: number, element: number, value: number): void {
  for (let i = 132; i + 10 <= b.length; i++) {
    if (b[i] === (group & 0xff) && b[i + 1] === group >> 8 && b[i + 2] === (element & 0xff) && b[i + 3] === element >> 8 && b[i + 4] === 0x55 && b[i + 5] === 0x53) {
      b[i + 8] = value & 0xff
      b[i + 9] = value >> 8
      return
    }
  }
  throw new Error('tag not found')
}

/** Position of a two-byte marker after the DICOM header (in the pixel data). */
function marker(b: Uint8Array, m0: number, m1: number): number {
  for (let i = 300; i + 1 < b.length; i++) if (b[i] === m0 && b[i + 1] === m1) return i
  throw new Error('marker not found')
}

function crafted(): { name: string; bytes: Uint8Array; code: string; message: RegExp }[] {
  const jls = new Uint8Array(readFileSync(join(FILES, 'MR_small_jpeg_ls_lossless.dcm')))
  const j2k = new Uint8Array(readFileSync(join(FILES, '693_J2KI.dcm')))
  const jpg = new Uint8Array(readFileSync(join(FILES, 'JPGExtended.dcm')))
  const ybr = new Uint8Array(readFileSync(join(FILES, 'SC_ybr_full_422_uncompressed.dcm')))
  const rowsCols = (src: Uint8Array, n: number) => {
    const b = src.slice()
    setUS(b, 0x0028, 0x0010, n)
    setUS(b, 0x0028, 0x0011, n)
    return b
  }
  const be16 = (b: Uint8Array, p: number, v: number) => { b[p] = v >> 8; b[p + 1] = v & 0xff }
  // Header and JPEG-LS frame header (SOF55) both 30000×30000: consistent, but 1.7 GiB decoded.
  const jlsBoth = rowsCols(jls, 30000)
  const sof55 = marker(jlsBoth, 0xff, 0xf7)
  be16(jlsBoth, sof55 + 5, 30000)
  be16(jlsBoth, sof55 + 7, 30000)
  // 12-bit DCT JPEG (SOF1) with header and stream 16000×16000 in 9 KB.
  const jpgBoth = rowsCols(jpg, 16000)
  const sof1 = marker(jpgBoth, 0xff, 0xc1)
  be16(jpgBoth, sof1 + 5, 16000)
  be16(jpgBoth, sof1 + 7, 16000)
  // JPEG 2000 with 1×1-pixel tiles (262 144 tiles in a 1.5 KB stream).
  const tiles = j2k.slice()
  const siz = marker(tiles, 0xff, 0x4f)
  for (const off of [24, 28]) { tiles[siz + off] = 0; tiles[siz + off + 1] = 0; tiles[siz + off + 2] = 0; tiles[siz + off + 3] = 1 }
  return [
    { name: 'jls-30000.dcm', bytes: rowsCols(jls, 30000), code: 'CORRUPT_PIXEL_DATA', message: /the JPEG-LS stream of its compressed frame holds a 64×64 image but Columns×Rows \(0028,0011\/0010\) say 30000×30000/ },
    { name: 'j2k-16000.dcm', bytes: rowsCols(j2k, 16000), code: 'CORRUPT_PIXEL_DATA', message: /the JPEG 2000 stream of its compressed frame holds a 512×512 image but Columns×Rows .* say 16000×16000/ },
    { name: 'jls-both-30000.dcm', bytes: jlsBoth, code: 'TOO_LARGE', message: /30000×30000×1 at 16 bits is 1717 MiB decoded, more than the 512 MiB limit for data decoded by itk-wasm \(GDCM\)/ },
    { name: 'jpg-both-16000.dcm', bytes: jpgBoth, code: 'CORRUPT_PIXEL_DATA', message: /a Huffman-coded JPEG of 16000×16000×1 needs at least 1000000 \(two bits per 8×8 block: its DC and end-of-block codes\)/ },
    // Uncompressed YBR_FULL_422 goes to GDCM too: 20 000 pixel bytes for a 16000×16000 claim (main
    // "read" it as a 16000×16000 image at 2 324 MB peak).
    { name: 'ybr-16000.dcm', bytes: rowsCols(ybr, 16000), code: 'TRUNCATED', message: /has 20000 bytes but 16000×16000 YBR_FULL_422 at 8 bit\(s\) needs 512000000/ },
    { name: 'j2k-tiles.dcm', bytes: tiles, code: 'CORRUPT_PIXEL_DATA', message: /declares 262144 tiles in \d+ bytes/ },
  ]
}

describe('compressed DICOM claiming a huge image (bounded before GDCM)', () => {
  it('6 crafted files: specific codes, and the child\'s peak resident memory stays under 400 MB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mip-memory-'))
    try {
      const cases = crafted()
      for (const c of cases) writeFileSync(join(dir, c.name), c.bytes)
      const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...cases.map((c) => join(dir, c.name))], { encoding: 'utf8', timeout: 60_000 })
      const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { outcome: string; message: string; peakMiB: number })
      expect(lines.length, r.stderr).toBe(cases.length)
      cases.forEach((c, i) => {
        expect(lines[i].outcome, c.name).toBe(c.code)
        expect(lines[i].message, c.name).toMatch(c.message)
      })
      expect(Math.max(...lines.map((l) => l.peakMiB))).toBeLessThan(400)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)
})

/**
 * What a file is, from its first bytes (not its name): DICOM by the 'DICM' magic at byte 128
 * (PS3.10 7.1) or, for files without the preamble, a plausible first element (group 0002 or
 * 0008, then an explicit VR or an implicit-VR length); NIfTI-1/2 by sizeof_hdr 348/540 in either byte
 * order; gzip (1f 8b) is taken as a compressed NIfTI. Pure: no DOM, no worker.
 */
export type Kind = 'dicom' | 'nifti' | 'unknown'

/** What the first (up to 352) bytes of a file say it is. */
export function sniff(head: Uint8Array): Kind {
  const ascii = (at: number, n: number) => String.fromCharCode(...head.subarray(at, at + n))
  if (head.length >= 132 && ascii(128, 4) === 'DICM') return 'dicom'
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'nifti'
  if (head.length >= 4) {
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength)
    const size = dv.getInt32(0, true)
    const sizeBig = dv.getInt32(0, false)
    if (size === 348 || sizeBig === 348 || size === 540 || sizeBig === 540) return 'nifti'
    // No preamble: a (group, element) of group 0002 or 0008 in either byte order, then an explicit
    // VR (two capital letters) or an implicit VR's 32-bit length.
    const group = [dv.getUint16(0, true), dv.getUint16(0, false)]
    const upper = (c: number) => c >= 65 && c <= 90
    if (head.length >= 8 && group.some((g) => g === 0x0008 || g === 0x0002) && ((upper(head[4]) && upper(head[5])) || dv.getUint32(4, true) < 1 << 20)) return 'dicom'
  }
  return 'unknown'
}


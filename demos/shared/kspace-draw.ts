/**
 * Helpers of the 2.2 k-space figures: the Colin27 axial slice they start from, scaled to a
 * maximum of 1 and zero-padded to a size that is a multiple of 8 (the brain is unchanged).
 */
import { extractSlice, makeImage, pixelData, type Image } from '../../src/image'

export function colinSlice(volume: Image, z = 90, step = 1): Image {
  const s = extractSlice(volume, Math.min(z, volume.size[2] - 1))
  const [w, h] = s.size
  const v = pixelData(s)
  const sw = Math.floor(w / step)
  const sh = Math.floor(h / step)
  const nx = Math.ceil(sw / 8) * 8
  const ny = Math.ceil(sh / 8) * 8
  const ox = Math.floor((nx - sw) / 2)
  const oy = Math.floor((ny - sh) / 2)
  let peak = 0
  for (let i = 0; i < v.length; i++) peak = Math.max(peak, v[i])
  const out = new Float64Array(nx * ny)
  // Display with anterior up: NIfTI rows run posterior → anterior, canvas rows top → bottom.
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
    let sum = 0
    for (let b = 0; b < step; b++) for (let a = 0; a < step; a++) sum += v[(h - 1 - (y * step + b)) * w + x * step + a]
    out[(y + oy) * nx + x + ox] = sum / (step * step) / (peak || 1)
  }
  return makeImage([nx, ny], { data: out, spacing: [s.spacing[0] * step, s.spacing[1] * step], name: 'Colin27 axial slice' })
}

/**
 * k-space: the 2D discrete Fourier transform of an image and its inverse, with numpy's
 * conventions, so that `fft2(image, { shift: true })` equals
 * `numpy.fft.fftshift(numpy.fft.fft2(x))` and `ifft2(kspace, { shift: true })` equals
 * `numpy.fft.ifft2(numpy.fft.ifftshift(k))`:
 *
 *   X[u, v] = Σ_x Σ_y x[x, y] · e^{−2πi (u x / Nx + v y / Ny)},  ifft2 divides by Nx · Ny.
 *
 * Any size: power-of-two lengths use the radix-2 FFT of src/bias/fft.ts, other lengths Bluestein's
 * chirp-z algorithm on top of it (Bluestein, "A linear filtering approach to the computation of
 * the discrete Fourier transform", IEEE Trans. Audio Electroacoust. 18(4), 1970).
 * Complex images are the library's Image with pixelType 'Complex' and 2 interleaved float64
 * components (re, im), x fastest.
 */
import { fftInPlace, fftTwiddles, type FftTwiddles } from '../bias/fft'
import { LibraryError } from '../errors'
import { makeImage, type Image } from '../image'

export type KspaceErrorCode = 'BAD_IMAGE'

export class KspaceError extends LibraryError<KspaceErrorCode> {
  constructor(message: string) {
    super('KspaceError', 'BAD_IMAGE', message)
  }
}

export interface Fft2Options {
  /** Centre the zero frequency (numpy fftshift after fft2, ifftshift before ifft2). Default false. */
  shift?: boolean
}

const isPow2 = (n: number) => (n & (n - 1)) === 0

/** In-place DFT of any length (unnormalised; inverse = +i exponent). */
export function dftInPlace(re: Float64Array, im: Float64Array, inverse = false, twiddles?: FftTwiddles): void {
  const n = re.length
  if (n <= 1) return
  if (isPow2(n)) return fftInPlace(re, im, inverse, twiddles)
  // Bluestein: X[k] = conj(w[k]) · Σ_j (x[j] · conj(w[j])) · w[k − j], w[j] = e^{iπ j² / n} (forward).
  let m = 1
  while (m < 2 * n - 1) m <<= 1
  const sign = inverse ? -1 : 1
  const wr = new Float64Array(n)
  const wi = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    // j² mod 2n keeps the angle small and exact for large j.
    const a = (Math.PI * ((j * j) % (2 * n))) / n
    wr[j] = Math.cos(a)
    wi[j] = sign * Math.sin(a)
  }
  const ar = new Float64Array(m)
  const ai = new Float64Array(m)
  for (let j = 0; j < n; j++) {
    // a[j] = x[j] · conj(w[j])
    ar[j] = re[j] * wr[j] + im[j] * wi[j]
    ai[j] = im[j] * wr[j] - re[j] * wi[j]
  }
  const br = new Float64Array(m)
  const bi = new Float64Array(m)
  br[0] = wr[0]
  bi[0] = wi[0]
  for (let j = 1; j < n; j++) {
    br[j] = br[m - j] = wr[j]
    bi[j] = bi[m - j] = wi[j]
  }
  fftInPlace(ar, ai)
  fftInPlace(br, bi)
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k]
    ai[k] = ar[k] * bi[k] + ai[k] * br[k]
    ar[k] = r
  }
  fftInPlace(ar, ai, true)
  for (let k = 0; k < n; k++) {
    const cr = ar[k] / m
    const ci = ai[k] / m
    re[k] = cr * wr[k] + ci * wi[k]
    im[k] = ci * wr[k] - cr * wi[k]
  }
}

/** 2D DFT in place: rows, then columns. `real`: im is all zero (a scalar image), which lets rows go in pairs. */
function transform2d(re: Float64Array, im: Float64Array, nx: number, ny: number, inverse: boolean, real = false): void {
  // One twiddle table per length for all rows (and columns): the per-transform cos/sin calls
  // were most of the time of a 256² transform.
  const tx = isPow2(nx) && nx >= 2 ? fftTwiddles(nx) : undefined
  const ty = nx === ny ? tx : isPow2(ny) && ny >= 2 ? fftTwiddles(ny) : undefined
  const lr = new Float64Array(Math.max(nx, ny))
  const li = new Float64Array(Math.max(nx, ny))
  const rowR = lr.subarray(0, nx)
  const rowI = li.subarray(0, nx)
  let y0 = 0
  if (real && tx) {
    // Two real rows a, b in one complex FFT of z = a + i·b: A[k] = (Z[k] + conj Z[−k]) / 2,
    // B[k] = (Z[k] − conj Z[−k]) / 2i (half the row transforms; equal to rounding).
    for (; y0 + 1 < ny; y0 += 2) {
      const a = y0 * nx
      const b = a + nx
      rowR.set(re.subarray(a, a + nx))
      rowI.set(re.subarray(b, b + nx))
      fftInPlace(rowR, rowI, inverse, tx)
      for (let k = 0; k < nx; k++) {
        const m = k === 0 ? 0 : nx - k
        const zr = rowR[k], zi = rowI[k], cr = rowR[m], ci = rowI[m]
        re[a + k] = 0.5 * (zr + cr)
        im[a + k] = 0.5 * (zi - ci)
        re[b + k] = 0.5 * (zi + ci)
        im[b + k] = -0.5 * (zr - cr)
      }
    }
  }
  for (let y = y0; y < ny; y++) {
    rowR.set(re.subarray(y * nx, (y + 1) * nx))
    rowI.set(im.subarray(y * nx, (y + 1) * nx))
    dftInPlace(rowR, rowI, inverse, tx)
    re.set(rowR, y * nx)
    im.set(rowI, y * nx)
  }
  const colR = new Float64Array(ny)
  const colI = new Float64Array(ny)
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) {
      colR[y] = re[y * nx + x]
      colI[y] = im[y * nx + x]
    }
    dftInPlace(colR, colI, inverse, ty)
    for (let y = 0; y < ny; y++) {
      re[y * nx + x] = colR[y]
      im[y * nx + x] = colI[y]
    }
  }
}

/** numpy fftshift (forward = true) or ifftshift of an nx × ny array pair. */
function shift2d(re: Float64Array, im: Float64Array, nx: number, ny: number, forward: boolean): void {
  const sx = forward ? Math.floor(nx / 2) : Math.ceil(nx / 2)
  const sy = forward ? Math.floor(ny / 2) : Math.ceil(ny / 2)
  const r = Float64Array.from(re)
  const i = Float64Array.from(im)
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const t = ((y + sy) % ny) * nx + ((x + sx) % nx)
    re[t] = r[y * nx + x]
    im[t] = i[y * nx + x]
  }
}

export function complexParts(image: Image, op: string): { re: Float64Array; im: Float64Array; nx: number; ny: number } {
  if (image.imageType.dimension !== 2 || !image.data) throw new KspaceError(`${op} needs a 2D image with pixel data.`)
  const [nx, ny] = image.size
  const n = nx * ny
  const d = image.data as ArrayLike<number>
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  if (image.imageType.components === 2) {
    for (let k = 0; k < n; k++) {
      re[k] = Number(d[2 * k])
      im[k] = Number(d[2 * k + 1])
    }
  } else if (image.imageType.components === 1) {
    if (d instanceof Float64Array || d instanceof Float32Array) re.set(d)
    else for (let k = 0; k < n; k++) re[k] = Number(d[k])
  } else throw new KspaceError(`${op} needs a scalar or complex (2-component) image.`)
  return { re, im, nx, ny }
}

/** The interleaved complex Image of (re, im); with 'fftshift', written at numpy's fftshift positions (no extra copy). */
export function complexImage(re: Float64Array, im: Float64Array, like: Image, name: string, shift?: 'fftshift'): Image {
  const data = new Float64Array(2 * re.length)
  if (shift) {
    const [nx, ny] = like.size
    const [sx, sy] = [Math.floor(nx / 2), Math.floor(ny / 2)]
    for (let y = 0; y < ny; y++) {
      const row = ((y + sy) % ny) * nx
      for (let x = 0, k = y * nx; x < nx; x++, k++) {
        const t = 2 * (row + ((x + sx) % nx))
        data[t] = re[k]
        data[t + 1] = im[k]
      }
    }
  } else {
    for (let k = 0; k < re.length; k++) {
      data[2 * k] = re[k]
      data[2 * k + 1] = im[k]
    }
  }
  const out = makeImage([...like.size], { spacing: like.spacing, origin: like.origin, data, components: 2, name })
  ;(out.imageType as { pixelType: string }).pixelType = 'Complex'
  return out
}

/** 2D DFT of a real or complex image (numpy.fft.fft2; with `shift`, then fftshift). */
export function fft2(image: Image, options: Fft2Options = {}): Image {
  const { re, im, nx, ny } = complexParts(image, 'fft2')
  transform2d(re, im, nx, ny, false, image.imageType.components === 1)
  return complexImage(re, im, image, 'kspace', options.shift ? 'fftshift' : undefined)
}

/** Inverse 2D DFT (numpy.fft.ifft2, divided by Nx·Ny; with `shift`, ifftshift first). */
export function ifft2(kspace: Image, options: Fft2Options = {}): Image {
  const { re, im, nx, ny } = complexParts(kspace, 'ifft2')
  if (options.shift) shift2d(re, im, nx, ny, false)
  transform2d(re, im, nx, ny, true)
  const n = nx * ny
  for (let k = 0; k < n; k++) {
    re[k] /= n
    im[k] /= n
  }
  return complexImage(re, im, kspace, 'image')
}

/** |z| of a complex image, float32. */
export function complexMagnitude(image: Image): Image {
  const { re, im } = complexParts(image, 'complexMagnitude')
  return makeImage([...image.size], { spacing: image.spacing, origin: image.origin, data: Float32Array.from(re, (r, k) => Math.hypot(r, im[k])) })
}

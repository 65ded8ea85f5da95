/**
 * Multi-coil MRI: synthetic receive coils with correlated noise, the noise covariance, noise
 * pre-whitening and coil combination.
 *
 * Multi-coil data are arrays of complex images (pixelType 'Complex', 2 interleaved components),
 * one per coil, all the same size. Complex matrices are row-major { n, re, im }.
 * - noiseCovariance and prewhiten follow `bart whiten` (src/whiten.c): Ψ = X Xᴴ / (n − 1) over
 *   the noise samples (zero mean assumed), Ψ = L Lᴴ (Cholesky), whitened data L⁻¹ x
 *   (Kellman & McVeigh, MRM 54(6), 2005: after this every coil has unit noise, uncorrelated).
 * - rssCombine is `bart rss 8`: √(Σ_c |x_c|²) (Roemer et al., MRM 16(2), 1990).
 * - sensitivityCombine is Roemer's optimal combination with known sensitivities S_c:
 *   ρ̂ = Sᴴ Ψ⁻¹ x / (Sᴴ Ψ⁻¹ S).
 */
import { mulberry32 } from '../random'
import { makeImage, type Image } from '../image'
import { complexImage, complexParts } from './kspace'
import { MriPrepError, check2d, checkRange } from './prep-errors'

export interface ComplexMatrix {
  n: number
  re: Float64Array
  im: Float64Array
}

function checkCoils(coils: Image[], what: string): [number, number] {
  if (!Array.isArray(coils) || coils.length < 1 || coils.length > 128) throw new MriPrepError('BAD_IMAGE', `${what} must be an array of 1 to 128 coil images.`)
  const [nx, ny] = check2d(coils[0], `${what}[0]`)
  coils.forEach((c, i) => {
    const [a, b] = check2d(c, `${what}[${i}]`)
    if (a !== nx || b !== ny) throw new MriPrepError('SIZE_MISMATCH', `${what}[${i}] is ${a} × ${b} but ${what}[0] is ${nx} × ${ny}.`)
  })
  return [nx, ny]
}

function checkMatrix(m: ComplexMatrix, n: number, what: string): void {
  if (!m || m.n !== n || m.re?.length !== n * n || m.im?.length !== n * n)
    throw new MriPrepError('SIZE_MISMATCH', `${what} must be a ${n} × ${n} complex matrix (one row per coil).`)
}

/** Ψ[i][j] = Σ_s x_i[s] · conj(x_j[s]) / (n − 1) over all pixels of the noise-only images (bart whiten). */
export function noiseCovariance(noise: Image[]): ComplexMatrix {
  const [nx, ny] = checkCoils(noise, 'noise')
  const ns = nx * ny
  if (ns < 2) throw new MriPrepError('BAD_IMAGE', 'noise needs at least 2 samples per coil.')
  const nc = noise.length
  const parts = noise.map((c) => complexParts(c, 'noiseCovariance'))
  const re = new Float64Array(nc * nc)
  const im = new Float64Array(nc * nc)
  for (let i = 0; i < nc; i++) for (let j = 0; j < nc; j++) {
    let sr = 0
    let si = 0
    const a = parts[i]
    const b = parts[j]
    for (let s = 0; s < ns; s++) {
      sr += a.re[s] * b.re[s] + a.im[s] * b.im[s]
      si += a.im[s] * b.re[s] - a.re[s] * b.im[s]
    }
    re[i * nc + j] = sr / (ns - 1)
    im[i * nc + j] = si / (ns - 1)
  }
  return { n: nc, re, im }
}

/** Lower-triangular L with Ψ = L Lᴴ (Cholesky–Banachiewicz); NOT_POSITIVE_DEFINITE otherwise. */
export function cholesky(psi: ComplexMatrix): ComplexMatrix {
  const n = psi.n
  checkMatrix(psi, n, 'covariance')
  const re = new Float64Array(n * n)
  const im = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      // s = Ψ[i][j] − Σ_k L[i][k] · conj(L[j][k])
      let sr = psi.re[i * n + j]
      let si = psi.im[i * n + j]
      for (let k = 0; k < j; k++) {
        sr -= re[i * n + k] * re[j * n + k] + im[i * n + k] * im[j * n + k]
        si -= im[i * n + k] * re[j * n + k] - re[i * n + k] * im[j * n + k]
      }
      if (i === j) {
        if (!(sr > 0)) throw new MriPrepError('NOT_POSITIVE_DEFINITE', 'The noise covariance is not positive definite (too few noise samples, or a dead coil).')
        re[i * n + i] = Math.sqrt(sr)
      } else {
        const d = re[j * n + j]
        re[i * n + j] = sr / d
        im[i * n + j] = si / d
      }
    }
  }
  return { n, re, im }
}

/** The whitening matrix W = L⁻¹ (lower triangular; bart whiten's optmat). */
export function whiteningMatrix(psi: ComplexMatrix): ComplexMatrix {
  const L = cholesky(psi)
  const n = L.n
  const re = new Float64Array(n * n)
  const im = new Float64Array(n * n)
  for (let c = 0; c < n; c++) {
    // Forward substitution for column c of L⁻¹: L w = e_c.
    for (let i = c; i < n; i++) {
      let sr = i === c ? 1 : 0
      let si = 0
      for (let k = c; k < i; k++) {
        sr -= L.re[i * n + k] * re[k * n + c] - L.im[i * n + k] * im[k * n + c]
        si -= L.re[i * n + k] * im[k * n + c] + L.im[i * n + k] * re[k * n + c]
      }
      re[i * n + c] = sr / L.re[i * n + i]
      im[i * n + c] = si / L.re[i * n + i]
    }
  }
  return { n, re, im }
}

/** y = M · x across coils at every pixel (M is nc × nc). */
export function mixCoils(coils: Image[], m: ComplexMatrix, name = 'coil'): Image[] {
  checkCoils(coils, 'coils')
  const nc = coils.length
  checkMatrix(m, nc, 'matrix')
  const parts = coils.map((c) => complexParts(c, 'mixCoils'))
  const np = parts[0].re.length
  return parts.map((_, i) => {
    const re = new Float64Array(np)
    const im = new Float64Array(np)
    for (let j = 0; j < nc; j++) {
      const ar = m.re[i * nc + j]
      const ai = m.im[i * nc + j]
      if (ar === 0 && ai === 0) continue
      const x = parts[j]
      for (let s = 0; s < np; s++) {
        re[s] += ar * x.re[s] - ai * x.im[s]
        im[s] += ar * x.im[s] + ai * x.re[s]
      }
    }
    return complexImage(re, im, coils[0], `${name}-${i}`)
  })
}

/** Noise pre-whitening (bart whiten): L⁻¹ x with Ψ = L Lᴴ the noise covariance. */
export function prewhiten(coils: Image[], covariance: ComplexMatrix): Image[] {
  checkCoils(coils, 'coils')
  checkMatrix(covariance, coils.length, 'covariance')
  return mixCoils(coils, whiteningMatrix(covariance), 'whitened')
}

/** Root-sum-of-squares combination √(Σ_c |x_c|²) (bart rss), a float64 scalar image. */
export function rssCombine(coils: Image[]): Image {
  const [nx, ny] = checkCoils(coils, 'coils')
  const out = new Float64Array(nx * ny)
  for (const c of coils) {
    const { re, im } = complexParts(c, 'rssCombine')
    for (let s = 0; s < out.length; s++) out[s] += re[s] * re[s] + im[s] * im[s]
  }
  for (let s = 0; s < out.length; s++) out[s] = Math.sqrt(out[s])
  return makeImage([nx, ny], { spacing: coils[0].spacing, origin: coils[0].origin, data: out, name: 'rss' })
}

export interface SensitivityCombineOptions {
  /** Noise covariance Ψ of the coils; default the identity (already whitened data). */
  covariance?: ComplexMatrix
}

/**
 * Roemer's optimal (sensitivity-weighted) combination ρ̂ = Sᴴ Ψ⁻¹ x / (Sᴴ Ψ⁻¹ S) with known
 * complex sensitivities S_c, computed as whitened ŝ = L⁻¹S, x̂ = L⁻¹x: ρ̂ = ŝᴴ x̂ / ŝᴴ ŝ.
 * Unbiased (ρ̂ = ρ without noise) where Σ|S_c|² > 0, 0 elsewhere. Returns a complex image.
 */
export function sensitivityCombine(coils: Image[], sensitivities: Image[], options: SensitivityCombineOptions = {}): Image {
  const [nx, ny] = checkCoils(coils, 'coils')
  const [sx, sy] = checkCoils(sensitivities, 'sensitivities')
  if (sensitivities.length !== coils.length || sx !== nx || sy !== ny)
    throw new MriPrepError('SIZE_MISMATCH', `sensitivities must be ${coils.length} images of ${nx} × ${ny}, like the coils.`)
  if (options.covariance) checkMatrix(options.covariance, coils.length, 'covariance')
  const W = options.covariance ? whiteningMatrix(options.covariance) : null
  const x = (W ? mixCoils(coils, W) : coils).map((c) => complexParts(c, 'sensitivityCombine'))
  const s = (W ? mixCoils(sensitivities, W) : sensitivities).map((c) => complexParts(c, 'sensitivityCombine'))
  const re = new Float64Array(nx * ny)
  const im = new Float64Array(nx * ny)
  for (let p = 0; p < re.length; p++) {
    let nr = 0
    let ni = 0
    let d = 0
    for (let c = 0; c < x.length; c++) {
      const ar = s[c].re[p]
      const ai = s[c].im[p]
      nr += ar * x[c].re[p] + ai * x[c].im[p]
      ni += ar * x[c].im[p] - ai * x[c].re[p]
      d += ar * ar + ai * ai
    }
    if (d > 0) {
      re[p] = nr / d
      im[p] = ni / d
    }
  }
  return complexImage(re, im, coils[0], 'roemer')
}

export interface SynthesizeCoilsOptions {
  /** Number of coils, 1 to 32, on a ring around the field of view. Default 8. */
  coils?: number
  /** Noise standard deviation (per real and imaginary part, times √2 for |n|) relative to the image maximum, 0 to 1. Default 0.03. */
  noise?: number
  /** Correlation between neighbouring coils' noise, ρ^|i−j| (Kac–Murdock–Szegő), −0.95 to 0.95. Default 0.4. */
  correlation?: number
  /** A full noise covariance instead (overrides `noise` and `correlation`), in units of the image maximum squared. */
  covariance?: ComplexMatrix
  /** Noise-only samples per coil in the returned pre-scan. 2 to 65536. Default 1024. */
  noiseSamples?: number
  /** Smooth object phase (radians, peak) added to the magnitude image; 0 for a real object. Default 1. */
  phase?: number
  /** Seed of the noise. Default 1. */
  seed?: number
}

export interface SyntheticCoils {
  /** Coil images S_c · ρ + noise (complex). */
  coils: Image[]
  /** The complex sensitivities S_c. */
  sensitivities: Image[]
  /** Noise-only images, noiseSamples × 1, one per coil (a noise pre-scan). */
  noise: Image[]
  /** The true noise covariance Ψ used. */
  covariance: ComplexMatrix
  /** The complex object ρ (magnitude image × smooth phase). */
  object: Image
}

/**
 * SIMULATED multi-coil data from a magnitude image: a smooth object phase, Gaussian-profile coil
 * sensitivities on a ring (each with its own smooth phase), and complex Gaussian noise with
 * covariance Ψ (n = L z, Ψ = L Lᴴ, z with independent N(0, ½) real and imaginary parts, drawn by
 * Box–Muller from mulberry32(seed)). Coil noise levels grow from 0.7σ to 1.3σ around the ring.
 */
export function synthesizeCoils(image: Image, options: SynthesizeCoilsOptions = {}): SyntheticCoils {
  const [nx, ny] = check2d(image, 'image')
  const nc = options.coils ?? 8
  const sigma = options.noise ?? 0.03
  const rho = options.correlation ?? 0.4
  const ns = options.noiseSamples ?? 1024
  const phase = options.phase ?? 1
  const seed = options.seed ?? 1
  checkRange('coils', nc, 1, 32, true)
  checkRange('noise', sigma, 0, 1)
  checkRange('correlation', rho, -0.95, 0.95)
  checkRange('noiseSamples', ns, 2, 65536, true)
  checkRange('phase', phase, -10, 10)
  checkRange('seed', seed, 0, 2 ** 32 - 1, true)
  if (options.covariance) checkMatrix(options.covariance, nc, 'covariance')
  const { re: mag } = complexParts(image, 'synthesizeCoils')
  let peak = 0
  for (let i = 0; i < mag.length; i++) peak = Math.max(peak, Math.abs(mag[i]))
  peak ||= 1
  let psi = options.covariance
  if (!psi) {
    const re = new Float64Array(nc * nc)
    const sd = Array.from({ length: nc }, (_, c) => sigma * peak * (nc > 1 ? 0.7 + (0.6 * c) / (nc - 1) : 1))
    for (let i = 0; i < nc; i++) for (let j = 0; j < nc; j++) re[i * nc + j] = sd[i] * sd[j] * rho ** Math.abs(i - j)
    psi = { n: nc, re, im: new Float64Array(nc * nc) }
  } else psi = { n: nc, re: psi.re.map((v) => v * peak * peak), im: psi.im.map((v) => v * peak * peak) }
  const noiseless = sigma === 0 && !options.covariance
  const L = noiseless ? { n: nc, re: new Float64Array(nc * nc), im: new Float64Array(nc * nc) } : cholesky(psi)
  const rand = mulberry32(seed)
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * Math.SQRT1_2
  const np = nx * ny
  const correlated = (n: number): { re: Float64Array; im: Float64Array }[] => {
    // No noise: L is zero, so the draws would only be multiplied by 0 (and nothing else uses them).
    if (noiseless) return Array.from({ length: nc }, () => ({ re: new Float64Array(n), im: new Float64Array(n) }))
    // A plain loop, not Float64Array.from({ length }, gauss) (V8's generic iteration); same draw order.
    const draws = (): Float64Array => {
      const a = new Float64Array(n)
      for (let s = 0; s < n; s++) a[s] = gauss()
      return a
    }
    const z = Array.from({ length: nc }, () => ({ re: draws(), im: draws() }))
    return Array.from({ length: nc }, (_, i) => {
      const re = new Float64Array(n)
      const im = new Float64Array(n)
      for (let j = 0; j <= i; j++) {
        const ar = L.re[i * nc + j]
        const ai = L.im[i * nc + j]
        for (let s = 0; s < n; s++) {
          re[s] += ar * z[j].re[s] - ai * z[j].im[s]
          im[s] += ar * z[j].im[s] + ai * z[j].re[s]
        }
      }
      return { re, im }
    })
  }
  const objRe = new Float64Array(np)
  const objIm = new Float64Array(np)
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const u = (x - nx / 2) / (nx / 2)
    const v = (y - ny / 2) / (ny / 2)
    const ph = phase * (0.6 * u - 0.4 * v + 0.4 * Math.cos(Math.PI * u * v))
    objRe[y * nx + x] = mag[y * nx + x] * Math.cos(ph)
    objIm[y * nx + x] = mag[y * nx + x] * Math.sin(ph)
  }
  const noise = correlated(np)
  const pre = correlated(ns)
  const sens: Image[] = []
  const coils: Image[] = []
  for (let c = 0; c < nc; c++) {
    const theta = (2 * Math.PI * c) / nc
    const px = Math.cos(theta) * 1.1
    const py = Math.sin(theta) * 1.1
    const sr = new Float64Array(np)
    const si = new Float64Array(np)
    const cr = new Float64Array(np)
    const ci = new Float64Array(np)
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const u = (x - nx / 2) / (nx / 2)
      const v = (y - ny / 2) / (ny / 2)
      const d2 = (u - px) ** 2 + (v - py) ** 2
      const a = Math.exp(-d2 / (2 * 0.7 * 0.7))
      const ph = theta + 0.8 * ((u - px) * Math.sin(theta) - (v - py) * Math.cos(theta))
      const k = y * nx + x
      sr[k] = a * Math.cos(ph)
      si[k] = a * Math.sin(ph)
      cr[k] = sr[k] * objRe[k] - si[k] * objIm[k] + noise[c].re[k]
      ci[k] = sr[k] * objIm[k] + si[k] * objRe[k] + noise[c].im[k]
    }
    sens.push(complexImage(sr, si, image, `sensitivity-${c}`))
    coils.push(complexImage(cr, ci, image, `coil-${c}`))
  }
  const noiseLike = makeImage([ns, 1])
  return {
    coils,
    sensitivities: sens,
    noise: pre.map((p, c) => complexImage(p.re, p.im, noiseLike, `noise-${c}`)),
    covariance: psi,
    object: complexImage(objRe, objIm, image, 'object'),
  }
}

/**
 * Eigen-decomposition of a Hermitian matrix by cyclic complex Jacobi rotations: eigenvalues in
 * descending order and the eigenvectors as the columns of a unitary matrix (row-major).
 */
export function hermitianEigen(m: ComplexMatrix): { values: Float64Array; vectors: ComplexMatrix } {
  const n = m.n
  checkMatrix(m, n, 'matrix')
  const ar = Float64Array.from(m.re)
  const ai = Float64Array.from(m.im)
  const vr = new Float64Array(n * n)
  const vi = new Float64Array(n * n)
  for (let i = 0; i < n; i++) vr[i * n + i] = 1
  const off = () => {
    let s = 0
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += ar[i * n + j] ** 2 + ai[i * n + j] ** 2
    return s
  }
  let scale = 0
  for (let i = 0; i < n * n; i++) scale += ar[i] ** 2 + ai[i] ** 2
  for (let sweep = 0; sweep < 100 && off() > 1e-30 * scale; sweep++) {
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) {
      const r = Math.hypot(ar[p * n + q], ai[p * n + q])
      if (r === 0 || r < 1e-300) continue
      // U = diag(1, e^{−iφ}) · [[c, s], [−s, c]] on columns p, q (φ = arg a_pq) makes the block real, then diagonal.
      const er = ar[p * n + q] / r
      const ei = -ai[p * n + q] / r
      const theta = (ar[q * n + q] - ar[p * n + p]) / (2 * r)
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
      const c = 1 / Math.sqrt(t * t + 1)
      const s = t * c
      // U_pp = c, U_pq = s, U_qp = −s·e, U_qq = c·e, e = e^{−iφ} = er + i·ei.
      const uqpR = -s * er
      const uqpI = -s * ei
      const uqqR = c * er
      const uqqI = c * ei
      const cols = (xr: Float64Array, xi: Float64Array) => {
        for (let k = 0; k < n; k++) {
          const pr = xr[k * n + p]
          const pi = xi[k * n + p]
          const qr = xr[k * n + q]
          const qi = xi[k * n + q]
          xr[k * n + p] = c * pr + (qr * uqpR - qi * uqpI)
          xi[k * n + p] = c * pi + (qr * uqpI + qi * uqpR)
          xr[k * n + q] = s * pr + (qr * uqqR - qi * uqqI)
          xi[k * n + q] = s * pi + (qr * uqqI + qi * uqqR)
        }
      }
      cols(ar, ai)
      cols(vr, vi)
      for (let k = 0; k < n; k++) {
        // rows: A ← Uᴴ A
        const pr = ar[p * n + k]
        const pi = ai[p * n + k]
        const qr = ar[q * n + k]
        const qi = ai[q * n + k]
        ar[p * n + k] = c * pr + (uqpR * qr + uqpI * qi)
        ai[p * n + k] = c * pi + (uqpR * qi - uqpI * qr)
        ar[q * n + k] = s * pr + (uqqR * qr + uqqI * qi)
        ai[q * n + k] = s * pi + (uqqR * qi - uqqI * qr)
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ar[b * n + b] - ar[a * n + a])
  const values = Float64Array.from(order, (i) => ar[i * n + i])
  const re = new Float64Array(n * n)
  const im = new Float64Array(n * n)
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) {
      re[k * n + dst] = vr[k * n + src]
      im[k * n + dst] = vi[k * n + src]
    }
  })
  return { values, vectors: { n, re, im } }
}

export interface CoilCompressOptions {
  /** Number of virtual coils kept, 1 to the number of coils. Default min(4, coils). */
  virtualCoils?: number
}

export interface CoilCompression {
  /** The virtual coils y = Vₖᴴ x, strongest first. */
  coils: Image[]
  /** Singular values of the nc × npixels data matrix, descending (all nc). */
  singularValues: Float64Array
  /** Fraction of the data's energy (Σ σ²) in the kept virtual coils. */
  energy: number
  /** The compression matrix: rows 0..k−1 are Vₖᴴ, the other rows zero (apply with mixCoils, keep the first k). */
  matrix: ComplexMatrix
}

/**
 * SVD coil compression (Buehrer et al., MRM 57, 2007; `bart cc -S -A`): the leading left
 * singular vectors V of the nc × npixels matrix of all coil data (from the eigenvectors of
 * X Xᴴ) define virtual coils Vₖᴴ x that keep most of the energy in a few channels. Best applied
 * to pre-whitened data. The virtual coils are unique up to a phase each; their RSS is not.
 */
export function coilCompress(coils: Image[], options: CoilCompressOptions = {}): CoilCompression {
  checkCoils(coils, 'coils')
  const nc = coils.length
  const k = options.virtualCoils ?? Math.min(4, nc)
  checkRange('virtualCoils', k, 1, nc, true)
  const gram = noiseCovariance(coils)
  const { values, vectors } = hermitianEigen(gram)
  const np = coils[0].size[0] * coils[0].size[1]
  const singularValues = Float64Array.from(values, (v) => Math.sqrt(Math.max(0, v) * (np - 1)))
  // Rows of the k × nc compression matrix: conj(V[:, j]), padded to nc × nc with zero rows.
  const re = new Float64Array(nc * nc)
  const im = new Float64Array(nc * nc)
  for (let j = 0; j < k; j++) for (let c = 0; c < nc; c++) {
    re[j * nc + c] = vectors.re[c * nc + j]
    im[j * nc + c] = -vectors.im[c * nc + j]
  }
  let total = 0
  let kept = 0
  singularValues.forEach((s, i) => { total += s * s; if (i < k) kept += s * s })
  const matrix = { n: nc, re, im }
  return { coils: mixCoils(coils, matrix, 'virtual').slice(0, k), singularValues, energy: total > 0 ? kept / total : 1, matrix }
}

/**
 * ITK 5.2's index ↔ physical matrices, computed with the same floating-point steps as ITK so the
 * continuous indices of a resampling grid agree with ITK's bit for bit, also for oblique grids:
 *
 * - `ImageBase::ComputeIndexToPhysicalPointMatrices`: M = Direction · diag(Spacing)
 *   (vnl_matrix_fixed product) and its inverse `Matrix::GetInverse()`, which is
 *   `vnl_matrix_inverse` = the SVD pseudo-inverse V · W⁻¹ · Uᵀ of vnl_svd, i.e. LINPACK `dsvdc`
 *   (G. W. Stewart, 1978; job 21) with the reference BLAS it calls (dnrm2 in its 1993
 *   Hammarling form, drotg, drot, ddot, daxpy, dscal, dswap).
 *
 * Why bother: a Gauss–Jordan inverse differs from ITK's in the last bits, and those bits decide
 * nearest-neighbour picks at exact .5 ties and integer truncations of linear values on oblique grids.
 */

/** M = D · diag(s) as vnl_matrix_fixed multiplies it (first product, then += the others). */
export function indexToPhysicalMatrix(direction: ArrayLike<number>, spacing: ArrayLike<number>, dim: number): Float64Array {
  const m = new Float64Array(dim * dim)
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      let acc = direction[i * dim] * (j === 0 ? spacing[0] : 0)
      for (let k = 1; k < dim; k++) acc += direction[i * dim + k] * (k === j ? spacing[k] : 0)
      m[i * dim + j] = acc
    }
  }
  return m
}

// --- reference BLAS, stride 1, 0-based start offsets --------------------------------------------

function dnrm2(n: number, x: Float64Array, o: number): number {
  if (n < 1) return 0
  if (n === 1) return Math.abs(x[o])
  let scale = 0
  let ssq = 1
  for (let i = o; i < o + n; i++) {
    if (x[i] !== 0) {
      const absxi = Math.abs(x[i])
      if (scale < absxi) {
        const r = scale / absxi
        ssq = ssq * (r * r) + 1
        scale = absxi
      } else {
        const r = absxi / scale
        ssq += r * r
      }
    }
  }
  return scale * Math.sqrt(ssq)
}

function ddot(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  let t = 0
  for (let i = 0; i < n; i++) t += x[xo + i] * y[yo + i]
  return t
}

function daxpy(n: number, a: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  if (n <= 0 || a === 0) return
  for (let i = 0; i < n; i++) y[yo + i] += a * x[xo + i]
}

function dscal(n: number, a: number, x: Float64Array, xo: number): void {
  for (let i = 0; i < n; i++) x[xo + i] = a * x[xo + i]
}

function drot(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number, c: number, s: number): void {
  for (let i = 0; i < n; i++) {
    const t = c * x[xo + i] + s * y[yo + i]
    y[yo + i] = c * y[yo + i] - s * x[xo + i]
    x[xo + i] = t
  }
}

function dswap(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let i = 0; i < n; i++) {
    const t = x[xo + i]
    x[xo + i] = y[yo + i]
    y[yo + i] = t
  }
}

/** f2c d_sign: |a| with the sign of b (b = −0 counts as positive). */
function dsign(a: number, b: number): number {
  const x = a >= 0 ? a : -a
  return b >= 0 ? x : -x
}

/** Givens rotation (LINPACK drotg): returns [r, z, c, s] for (da, db). */
function drotg(da: number, db: number, out: Float64Array): void {
  const roe = Math.abs(da) > Math.abs(db) ? da : db
  const scale = Math.abs(da) + Math.abs(db)
  let c: number, s: number, r: number, z: number
  if (scale === 0) {
    c = 1
    s = 0
    r = 0
    z = 0
  } else {
    const a = da / scale
    const b = db / scale
    r = scale * Math.sqrt(a * a + b * b)
    r = dsign(1, roe) * r
    c = da / r
    s = db / r
    z = 1
    if (Math.abs(da) > Math.abs(db)) z = s
    if (Math.abs(db) >= Math.abs(da) && c !== 0) z = 1 / c
  }
  out[0] = r
  out[1] = z
  out[2] = c
  out[3] = s
}

/**
 * LINPACK dsvdc for a square n×n matrix with job = 21 (U: first n left vectors, V: right vectors).
 * `x` is column-major and is destroyed; returns info (0 on convergence).
 * Arrays are indexed 1-based through the helpers to follow the published algorithm line by line.
 */
function dsvdc(x: Float64Array, n: number, s: Float64Array, e: Float64Array, u: Float64Array, v: Float64Array): number {
  const p = n
  const X = (i: number, j: number): number => i - 1 + (j - 1) * n
  const U = X
  const V = (i: number, j: number): number => i - 1 + (j - 1) * p
  const work = new Float64Array(n + 1)
  const g4 = new Float64Array(4)
  const maxit = 1000
  const wantu = true
  const wantv = true
  const ncu = Math.min(n, p)
  let info = 0
  const nct = Math.min(n - 1, p)
  const nrt = Math.max(0, Math.min(p - 2, n))
  const lu = Math.max(nct, nrt)

  // Reduce x to bidiagonal form.
  for (let l = 1; l <= lu; l++) {
    const lp1 = l + 1
    if (l <= nct) {
      s[l] = dnrm2(n - l + 1, x, X(l, l))
      if (s[l] !== 0) {
        if (x[X(l, l)] !== 0) s[l] = dsign(s[l], x[X(l, l)])
        dscal(n - l + 1, 1 / s[l], x, X(l, l))
        x[X(l, l)] += 1
      }
      s[l] = -s[l]
    }
    for (let j = lp1; j <= p; j++) {
      if (l <= nct && s[l] !== 0) {
        const t = -ddot(n - l + 1, x, X(l, l), x, X(l, j)) / x[X(l, l)]
        daxpy(n - l + 1, t, x, X(l, l), x, X(l, j))
      }
      e[j] = x[X(l, j)]
    }
    if (wantu && l <= nct) for (let i = l; i <= n; i++) u[U(i, l)] = x[X(i, l)]
    if (l <= nrt) {
      // e is 1-based: e[lp1..p] is the row to transform (offset lp1 in the typed array).
      e[l] = dnrm2(p - l, e, lp1)
      if (e[l] !== 0) {
        if (e[lp1] !== 0) e[l] = dsign(e[l], e[lp1])
        dscal(p - l, 1 / e[l], e, lp1)
        e[lp1] += 1
      }
      e[l] = -e[l]
      if (lp1 <= n && e[l] !== 0) {
        for (let i = lp1; i <= n; i++) work[i] = 0
        for (let j = lp1; j <= p; j++) daxpy(n - l, e[j], x, X(lp1, j), work, lp1)
        for (let j = lp1; j <= p; j++) daxpy(n - l, -e[j] / e[lp1], work, lp1, x, X(lp1, j))
      }
      if (wantv) for (let i = lp1; i <= p; i++) v[V(i, l)] = e[i]
    }
  }

  // Set up the final bidiagonal matrix of order m.
  let m = Math.min(p, n + 1)
  const nctp1 = nct + 1
  const nrtp1 = nrt + 1
  if (nct < p) s[nctp1] = x[X(nctp1, nctp1)]
  if (n < m) s[m] = 0
  if (nrtp1 < m) e[nrtp1] = x[X(nrtp1, m)]
  e[m] = 0

  // Generate U.
  if (wantu) {
    for (let j = nctp1; j <= ncu; j++) {
      for (let i = 1; i <= n; i++) u[U(i, j)] = 0
      u[U(j, j)] = 1
    }
    for (let ll = 1; ll <= nct; ll++) {
      const l = nct - ll + 1
      if (s[l] !== 0) {
        const lp1 = l + 1
        for (let j = lp1; j <= ncu; j++) {
          const t = -ddot(n - l + 1, u, U(l, l), u, U(l, j)) / u[U(l, l)]
          daxpy(n - l + 1, t, u, U(l, l), u, U(l, j))
        }
        dscal(n - l + 1, -1, u, U(l, l))
        u[U(l, l)] += 1
        for (let i = 1; i <= l - 1; i++) u[U(i, l)] = 0
      } else {
        for (let i = 1; i <= n; i++) u[U(i, l)] = 0
        u[U(l, l)] = 1
      }
    }
  }

  // Generate V.
  if (wantv) {
    for (let ll = 1; ll <= p; ll++) {
      const l = p - ll + 1
      const lp1 = l + 1
      if (l <= nrt && e[l] !== 0) {
        for (let j = lp1; j <= p; j++) {
          const t = -ddot(p - l, v, V(lp1, l), v, V(lp1, j)) / v[V(lp1, l)]
          daxpy(p - l, t, v, V(lp1, l), v, V(lp1, j))
        }
      }
      for (let i = 1; i <= p; i++) v[V(i, l)] = 0
      v[V(l, l)] = 1
    }
  }

  // Main iteration loop for the singular values.
  const mm = m
  let iter = 0
  for (;;) {
    if (m === 0) break
    if (iter >= maxit) {
      info = m
      break
    }
    let l = 0
    for (let ll = 1; ll <= m; ll++) {
      l = m - ll
      if (l === 0) break
      const test = Math.abs(s[l]) + Math.abs(s[l + 1])
      const ztest = test + Math.abs(e[l])
      if (ztest === test) {
        e[l] = 0
        break
      }
    }
    let kase: number
    if (l === m - 1) {
      kase = 4
    } else {
      const lp1 = l + 1
      const mp1 = m + 1
      let ls = l
      for (let lls = lp1; lls <= mp1; lls++) {
        ls = m - lls + lp1
        if (ls === l) break
        let test = 0
        if (ls !== m) test += Math.abs(e[ls])
        if (ls !== l + 1) test += Math.abs(e[ls - 1])
        const ztest = test + Math.abs(s[ls])
        if (ztest === test) {
          s[ls] = 0
          break
        }
      }
      if (ls === l) kase = 3
      else if (ls === m) kase = 1
      else {
        kase = 2
        l = ls
      }
    }
    l = l + 1

    if (kase === 1) {
      // Deflate negligible s(m).
      const mm1 = m - 1
      let f = e[m - 1]
      e[m - 1] = 0
      for (let kk = l; kk <= mm1; kk++) {
        const k = mm1 - kk + l
        drotg(s[k], f, g4)
        s[k] = g4[0]
        f = g4[1]
        const cs = g4[2]
        const sn = g4[3]
        if (k !== l) {
          f = -sn * e[k - 1]
          e[k - 1] = cs * e[k - 1]
        }
        if (wantv) drot(p, v, V(1, k), v, V(1, m), cs, sn)
      }
    } else if (kase === 2) {
      // Split at negligible s(l).
      let f = e[l - 1]
      e[l - 1] = 0
      for (let k = l; k <= m; k++) {
        drotg(s[k], f, g4)
        s[k] = g4[0]
        const cs = g4[2]
        const sn = g4[3]
        f = -sn * e[k]
        e[k] = cs * e[k]
        if (wantu) drot(n, u, U(1, k), u, U(1, l - 1), cs, sn)
      }
    } else if (kase === 3) {
      // One QR step: calculate the shift.
      const scale = Math.max(Math.abs(s[m]), Math.abs(s[m - 1]), Math.abs(e[m - 1]), Math.abs(s[l]), Math.abs(e[l]))
      const sm = s[m] / scale
      const smm1 = s[m - 1] / scale
      const emm1 = e[m - 1] / scale
      const sl = s[l] / scale
      const el = e[l] / scale
      const b = ((smm1 + sm) * (smm1 - sm) + emm1 * emm1) / 2
      const smE = sm * emm1
      const c = smE * smE
      let shift = 0
      if (!(b === 0 && c === 0)) {
        shift = Math.sqrt(b * b + c)
        if (b < 0) shift = -shift
        shift = c / (b + shift)
      }
      let f = (sl + sm) * (sl - sm) + shift
      let g = sl * el
      // Chase zeros.
      const mm1 = m - 1
      for (let k = l; k <= mm1; k++) {
        drotg(f, g, g4)
        f = g4[0]
        g = g4[1]
        let cs = g4[2]
        let sn = g4[3]
        if (k !== l) e[k - 1] = f
        f = cs * s[k] + sn * e[k]
        e[k] = cs * e[k] - sn * s[k]
        g = sn * s[k + 1]
        s[k + 1] = cs * s[k + 1]
        if (wantv) drot(p, v, V(1, k), v, V(1, k + 1), cs, sn)
        drotg(f, g, g4)
        f = g4[0]
        g = g4[1]
        cs = g4[2]
        sn = g4[3]
        s[k] = f
        f = cs * e[k] + sn * s[k + 1]
        s[k + 1] = -sn * e[k] + cs * s[k + 1]
        g = sn * e[k + 1]
        e[k + 1] = cs * e[k + 1]
        if (wantu && k < n) drot(n, u, U(1, k), u, U(1, k + 1), cs, sn)
      }
      e[m - 1] = f
      iter++
    } else {
      // Convergence: make the singular value positive, then order it.
      if (s[l] < 0) {
        s[l] = -s[l]
        if (wantv) dscal(p, -1, v, V(1, l))
      }
      while (l !== mm && !(s[l] >= s[l + 1])) {
        const t = s[l]
        s[l] = s[l + 1]
        s[l + 1] = t
        if (wantv && l < p) dswap(p, v, V(1, l), v, V(1, l + 1))
        if (wantu && l < n) dswap(n, u, U(1, l), u, U(1, l + 1))
        l++
      }
      iter = 0
      m--
    }
  }
  return info
}

/** vnl_determinant's closed forms for 2×2 and 3×3 (Laplace expansion otherwise). */
function determinant(a: ArrayLike<number>, n: number): number {
  if (n === 1) return a[0]
  if (n === 2) return a[0] * a[3] - a[1] * a[2]
  if (n === 3) {
    return a[0] * a[4] * a[8] - a[0] * a[7] * a[5] - a[3] * a[1] * a[8] + a[3] * a[7] * a[2] + a[6] * a[1] * a[5] - a[6] * a[4] * a[2]
  }
  let det = 0
  for (let c = 0; c < n; c++) {
    const minor: number[] = []
    for (let r = 1; r < n; r++) for (let k = 0; k < n; k++) if (k !== c) minor.push(a[r * n + k])
    det += (c % 2 === 0 ? 1 : -1) * a[c] * determinant(minor, n - 1)
  }
  return det
}

/**
 * ITK `Matrix::GetInverse()` of a square row-major matrix: vnl_svd (LINPACK dsvdc) and the
 * pseudo-inverse (V · W⁻¹) · Uᵀ with vnl_matrix's sequential sums. Throws for a singular matrix.
 */
export function itkMatrixInverse(a: ArrayLike<number>, n: number): Float64Array {
  if (determinant(a, n) === 0) throw new Error('Matrix is singular') // ITK checks vnl_determinant first
  const x = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) x[i + j * n] = a[i * n + j] // Fortran (column-major) copy
  const s = new Float64Array(n + 2)
  const e = new Float64Array(n + 2)
  const u = new Float64Array(n * n)
  const v = new Float64Array(n * n)
  const info = dsvdc(x, n, s, e, u, v)
  if (info !== 0) throw new Error('Matrix inverse: the SVD did not converge')
  const winv = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    const w = Math.abs(s[j + 1])
    if (w === 0) throw new Error('Matrix is singular')
    winv[j] = 1.0 / w
  }
  // VW = V · diag(winv) (a full vnl_matrix product: zeros included), then VW · Uᵀ.
  const vw = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      let sum = 0
      for (let j = 0; j < n; j++) sum += v[i + j * n] * (j === k ? winv[j] : 0)
      vw[i * n + k] = sum
    }
  }
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      let sum = 0
      for (let j = 0; j < n; j++) sum += vw[i * n + j] * u[k + j * n]
      out[i * n + k] = sum
    }
  }
  return out
}

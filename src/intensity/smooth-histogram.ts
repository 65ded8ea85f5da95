/**
 * Penalised-spline histogram smoothing, as the WhiteStripe R package's `smooth_hist` does it.
 *
 * `smooth_hist(x, y, deg = 4, k = floor(min(250, length(x)/2)), method = "REML")` fits
 *   y ~ [1, x, …, x^deg, (x − κ_1)_+^deg, …, (x − κ_k)_+^deg] β
 * with the knots κ at the interior quantiles of x and the ridge penalty λ Σ β_knot² on the
 * truncated-power coefficients, λ chosen by REML (`mgcv::gam(y ~ X - 1, paraPen = list(X = D))`).
 *
 * The truncated power basis is numerically hopeless in double precision (columns nearly
 * collinear), so the same function space is represented here by degree-`deg` B-splines on the
 * same knots (on x rescaled to [0, 1]; λ is reported in the units of x, as R's). The coefficient
 * of (x − κ_j)_+^deg is the jump of f^(deg) at κ_j divided by deg!, so the penalty becomes
 * Σ_j (jump_j f^(deg) / deg!)² = ‖E c‖² with E built from the B-spline derivative recursion.
 * That is a reparametrisation: the fitted curve and the REML optimum are those of the R code
 * (REML changes only by a constant under it).
 *
 * For every λ the penalised least-squares problem ‖[y; 0] − [X; √λ E] c‖² is solved by Givens
 * rotations of the banded rows (as mgcv, a QR factorisation rather than the normal equations
 * X'X + λ E'E, whose condition number is the square: with λ large, as REML picks for spiky
 * histograms, the normal equations lose positive definiteness in double precision).
 */

export interface SmoothHistogramOptions {
  /** Spline degree. Default 4 (R `deg = 4`). */
  degree?: number
  /** Number of interior knots. Default floor(min(250, n / 2)) (R's default). */
  knots?: number
  /**
   * Smoothing parameter for the truncated-power penalty (R `sp`), in the units of x. Default:
   * chosen by REML as mgcv does.
   */
  lambda?: number
}

export interface SmoothedHistogram {
  /** Fitted values at x. */
  fitted: Float64Array
  /** First derivative of the fit at x (R `get.deriv.smooth.hist(deriv.deg = 1)`). */
  derivative: Float64Array
  /** Knot positions (interior). */
  knots: Float64Array
  /** REML smoothing parameter for the truncated-power penalty. */
  lambda: number
}

/**
 * R `quantile(x, p)` (type 7) of sorted values, with R's arithmetic: index = 1 + (n − 1) p
 * (1-based), h = index − floor(index), (1 − h) x[lo] + h x[hi]; the rounding of 1 + (n − 1) p
 * is R's, so the result is R's to the last bit.
 */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  const index = 1 + Math.max(n - 1, 0) * p
  const lo = Math.floor(index)
  const hi = Math.ceil(index)
  const qs = sorted[lo - 1]
  // R leaves the order statistic untouched when its neighbour is equal, which keeps ties exact.
  if (index > lo && sorted[hi - 1] !== qs) {
    const h = index - lo
    return (1 - h) * qs + h * sorted[hi - 1]
  }
  return qs
}

/** Index s with t[s] <= x < t[s+1] among the non-degenerate spans p..nb−1 (x = last knot: last span). */
function findSpan(t: Float64Array, p: number, nb: number, x: number): number {
  if (x >= t[nb]) return nb - 1
  let lo = p
  let hi = nb
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (x < t[mid]) hi = mid
    else lo = mid
  }
  return lo
}

/** The p+1 non-zero B-spline values N_{s−p..s, p}(x) (Cox–de Boor, Piegl & Tiller A2.2). */
function basisFuns(s: number, x: number, p: number, t: Float64Array, out: Float64Array, left: Float64Array, right: Float64Array): void {
  out[0] = 1
  for (let j = 1; j <= p; j++) {
    left[j] = x - t[s + 1 - j]
    right[j] = t[s + j] - x
    let saved = 0
    for (let r = 0; r < j; r++) {
      const temp = out[r] / (right[r + 1] + left[j - r])
      out[r] = saved + right[r + 1] * temp
      saved = left[j - r] * temp
    }
    out[j] = saved
  }
}

/**
 * Givens-rotates the row held in `v` (absolute column index; non-zeros from column c0 on, right-hand
 * side r) into the banded upper-triangular factor R (row j holds columns j..j+w−1 at R[j·w…]) and
 * its right-hand side z. Returns what is left of r: its square adds to the residual sum of squares.
 * v is all zero again on return. Fill-in stays within the band w = deg + 2 (rows of X span deg + 1
 * columns, rows of E deg + 2).
 */
function rotateIn(R: Float64Array, z: Float64Array, w: number, nb: number, v: Float64Array, c0: number, c1: number, r: number): number {
  let end = c1
  for (let j = c0; j < end; j++) {
    const b = v[j]
    if (b === 0) continue
    const row = j * w
    const a = R[row]
    if (a === 0) {
      // Row j of R is still empty: the rotated row becomes it.
      for (let d = 0; d < w; d++) {
        const col = j + d
        if (col < nb) {
          R[row + d] = v[col]
          v[col] = 0
        }
      }
      for (let col = j + w; col < end; col++) v[col] = 0
      z[j] = r
      return 0
    }
    const h = Math.hypot(a, b)
    const c = a / h
    const s = b / h
    R[row] = h
    v[j] = 0
    const dMax = Math.min(w, nb - j)
    for (let d = 1; d < dMax; d++) {
      const rv = R[row + d]
      const vv = v[j + d]
      R[row + d] = c * rv + s * vv
      v[j + d] = c * vv - s * rv
    }
    if (j + dMax > end) end = j + dMax
    const zr = z[j]
    z[j] = c * zr + s * r
    r = c * r - s * zr
  }
  return r
}

/**
 * Smooths histogram counts y at increasing bin positions x with the WhiteStripe R package's
 * penalised quartic spline (`smooth_hist`, REML smoothing parameter), and returns the fit and
 * its first derivative at x. Defaults: degree 4, floor(min(250, n/2)) knots at the quantiles
 * (type 7, probabilities j · (1/(k+1)) as R's `seq(0, 1, length = k + 2)`) of x.
 */
export function smoothHistogram(x: ArrayLike<number>, y: ArrayLike<number>, options: SmoothHistogramOptions = {}): SmoothedHistogram {
  const n = x.length
  if (y.length !== n) throw new Error(`smoothHistogram: x has ${n} values but y has ${y.length}`)
  const p = options.degree ?? 4
  if (!Number.isInteger(p) || p < 1) throw new Error(`smoothHistogram: degree must be a positive integer, got ${p}`)
  const k = options.knots ?? Math.floor(Math.min(250, n / 2))
  if (n < 2 * (p + 1) || k < 1 || n - (p + 1) <= 0) {
    throw new Error(`smoothHistogram: needs at least ${2 * (p + 1)} histogram bins to fit a degree-${p} spline, got ${n}`)
  }
  for (let i = 1; i < n; i++) if (!(x[i] > x[i - 1])) throw new Error('smoothHistogram: x must be strictly increasing')
  if (options.lambda !== undefined && !(options.lambda > 0 && Number.isFinite(options.lambda))) {
    throw new Error(`smoothHistogram: lambda must be a positive number, got ${options.lambda}`)
  }

  // Interior knots at the quantiles of x, as `quantile(x, seq(0, 1, length = k + 2)[-c(1, k + 2)])`.
  const knots = new Float64Array(k)
  const step = 1 / (k + 1)
  for (let j = 1; j <= k; j++) knots[j - 1] = quantileType7(x, j * step)
  // Work on u = (x − x0) / width in [0, 1]: the truncated-power coefficients scale by width^p, so
  // λ (in x units) = λ_u · width^(2p).
  const x0 = x[0]
  const width = x[n - 1] - x0
  const u = Float64Array.from({ length: n }, (_, i) => (x[i] - x0) / width)
  const nb = k + p + 1
  const t = new Float64Array(nb + p + 1)
  for (let i = 0; i <= p; i++) {
    t[i] = 0
    t[nb + i] = 1
  }
  for (let j = 0; j < k; j++) t[p + 1 + j] = (knots[j] - x0) / width

  // Basis values at every x (p+1 non-zeros per row, from column spans[i] − p).
  const spans = new Int32Array(n)
  const vals = new Float64Array(n * (p + 1))
  const left = new Float64Array(p + 1)
  const right = new Float64Array(p + 1)
  const row = new Float64Array(p + 1)
  let traceX = 0
  for (let i = 0; i < n; i++) {
    const s = findSpan(t, p, nb, u[i])
    spans[i] = s
    basisFuns(s, u[i], p, t, row, left, right)
    for (let a = 0; a <= p; a++) {
      vals[i * (p + 1) + a] = row[a]
      traceX += row[a] * row[a]
    }
  }

  // Penalty rows E: B-spline coefficients → jumps of f^(p) at the interior knots / p!.
  // f^(p) is piecewise constant with coefficient d_j on span j (degree-0 basis after p
  // applications of the derivative recursion c_j ← q (c_j − c_{j−1}) / (t_{j+q} − t_j)).
  let fact = 1
  for (let i = 2; i <= p; i++) fact *= i
  const lmat = new Float64Array(k * nb)
  const work = new Float64Array(nb)
  for (let m = 0; m < nb; m++) {
    work.fill(0)
    work[m] = 1
    for (let r = 0; r < p; r++) {
      const q = p - r
      for (let j = nb - 1; j >= r + 1; j--) {
        const den = t[j + q] - t[j]
        work[j] = den > 0 ? (q * (work[j] - work[j - 1])) / den : 0
      }
    }
    // spans p..nb−1 hold d; the knot t[p + i] (i = 1..k) separates spans p+i−1 and p+i.
    for (let i = 1; i <= k; i++) lmat[(i - 1) * nb + m] = (work[p + i] - work[p + i - 1]) / fact
  }
  const lFirst = new Int32Array(k)
  const lEnd = new Int32Array(k)
  let traceE = 0
  for (let i = 0; i < k; i++) {
    let first = -1
    let last = -1
    for (let m = 0; m < nb; m++) {
      const e = lmat[i * nb + m]
      if (e !== 0) {
        if (first < 0) first = m
        last = m
        traceE += e * e
      }
    }
    lFirst[i] = first < 0 ? 0 : first
    lEnd[i] = last + 1
  }

  // R of [X; √λ E] (band w = p + 2) and Q'[y; 0], by Givens rotations of the rows in the order of
  // their first non-zero column: a row then meets at most w partly filled rows of R and lands in an
  // empty one, O(w²) per row.
  const w = p + 2
  const rmat = new Float64Array(nb * w)
  const zvec = new Float64Array(nb)
  const v = new Float64Array(nb)
  const nullDim = p + 1
  /** Factorises [X; √λ E] for λ_u = e^rho; returns −2 × restricted log-likelihood up to a constant. */
  const factorAt = (rho: number): number => {
    rmat.fill(0)
    zvec.fill(0)
    const sl = Math.exp(rho / 2)
    let dp = 0
    let i = 0
    let e = 0
    while (i < n || e < k) {
      let res: number
      if (e >= k || (i < n && spans[i] - p <= lFirst[e])) {
        const c0 = spans[i] - p
        for (let a = 0; a <= p; a++) v[c0 + a] = vals[i * (p + 1) + a]
        res = rotateIn(rmat, zvec, w, nb, v, c0, c0 + p + 1, y[i])
        i++
      } else {
        if (lEnd[e] <= lFirst[e]) {
          e++
          continue
        }
        for (let m = lFirst[e]; m < lEnd[e]; m++) v[m] = sl * lmat[e * nb + m]
        res = rotateIn(rmat, zvec, w, nb, v, lFirst[e], lEnd[e], 0)
        e++
      }
      dp += res * res
    }
    let logDet = 0
    for (let j = 0; j < nb; j++) {
      const d = Math.abs(rmat[j * w])
      if (!(d > 0)) return Infinity
      logDet += 2 * Math.log(d)
    }
    if (!(dp > 0)) return Infinity
    // Gaussian REML with the scale profiled out (Wood 2011), up to constants:
    // (n − M_p) log D_p + log|X'X + λ E'E| − rank(E) log λ, with D_p = ‖y − Xc‖² + λ‖Ec‖².
    return (n - nullDim) * Math.log(dp) + logDet - k * rho
  }

  const rhoScale = 2 * p * Math.log(width)
  let rho: number
  if (options.lambda !== undefined) {
    rho = Math.log(options.lambda) - rhoScale
  } else {
    rho = remlOptimum(factorAt, Math.log(traceX / traceE))
  }
  if (!Number.isFinite(factorAt(rho))) throw new Error('smoothHistogram: the spline fit failed (degenerate histogram)')

  // Coefficients: back-substitution in R c = z.
  const coef = new Float64Array(nb)
  for (let j = nb - 1; j >= 0; j--) {
    let s = zvec[j]
    const dMax = Math.min(w, nb - j)
    for (let d = 1; d < dMax; d++) s -= rmat[j * w + d] * coef[j + d]
    coef[j] = s / rmat[j * w]
  }

  // Fitted values and derivative (degree p−1 basis with coefficients q_j = p (c_j − c_{j−1}) / (t_{j+p} − t_j)),
  // the derivative back in x units (÷ width).
  const fitted = new Float64Array(n)
  const derivative = new Float64Array(n)
  const dcoef = new Float64Array(nb)
  for (let j = 1; j < nb; j++) {
    const den = t[j + p] - t[j]
    dcoef[j] = den > 0 ? (p * (coef[j] - coef[j - 1])) / den : 0
  }
  for (let i = 0; i < n; i++) {
    const s = spans[i]
    let f = 0
    for (let a2 = 0; a2 <= p; a2++) f += vals[i * (p + 1) + a2] * coef[s - p + a2]
    fitted[i] = f
    basisFuns(s, u[i], p - 1, t, row, left, right)
    let d = 0
    for (let a2 = 0; a2 < p; a2++) d += row[a2] * dcoef[s - p + 1 + a2]
    derivative[i] = d / width
  }
  return { fitted, derivative, knots, lambda: Math.exp(rho + rhoScale) }
}

/**
 * Minimises the REML criterion over ρ = log λ: a grid of step 1 over ρ0 ± 40 (ρ0 balances the
 * traces of the data and penalty terms), then golden-section search to 1e-9 around the best grid
 * point.
 */
function remlOptimum(crit: (rho: number) => number, rho0: number): number {
  let bestRho = rho0
  let best = Infinity
  for (let r = -40; r <= 40; r++) {
    const v = crit(rho0 + r)
    if (v < best) {
      best = v
      bestRho = rho0 + r
    }
  }
  if (!Number.isFinite(best)) throw new Error('smoothHistogram: the spline fit failed for every smoothing parameter (degenerate histogram)')
  if (bestRho === rho0 + 40) {
    // Still decreasing at the top of the grid: REML prefers λ → ∞ (the fit tends to the
    // polynomial part; spiky histograms, e.g. integer data in bins narrower than 1, do this).
    // Follow the criterion up until it is flat to 1e-12 relative and return that λ, i.e. the
    // limit. mgcv's Newton iteration stops earlier, once its gradient is below its tolerance
    // (1e-6 of the score); the fits then differ by ~1e-5 of the largest count.
    for (let r = bestRho + 1; r <= rho0 + 120; r += 1) {
      const v = crit(r)
      if (!(v < best)) break
      const flat = best - v <= 1e-12 * Math.abs(v)
      best = v
      bestRho = r
      if (flat) break
    }
    return bestRho
  }
  let a = bestRho - 1
  let b = bestRho + 1
  const g = (Math.sqrt(5) - 1) / 2
  let c1 = b - g * (b - a)
  let c2 = a + g * (b - a)
  let f1 = crit(c1)
  let f2 = crit(c2)
  for (let it = 0; it < 45; it++) {
    if (f1 <= f2) {
      b = c2
      c2 = c1
      f2 = f1
      c1 = b - g * (b - a)
      f1 = crit(c1)
    } else {
      a = c1
      c1 = c2
      f1 = f2
      c2 = a + g * (b - a)
      f2 = crit(c2)
    }
  }
  const rho = (a + b) / 2
  return crit(rho) <= best ? rho : bestRho
}

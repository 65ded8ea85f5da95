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
 * same knots. The coefficient of (x − κ_j)_+^deg is the jump of f^(deg) at κ_j divided by deg!,
 * so the penalty becomes Σ_j (jump_j f^(deg) / deg!)² = c' P c with P built from the B-spline
 * derivative recursion. That is a reparametrisation: the fitted curve and the REML optimum
 * are those of the R code (REML changes only by a constant under it).
 */

export interface SmoothHistogramOptions {
  /** Spline degree. Default 4 (R `deg = 4`). */
  degree?: number
  /** Number of interior knots. Default floor(min(250, n / 2)) (R's default). */
  knots?: number
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

/** R `quantile(x, p)` (type 7) of sorted values. */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  const index = (n - 1) * p
  const lo = Math.floor(index)
  const hi = Math.ceil(index)
  const qs = sorted[lo]
  // R leaves the order statistic untouched when its neighbour is equal, which keeps ties exact.
  if (index > lo && sorted[hi] !== qs) {
    const h = index - lo
    return (1 - h) * qs + h * sorted[hi]
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

/** In-place Cholesky of a symmetric band matrix (dense storage, half-bandwidth hb); false if not positive definite. */
function bandCholesky(a: Float64Array, n: number, hb: number): boolean {
  for (let j = 0; j < n; j++) {
    const k0 = Math.max(0, j - hb)
    let d = a[j * n + j]
    for (let k = k0; k < j; k++) d -= a[j * n + k] * a[j * n + k]
    if (!(d > 0) || !Number.isFinite(d)) return false
    const ljj = Math.sqrt(d)
    a[j * n + j] = ljj
    const iMax = Math.min(n - 1, j + hb)
    for (let i = j + 1; i <= iMax; i++) {
      let s = a[i * n + j]
      const kk = Math.max(k0, i - hb)
      for (let k = kk; k < j; k++) s -= a[i * n + k] * a[j * n + k]
      a[i * n + j] = s / ljj
    }
  }
  return true
}

function bandSolve(l: Float64Array, n: number, hb: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]
    for (let k = Math.max(0, i - hb); k < i; k++) s -= l[i * n + k] * x[k]
    x[i] = s / l[i * n + i]
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]
    for (let k = i + 1; k <= Math.min(n - 1, i + hb); k++) s -= l[k * n + i] * x[k]
    x[i] = s / l[i * n + i]
  }
}

/**
 * Smooths histogram counts y at increasing bin positions x with the WhiteStripe R package's
 * penalised quartic spline (`smooth_hist`, REML smoothing parameter), and returns the fit and
 * its first derivative at x. Defaults: degree 4, floor(min(250, n/2)) knots at the quantiles
 * (type 7) j/(k+1) of x.
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

  // Interior knots at the quantiles of x, as `quantile(x, seq(0, 1, length = k + 2)[-c(1, k + 2)])`.
  const knots = new Float64Array(k)
  for (let j = 1; j <= k; j++) knots[j - 1] = quantileType7(x, j / (k + 1))
  const nb = k + p + 1
  const t = new Float64Array(nb + p + 1)
  for (let i = 0; i <= p; i++) {
    t[i] = x[0]
    t[nb + i] = x[n - 1]
  }
  for (let j = 0; j < k; j++) t[p + 1 + j] = knots[j]

  // Basis values at every x (p+1 non-zeros per row) and the normal equations.
  const spans = new Int32Array(n)
  const vals = new Float64Array(n * (p + 1))
  const left = new Float64Array(p + 1)
  const right = new Float64Array(p + 1)
  const row = new Float64Array(p + 1)
  const xtx = new Float64Array(nb * nb)
  const xty = new Float64Array(nb)
  for (let i = 0; i < n; i++) {
    const s = findSpan(t, p, nb, x[i])
    spans[i] = s
    basisFuns(s, x[i], p, t, row, left, right)
    for (let a = 0; a <= p; a++) {
      vals[i * (p + 1) + a] = row[a]
      const ia = s - p + a
      xty[ia] += row[a] * y[i]
      for (let b = 0; b <= p; b++) xtx[ia * nb + (s - p + b)] += row[a] * row[b]
    }
  }

  // Penalty: rows of L map B-spline coefficients to the jumps of f^(p) at the interior knots / p!.
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
  const pen = new Float64Array(nb * nb)
  let hb = p
  for (let a = 0; a < nb; a++) {
    for (let b = a; b < nb; b++) {
      let s = 0
      for (let i = 0; i < k; i++) s += lmat[i * nb + a] * lmat[i * nb + b]
      if (s !== 0) {
        pen[a * nb + b] = s
        pen[b * nb + a] = s
        if (b - a > hb) hb = b - a
      }
    }
  }

  let traceA = 0
  let traceP = 0
  for (let i = 0; i < nb; i++) {
    traceA += xtx[i * nb + i]
    traceP += pen[i * nb + i]
  }
  const m = new Float64Array(nb * nb)
  const coef = new Float64Array(nb)
  const nullDim = p + 1

  const fitAt = (rho: number): number => {
    const lambda = Math.exp(rho)
    for (let i = 0; i < nb * nb; i++) m[i] = xtx[i] + lambda * pen[i]
    if (!bandCholesky(m, nb, hb)) return Infinity
    bandSolve(m, nb, hb, xty, coef)
    let logDet = 0
    for (let i = 0; i < nb; i++) logDet += 2 * Math.log(m[i * nb + i])
    // Penalised residual sum of squares D_p = ||y − Xβ||² + λ β'Pβ, computed directly for accuracy.
    let rss = 0
    for (let i = 0; i < n; i++) {
      let f = 0
      const s0 = spans[i] - p
      for (let a = 0; a <= p; a++) f += vals[i * (p + 1) + a] * coef[s0 + a]
      const r = y[i] - f
      rss += r * r
    }
    let quad = 0
    for (let a = 0; a < nb; a++) {
      let s = 0
      for (let b = Math.max(0, a - hb); b <= Math.min(nb - 1, a + hb); b++) s += pen[a * nb + b] * coef[b]
      quad += coef[a] * s
    }
    const dp = rss + lambda * quad
    if (!(dp > 0)) return Infinity
    // −2 × restricted log-likelihood with the scale profiled out (Wood 2011, Gaussian case),
    // up to constants: (n − M_p) log D_p + log|X'X + λP| − rank(P) log λ.
    return (n - nullDim) * Math.log(dp) + logDet - k * rho
  }

  // Coarse grid over log λ around the scale where data and penalty terms balance, then golden section.
  const rho0 = Math.log(traceA / traceP)
  let bestRho = rho0
  let best = Infinity
  for (let r = -40; r <= 40; r += 1) {
    const v = fitAt(rho0 + r)
    if (v < best) {
      best = v
      bestRho = rho0 + r
    }
  }
  if (!Number.isFinite(best)) throw new Error('smoothHistogram: the spline fit failed for every smoothing parameter (degenerate histogram)')
  let a = bestRho - 1
  let b = bestRho + 1
  const g = (Math.sqrt(5) - 1) / 2
  let c1 = b - g * (b - a)
  let c2 = a + g * (b - a)
  let f1 = fitAt(c1)
  let f2 = fitAt(c2)
  for (let it = 0; it < 40; it++) {
    if (f1 <= f2) {
      b = c2
      c2 = c1
      f2 = f1
      c1 = b - g * (b - a)
      f1 = fitAt(c1)
    } else {
      a = c1
      c1 = c2
      f1 = f2
      c2 = a + g * (b - a)
      f2 = fitAt(c2)
    }
  }
  let rho = (a + b) / 2
  if (!(fitAt(rho) <= best)) rho = bestRho
  fitAt(rho)

  // Fitted values and derivative (degree p−1 basis with coefficients q_j = p (c_j − c_{j−1}) / (t_{j+p} − t_j)).
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
    basisFuns(s, x[i], p - 1, t, row, left, right)
    let d = 0
    for (let a2 = 0; a2 < p; a2++) d += row[a2] * dcoef[s - p + 1 + a2]
    derivative[i] = d
  }
  return { fitted, derivative, knots, lambda: Math.exp(rho) }
}

#!/usr/bin/env Rscript
# Reference for whiteStripe: the WhiteStripe R package's algorithm, run by R itself.
#
# The maintainers' reference for src/intensity/white-stripe.ts is the WhiteStripe R package
# (Shinohara et al. 2014): whitestripe(img, type, breaks = 2000, whitestripe.width = 0.05,
# stripped = FALSE) followed by whitestripe_norm(img, ws$whitestripe.ind). The package is not in
# Debian and CRAN cannot be reached from here, so it cannot be installed; this script reproduces
# its functions instead, from the package source (WhiteStripe 2.4, github.com/muschellij2/WhiteStripe:
# R/whitestripe_ind.R -- make_img_voi, whitestripe, whitestripe_norm; R/get.largest.mode.R --
# get.largest.mode, get.last.mode; R/smooth_hist.R -- smooth_hist, get.deriv.smooth.hist),
# rewritten without the messages and the NIfTI handling but with the same calls to R's own hist(),
# quantile(), mean(), sd() and mgcv::gam(), in the same order and with the same arguments. The
# functions below also hand back their intermediates (histogram, smooth, derivative, REML sp)
# so that the tests can check each step.
#
# Run (R 4.2.2 and mgcv 1.8-41 from Debian: apt-get install r-base-core r-cran-mgcv):
#   Rscript tests/reference/intensity/make-whitestripe-r-reference.R
# Writes tests/reference/intensity/whitestripe-r-reference.json (the WhiteStripe runs) and
# tests/reference/intensity/r-pretty-hist-reference.json (pretty() and hist() on their own).
#
# Inputs (none is stored as voxels except the existing Colin27 fixture):
# - ch2bet-stride2.u8.gz: the stride-2 Colin27 brain (make-whitestripe-reference.py), uint8,
#   91 x 109 x 91, and transforms of it computed here and in the test the same way
#   (x * 2.7 + 100 in doubles; float32(x * 0.37 - 5), float32 rounding by writeBin(size = 4),
#   which is Math.fround; a T2-like inversion);
# - synthetic 60 x 60 x 30 "brains" from a Park-Miller generator (state <- state * 16807 mod
#   2^31 - 1, u = state / (2^31 - 1); approximately normal z = u1 + ... + u12 - 6, summed left to
#   right in doubles): every step is exact or a single IEEE operation, so the TypeScript test
#   regenerates the same voxels bit for bit (it checks samples and the mean recorded here).
# Masks are passed the package's way: the masked voxels as an "img_voi" (whitestripe then
# histograms them as they are, and the stripe is taken among them).

suppressMessages(library(mgcv))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))

## ---- The package's functions -------------------------------------------------------------

make_img_voi <- function(img, slices = 80:120, na.rm = TRUE) {
  if (inherits(img, "img_voi")) return(img)
  img <- as(img, "array")
  if (!all(slices %in% seq(dim(img)[3]))) stop("Cannot subset image slices")
  img.voi <- img[, , slices]
  mn <- mean(img, na.rm = na.rm)
  img.voi <- img.voi[img.voi > mn]
  if (na.rm) img.voi <- img.voi[!is.na(img.voi)]
  class(img.voi) <- "img_voi"
  img.voi
}

smooth_hist <- function(x, y, deg = 4, k = floor(min(250, length(x) / 2)), method = "REML") {
  stopifnot(deg > 0)
  keep <- which(y != -Inf)
  x <- x[keep]
  y <- y[keep]
  qtiles <- seq(0, 1, length = k + 2)[-c(1, k + 2)]
  knots <- quantile(x, qtiles)
  phi <- cbind(sapply(0:deg, function(k) x^k),
               sapply(knots, function(k) ((x - k > 0) * (x - k)^deg)))
  X <- phi
  D <- list(length = 1)
  D[[1]] <- diag(c(rep(0, deg + 1), rep(1, k)))
  fit <- gam(y ~ X - 1, paraPen = list(X = D), method = method)
  coefs <- fit$coef
  list(x = x, y = y, coefs = coefs, fitted.vals = phi %*% coefs, fit = fit, knots = knots, deg = deg)
}

get.deriv.smooth.hist <- function(x, coefs, knots, deg = 4, deriv.deg = 1) {
  deriv.coefs <- coefs[2:length(coefs)] * c(1:deg, rep(deg, length(knots)))
  deriv.phi <- cbind(sapply(0:(deg - 1), function(k) x^k),
                     sapply(knots, function(k) ((x - k > 0) * (x - k)^(deg - 1))))
  if (deriv.deg > 1) {
    return(get.deriv.smooth.hist(x, coefs = deriv.coefs, deg = deg - 1, knots = knots, deriv.deg = deriv.deg - 1))
  }
  deriv.phi %*% deriv.coefs
}

# get.last.mode / get.largest.mode: the peak, plus the smooth they computed it from.
get.mode <- function(x, y, last, rare.prop = 1 / 5, remove.tail = TRUE) {
  if (last && remove.tail) {
    which.rare <- y < (rare.prop * max(y))
    y <- y[!which.rare]
    x <- x[!which.rare]
  }
  smooth1 <- smooth_hist(x, y)
  dy <- get.deriv.smooth.hist(x, coefs = smooth1$coefs, knots = smooth1$knots, deg = smooth1$deg, deriv.deg = 1)
  which.zero.crossing <- which((dy[1:(length(x) - 1)] > 0) > (dy[2:(length(x))] > 0))
  peak <- if (last) max(x[which.zero.crossing]) else x[which.zero.crossing[which.max(y[which.zero.crossing])]]
  list(peak = peak, x = x, y = y, smooth = smooth1, dy = as.vector(dy), crossings = which.zero.crossing)
}

whitestripe <- function(img, type = c("T1", "T2", "last", "largest"), breaks = 2000,
                        whitestripe.width = 0.05, whitestripe.width.l = whitestripe.width,
                        whitestripe.width.u = whitestripe.width, stripped = FALSE, slices = NULL) {
  if (stripped) {
    img.voi <- img[img > 0]
  } else {
    if (is.null(slices) && !inherits(img, "img_voi")) slices <- seq(dim(as(img, "array"))[3])
    img.voi <- make_img_voi(img, slices = slices)
  }
  img.hist <- hist(img.voi, breaks = breaks, plot = FALSE)
  y.in <- img.hist$counts
  x.in <- img.hist$mids
  x.in <- x.in[!is.na(y.in)]
  y.in <- y.in[!is.na(y.in)]
  type <- match.arg(type)
  m <- get.mode(x.in, y.in, last = type %in% c("T1", "last"))
  img.mode <- m$peak
  img.mode.q <- mean(img.voi < img.mode)
  whitestripe <- quantile(img.voi, probs = c(max(img.mode.q - whitestripe.width.l, 0),
                                             min(img.mode.q + whitestripe.width.u, 1)), na.rm = TRUE)
  whitestripe.ind <- which((img > whitestripe[1]) & (img < whitestripe[2]))
  err <- FALSE
  if (length(whitestripe.ind) == 0) {
    warning("Length of White Stripe is 0, using whole brain normalization")
    whitestripe.ind <- which(img > mean(img))
    err <- TRUE
  }
  list(whitestripe.ind = whitestripe.ind, img.mode = img.mode, img.mode.q = img.mode.q,
       whitestripe = whitestripe, err = err, hist = img.hist, mode = m, voi.n = length(img.voi))
}

whitestripe_norm <- function(img, indices) {
  mu <- mean(img[indices])
  sig <- sd(img[indices])
  list(normalized = (img - mu) / sig, mu = mu, sig = sig)
}

## ---- JSON (no jsonlite here) ---------------------------------------------------------------

num <- function(v) {
  v <- as.numeric(v)
  s <- ifelse(is.finite(v), sprintf("%.17g", v), "null")
  if (length(v) == 1) s else paste0("[", paste(s, collapse = ","), "]")
}
num12 <- function(v) paste0("[", paste(ifelse(is.finite(v), sprintf("%.12g", v), "null"), collapse = ","), "]")
int <- function(v) paste0("[", paste(sprintf("%d", as.integer(v)), collapse = ","), "]")
# Counts: dense, or {bins, counts} of the non-empty bins when most are empty.
counts <- function(v) {
  nz <- which(v > 0)
  if (length(nz) * 3 > length(v)) return(int(v))
  obj(n = sprintf("%d", length(v)), bins = int(nz - 1), counts = int(v[nz]))
}
str <- function(s) paste0('"', gsub('"', '\\\\"', s), '"')
obj <- function(...) {
  f <- list(...)
  paste0("{", paste(sprintf('"%s":%s', names(f), unlist(f)), collapse = ","), "}")
}
arr <- function(items) paste0("[", paste(items, collapse = ",\n"), "]")

## ---- Inputs --------------------------------------------------------------------------------

dims <- c(91L, 109L, 91L)
con <- gzfile(file.path(here, "ch2bet-stride2.u8.gz"), "rb")
ch2 <- array(as.integer(readBin(con, "raw", prod(dims))), dim = dims)
close(con)
float32 <- function(v) {
  out <- readBin(writeBin(as.numeric(v), raw(), size = 4), "double", size = 4, n = length(v))
  dim(out) <- dim(v)
  out
}

# Park-Miller "minimal standard" generator, reproducible bit for bit in TypeScript.
lcg_state <- 0
lcg_seed <- function(s) lcg_state <<- s
lcg_uniform <- function(n) {
  out <- numeric(n)
  s <- lcg_state
  for (i in seq_len(n)) {
    s <- (s * 16807) %% 2147483647
    out[i] <- s / 2147483647
  }
  lcg_state <<- s
  out
}
# Per voxel: one uniform for the class, then 12 for z (voxel after voxel).
synthetic <- function(seed, nvox, classes) {
  lcg_seed(seed)
  u <- matrix(lcg_uniform(13 * nvox), nrow = 13)
  z <- u[2, ]
  for (j in 3:13) z <- z + u[j, ]
  z <- z - 6
  cls <- floor(u[1, ] * 100)
  v <- numeric(nvox)
  for (cl in classes) {
    sel <- cls >= cl$from & cls < cl$to
    v[sel] <- if (cl$abs) cl$sd * abs(z[sel]) else cl$mean + cl$sd * z[sel]
  }
  v
}
sdims <- c(60L, 60L, 30L)
nsyn <- prod(sdims)
t1syn <- array(synthetic(20240601, nsyn, list(
  list(from = 0, to = 35, mean = 0, sd = 8, abs = TRUE),       # background
  list(from = 35, to = 47, mean = 300, sd = 40, abs = FALSE),  # CSF
  list(from = 47, to = 75, mean = 620, sd = 45, abs = FALSE),  # grey matter
  list(from = 75, to = 100, mean = 850, sd = 38, abs = FALSE)  # white matter
)), dim = sdims)
t1strip <- t1syn * (t1syn > 50)  # "skull-stripped": background (<= 48) to 0, tissue (>= 60) kept
t2syn <- array(pmax(floor(synthetic(777, nsyn, list(
  list(from = 0, to = 30, mean = 0, sd = 0, abs = TRUE),       # background, 0 (stripped)
  list(from = 30, to = 62, mean = 900, sd = 60, abs = FALSE),  # white matter (dark, largest)
  list(from = 62, to = 88, mean = 1300, sd = 80, abs = FALSE), # grey matter
  list(from = 88, to = 100, mean = 2400, sd = 150, abs = FALSE) # CSF (bright)
)) + 0.5), 0), dim = sdims)  # integer grey levels, as int16 scans
# Masks by voxel index (0-based i, x fastest), reproducible in the test.
idx <- array(0:(prod(dims) - 1), dim = dims)
zslab <- (idx %/% (dims[1] * dims[2])) >= 20 & (idx %/% (dims[1] * dims[2])) < 70
ch2mask <- ch2 > 0 & zslab
sidx <- 0:(nsyn - 1)
t2mask <- t2syn > 0 & (sidx %% 10) < 7

as_voi <- function(v) {
  class(v) <- "img_voi"
  v
}

cases <- list(
  list(name = "ch2bet T1 (voxels above the mean)", input = "ch2bet", img = ch2, type = "T1", stripped = FALSE),
  list(name = "ch2bet T1 stripped", input = "ch2bet", img = ch2, type = "T1", stripped = TRUE),
  list(name = "ch2bet T1 width 0.1", input = "ch2bet", img = ch2, type = "T1", stripped = FALSE, width = 0.1),
  list(name = "ch2bet T1 mask (brain, slices 20-69)", input = "ch2bet", mask = "ch2bet-slab", img = as_voi(ch2[ch2mask]), type = "T1", stripped = FALSE),
  list(name = "ch2bet T2 (largest peak) stripped", input = "ch2bet", img = ch2, type = "T2", stripped = TRUE),
  list(name = "ch2bet x 2.7 + 100 (float64) T1", input = "ch2bet*2.7+100", img = ch2 * 2.7 + 100, type = "T1", stripped = FALSE),
  list(name = "ch2bet float32(x 0.37 - 5) T1 stripped", input = "f32(ch2bet*0.37-5)", img = float32(ch2 * 0.37 - 5), type = "T1", stripped = TRUE),
  list(name = "ch2bet inverted (T2-like) largest, stripped", input = "ch2bet-inverted", img = array(ifelse(ch2 > 0, 280 - ch2, 0), dim = dims), type = "T2", stripped = TRUE),
  list(name = "synthetic T1 float64 (voxels above the mean)", input = "synthetic-t1", img = t1syn, type = "T1", stripped = FALSE),
  list(name = "synthetic T1 float64 width 0.02 / 0.08", input = "synthetic-t1", img = t1syn, type = "T1", stripped = FALSE, widthL = 0.02, widthU = 0.08),
  list(name = "synthetic T1 float64 stripped", input = "synthetic-t1-stripped", img = t1strip, type = "T1", stripped = TRUE),
  list(name = "synthetic T1 float32 x 0.001 stripped", input = "f32(synthetic-t1-stripped*0.001)", img = float32(t1strip * 0.001), type = "T1", stripped = TRUE),
  list(name = "synthetic T2 integer stripped (largest)", input = "synthetic-t2", img = t2syn, type = "T2", stripped = TRUE),
  list(name = "synthetic T2 integer mask (largest)", input = "synthetic-t2", mask = "synthetic-t2-70pct", img = as_voi(t2syn[t2mask]), type = "T2", stripped = FALSE),
  list(name = "synthetic T2 integer, T1 rule (last)", input = "synthetic-t2", img = t2syn, type = "T1", stripped = TRUE)
)

## ---- Runs ----------------------------------------------------------------------------------

signs <- function(d) paste(ifelse(d > 0, "+", "-"), collapse = "")
out <- character(0)
for (cs in cases) {
  wl <- if (!is.null(cs$widthL)) cs$widthL else if (!is.null(cs$width)) cs$width else 0.05
  wu <- if (!is.null(cs$widthU)) cs$widthU else if (!is.null(cs$width)) cs$width else 0.05
  t0 <- proc.time()[["elapsed"]]
  ws <- whitestripe(cs$img, type = cs$type, breaks = 2000, whitestripe.width.l = wl, whitestripe.width.u = wu,
                    stripped = cs$stripped)
  norm <- whitestripe_norm(cs$img, ws$whitestripe.ind)
  elapsed <- proc.time()[["elapsed"]] - t0
  h <- ws$hist
  m <- ws$mode
  nb <- length(h$breaks)
  # R's breaks are seq.int's l + i * (u - l) / n with the last one u (checked here, so the fixture
  # can hold the ends and samples instead of all ~2000 values).
  l <- h$breaks[1]
  u <- h$breaks[nb]
  by <- (u - l) / (nb - 1)
  formula <- c(l, l + (1:(nb - 2)) * by, u)
  zap <- abs(formula) < 1e-14 * (u / (nb - 1) - l / (nb - 1))
  formula[zap] <- 0
  stopifnot(length(formula) == nb, all(formula == h$breaks))  # (integer-valued breaks come as integers)
  mid <- nb %/% 2
  sample <- unique(c(1:3, (mid - 1):(mid + 1), (nb - 2):nb))
  # Smooth: its sign pattern at every fitted bin, and values at every 16th bin and around each peak.
  nx <- length(m$x)
  at <- sort(unique(c(seq(1, nx, by = 16), nx, unlist(lapply(m$crossings, function(i) max(1, i - 3):min(nx, i + 4))))))
  sm <- m$smooth
  cat(sprintf("%-48s %5d bins (step %g), %4d fitted, log sp %8.4f, mode %.6g, stripe (%.6g, %.6g), %d voxels, %.1f s\n",
              cs$name, nb - 1, by, nx, log(sm$fit$sp), ws$img.mode, ws$whitestripe[1], ws$whitestripe[2],
              length(ws$whitestripe.ind), elapsed))
  out <- c(out, obj(
    name = str(cs$name), input = str(cs$input), mask = if (is.null(cs$mask)) "null" else str(cs$mask),
    type = str(cs$type), stripped = if (cs$stripped) "true" else "false", widthLower = num(wl), widthUpper = num(wu),
    voiCount = sprintf("%d", ws$voi.n),
    hist = obj(nBreaks = sprintf("%d", nb), first = num(l), last = num(u),
               sampleIndex = int(sample - 1), sampleBreaks = num(h$breaks[sample]), counts = counts(h$counts)),
    smooth = obj(nFitted = sprintf("%d", nx), firstMid = num(m$x[1]), lastMid = num(m$x[nx]),
                 logSp = num(log(sm$fit$sp)), sp = num(sm$fit$sp), nKnots = sprintf("%d", length(sm$knots)),
                 knotsHead = num(head(sm$knots, 3)), knotsTail = num(tail(sm$knots, 3)),
                 dySigns = str(signs(m$dy)), crossings = int(m$crossings - 1),
                 sampleIndex = int(at - 1), fitted = num12(sm$fitted.vals[at]), dy = num12(m$dy[at]),
                 maxAbsFitted = num(max(abs(sm$fitted.vals))), maxAbsDy = num(max(abs(m$dy))),
                 reml = num(sm$fit$gcv.ubre), converged = str(sm$fit$outer.info$conv)),
    mode = num(ws$img.mode), modeQuantile = num(ws$img.mode.q), stripeRange = num(ws$whitestripe),
    stripeVoxels = sprintf("%d", length(ws$whitestripe.ind)), err = if (ws$err) "true" else "false",
    mean = num(norm$mu), sd = num(norm$sig),
    normalizedSample = num(norm$normalized[c(1, 1000, 50000, 100000)])
  ))
}

inputs <- obj(
  `ch2bet-mean` = num(mean(ch2)),
  `synthetic-t1` = obj(dims = int(sdims), seed = "20240601", sample = num(t1syn[c(1, 2, 3, 1000, 54321, nsyn)]),
                       mean = num(mean(t1syn)), sd = num(sd(t1syn))),
  `synthetic-t1-stripped` = obj(mean = num(mean(t1strip)), positive = sprintf("%d", sum(t1strip > 0))),
  `synthetic-t2` = obj(dims = int(sdims), seed = "777", sample = num(t2syn[c(1, 2, 3, 1000, 54321, nsyn)]),
                       mean = num(mean(t2syn)), sd = num(sd(t2syn)), maskVoxels = sprintf("%d", sum(t2mask))),
  `ch2bet-slab` = obj(maskVoxels = sprintf("%d", sum(ch2mask)))
)
writeLines(paste0('{"generator":', str(paste0("make-whitestripe-r-reference.R, ", R.version.string, ", mgcv ", packageVersion("mgcv"))),
                  ',\n"inputs":', inputs, ',\n"cases":', arr(out), "}"),
           file.path(here, "whitestripe-r-reference.json"))

## ---- pretty() and hist() on their own ------------------------------------------------------

set.seed(42)
pcases <- character(0)
ranges <- list(c(0, 1), c(0, 255), c(22, 129), c(1, 255), c(-5, 89.35), c(0, 2000), c(0, 200), c(0, 20),
               c(100, 100 + 255 * 2.7), c(-1, 1), c(-0.001, 0.0015), c(1e-9, 3e-9), c(123456, 123457),
               c(0, 4095), c(-1024, 3071), c(0.5, 0.5000001), c(3, 3), c(0, 0), c(-7, 0), c(1e6, 5e7))
for (i in 1:40) {
  mag <- 10^runif(1, -6, 6)
  lo <- round(rnorm(1) * mag, sample(0:8, 1))
  up <- lo + abs(rexp(1)) * mag * 10^runif(1, -3, 1)
  ranges[[length(ranges) + 1]] <- c(lo, up)
}
for (r in ranges) {
  for (n in c(2000, 100, 7)) {
    for (min.n in unique(c(1, if (n < 10) n %/% 3))) {
      b <- pretty(r, n = n, min.n = min.n)
      nb <- length(b)
      sample <- if (nb <= 12) seq_len(nb) else unique(c(1:2, nb %/% 2 + 0:1, nb - 1, nb))
      pcases <- c(pcases, obj(lo = num(r[1]), up = num(r[2]), n = sprintf("%d", n), minN = sprintf("%d", min.n),
                              nBreaks = sprintf("%d", nb), sampleIndex = int(sample - 1), sampleBreaks = num(b[sample])))
    }
  }
}
# hist(): values on breaks (right-closed bins, the lowest value in the first bin, fuzz).
hcases <- character(0)
hinputs <- list(0:10, c(0, 0, 0.5, 1, 1, 1, 2, 2.5, 3, 10), seq(0, 1, by = 0.1), c(22:129, 22:129 + 0.05),
                (0:400) * 0.05, c(-3, -2, -2, -1, 0, 0, 0, 1, 2, 2, 3), c(1, 1.0000001, 1.0000002, 2, 3),
                float32((0:300) * 0.37 - 5), (0:300) * 2.7 + 100, round(rnorm(200, 100, 20)))
for (x in hinputs) {
  runs <- character(0)
  for (breaks in c(2000, 10, 4, 2)) {
    h <- hist(x, breaks = breaks, plot = FALSE)
    runs <- c(runs, obj(breaks = sprintf("%d", breaks), nBreaks = sprintf("%d", length(h$breaks)),
                        first = num(h$breaks[1]), last = num(h$breaks[length(h$breaks)]),
                        nonzero = int(which(h$counts > 0) - 1), counts = int(h$counts[h$counts > 0])))
  }
  hcases <- c(hcases, obj(x = num(sort(x)), runs = arr(runs)))
}
writeLines(paste0('{"generator":', str(paste0("make-whitestripe-r-reference.R, ", R.version.string)),
                  ',\n"pretty":', arr(pcases), ',\n"hist":', arr(hcases), "}"),
           file.path(here, "r-pretty-hist-reference.json"))

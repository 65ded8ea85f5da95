/**
 * Synthetic thorax CT phantom (NOT a patient): a deterministic, seeded generator of a 72-slice
 * axial CT series (512×512, 0.7 mm pixels, 2.5 mm slices) written as DICOM CT Image Storage files.
 *
 * Why synthetic: no real multi-slice chest CT can be redistributed with the primer, but the
 * chapters need one (windowing, HU thresholds, lung/metal segmentation, resampling, slice sorting).
 *
 * Run: `npx tsx scripts/make-thorax-phantom.ts [outDir] [--if-stale]` (default
 *      public/data/ct-thorax-phantom/; --if-stale skips the work when the folder was written by
 *      this exact generator source, recorded in outDir/.generator-sha256).
 *      `npx tsx scripts/make-thorax-phantom.ts --bad-nifti <file.nii.gz>` writes the malformed
 *      NIfTI used by the "bad input" examples.
 *
 * Everything derives from one mulberry32 seed and fixed UID roots, so the output is byte-identical
 * on every run. Each slice has its own noise stream, so rendering a subset gives the same bytes.
 *
 * Patient coordinates are DICOM LPS, head-first supine: +x = patient left (image right),
 * +y = posterior (image bottom), +z = head. Files are numbered in acquisition order (head to feet),
 * so file order is the reverse of increasing z: readers must sort by ImagePositionPatient.
 */
import { mulberry32 } from '../src/random'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { formatDS, writeDicomFile, type DicomElement } from './dicom-writer'
import { readDicomSeries } from '../src/io/dicom'
import { writeNifti } from '../src/io/nifti'
import type { Image } from '../src/image'

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

export const SEED = 20240917
const N = 512
const PIX = 0.7
const NZ = 72
const DZ = 2.5
const Z_TOP = -30
const Z_BOT = Z_TOP - DZ * (NZ - 1)
const X0 = -((N - 1) * PIX) / 2
const Y0 = X0
/** Sub-sample offsets through the 2.5 mm slab (partial-volume along z for tubes and nodules). */
const SUBZ = [-DZ / 3, 0, DZ / 3]

export const PHANTOM_GEOMETRY = {
  columns: N,
  rows: N,
  slices: NZ,
  pixelSpacing: PIX,
  sliceSpacing: DZ,
  sliceThickness: DZ,
  /** ImagePositionPatient x, y of every slice (centre of the first voxel). */
  origin: [X0, Y0],
  zTop: Z_TOP,
  zBottom: Z_BOT,
  rescaleIntercept: -1024,
  rescaleSlope: 1,
} as const

/** z of acquisition slice a (0 = most superior). */
const sliceZ = (a: number): number => Z_TOP - DZ * a
const zt = (t: number): number => Z_BOT + t * (Z_TOP - Z_BOT)
const tz = (z: number): number => (z - Z_BOT) / (Z_TOP - Z_BOT)
const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v)
function smooth(e0: number, e1: number, x: number): number {
  const u = clamp((x - e0) / (e1 - e0), 0, 1)
  return u * u * (3 - 2 * u)
}
/** Wrap an angle difference to [-π, π]. */
function wrap(a: number): number {
  while (a > Math.PI) a -= 2 * Math.PI
  while (a < -Math.PI) a += 2 * Math.PI
  return a
}
const bump = (d: number, w: number): number => {
  const u = wrap(d) / w
  return Math.exp(-0.5 * u * u)
}

type V3 = [number, number, number]
const add = (a: V3, b: V3): V3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
const scale = (a: V3, s: number): V3 => [a[0] * s, a[1] * s, a[2] * s]
const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const norm = (a: V3): V3 => scale(a, 1 / Math.hypot(a[0], a[1], a[2]))
/** Rodrigues rotation of v around unit axis k by angle a. */
function rotate(v: V3, k: V3, a: number): V3 {
  const c = Math.cos(a), s = Math.sin(a)
  return add(add(scale(v, c), scale(cross(k, v), s)), scale(k, dot(k, v) * (1 - c)))
}

// ---------------------------------------------------------------------------------------------
// Body wall, thoracic cavity, spine position (analytic, functions of z)
// ---------------------------------------------------------------------------------------------

/** Inner chest wall (pleural surface) as a superellipse radius along direction theta. */
function cavityR(theta: number, t: number): number {
  const s = smooth(0.45, 1.05, t)
  const A = 125 - 45 * s
  const B = Math.sin(theta) < 0 ? 72 - 14 * s : 80 - 10 * s
  const p = 2.4
  const c = Math.abs(Math.cos(theta)) / A
  const sn = Math.abs(Math.sin(theta)) / B
  return 1 / Math.pow(Math.pow(c, p) + Math.pow(sn, p), 1 / p)
}
const RIB_LAYER = 9
/** Chest-wall muscle thickness outside the rib layer (pectorals, scapular muscles, latissimus). */
function muscleThickness(theta: number, t: number): number {
  const up = smooth(0.4, 0.8, t)
  const H = Math.PI / 2
  return (
    3 +
    22 * bump(theta - H, 0.4) +
    up * 14 * (bump(theta + H + 0.75, 0.35) + bump(theta + H - 0.75, 0.35)) +
    up * 16 * (bump(theta - H - 0.8, 0.3) + bump(theta - H + 0.8, 0.3)) +
    5 * (bump(theta, 0.4) + bump(theta - Math.PI, 0.4))
  )
}
function fatThickness(theta: number, t: number): number {
  const c = Math.cos(theta)
  return 12 + 9 * c * c + 2.5 * Math.sin(2 * theta + 0.7) + 1.5 * Math.sin(3 * theta + 2.1) + 3 * (1 - t)
}
const SKIN = 2
/** Posterior body surface flattened on the mattress (supine patient). */
const Y_BACK = 118

function spineY(t: number): number {
  return 46 + 6 * (1 - 4 * (t - 0.5) * (t - 0.5))
}
function vbSemi(t: number): [number, number] {
  return [15 + 5 * (1 - t), 13 + 3 * (1 - t)]
}

/** Vertebral levels: centre z of each vertebral body (25 mm pitch), discs 5 mm between them. */
const LEVEL_PITCH = 25
const levelZ = (j: number): number => Z_TOP + 10 - LEVEL_PITCH * j
const DISC_HALF = 2.5

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

interface Seg {
  a: V3
  b: V3
  ra: number
  rb: number
  /** HU of each layer for this segment (outer layer first). */
  values: number[]
  /** Radius offset of each layer (0 = outer surface, negative = inner). */
  deltas: number[]
  /** Ignore z distance (planar 2D capsule drawn in the current slice only). */
  planar?: boolean
  /** Scale of z distances (< 1 makes the cross-section taller than wide, e.g. ribs). */
  zScale?: number
}
interface Chain {
  name: string
  segs: Seg[]
  /** Mediastinal: excludes lung (with this margin in mm) for lung mask / tree growth. */
  medMargin?: number
}

/** Signed distance to a tapered capsule (approximate: radius interpolated at the projection). */
function segSdf(s: Seg, x: number, y: number, z: number): number {
  const k = s.planar ? 0 : s.zScale ?? 1
  const bx = s.b[0] - s.a[0], by = s.b[1] - s.a[1], bz = (s.b[2] - s.a[2]) * k
  const px = x - s.a[0], py = y - s.a[1], pz = (z - s.a[2]) * k
  const L2 = bx * bx + by * by + bz * bz
  let h = L2 > 0 ? (px * bx + py * by + pz * bz) / L2 : 0
  h = h < 0 ? 0 : h > 1 ? 1 : h
  const dx = px - h * bx, dy = py - h * by, dz = pz - h * bz
  return Math.sqrt(dx * dx + dy * dy + dz * dz) - (s.ra + h * (s.rb - s.ra))
}
function chainSdf(c: Chain, x: number, y: number, z: number): number {
  let d = Infinity
  for (const s of c.segs) {
    const v = segSdf(s, x, y, z)
    if (v < d) d = v
  }
  return d
}
/** Polyline → segments with linearly varying radius and constant layer values. */
function polyline(pts: V3[], radii: number[], values: number[], deltas: number[] = [0]): Seg[] {
  const out: Seg[] = []
  for (let i = 0; i + 1 < pts.length; i++) {
    out.push({ a: pts[i]!, b: pts[i + 1]!, ra: radii[i]!, rb: radii[i + 1]!, values, deltas })
  }
  return out
}

interface Ellipsoid {
  c: V3
  /** Semi-axes: in-plane a (along rot), b (perpendicular), z half-height c. */
  a: number
  b: number
  h: number
  rot: number
}
/** Approximate signed distance (radial) of an in-plane-rotated ellipsoid. */
function ellipsoidSdf(e: Ellipsoid, x: number, y: number, z: number, grow = 0): number {
  const co = Math.cos(e.rot), si = Math.sin(e.rot)
  const dx = x - e.c[0], dy = y - e.c[1], dz = z - e.c[2]
  const u = dx * co + dy * si, v = -dx * si + dy * co
  const a = e.a + grow, b = e.b + grow, h = e.h + grow
  const q = Math.sqrt((u / a) ** 2 + (v / b) ** 2 + (dz / h) ** 2)
  const r = Math.sqrt(u * u + v * v + dz * dz)
  return q > 1e-9 ? r * (1 - 1 / q) : -Math.min(a, b, h)
}

// ---------------------------------------------------------------------------------------------
// Anatomy definition
// ---------------------------------------------------------------------------------------------

export interface Nodule {
  name: string
  kind: 'solid' | 'part-solid'
  center: V3
  /** Diameter in mm (outer, for the part-solid one the ground-glass extent). */
  diameter: number
  hu: number
  coreDiameter?: number
  coreHu?: number
  lobe: string
}

export const HU = {
  air: -1000,
  fat: -100,
  mediastinalFat: -95,
  skin: 20,
  muscle: 45,
  lung: -850,
  vesselSmall: 40,
  liver: 62,
  spleen: 52,
  heartMuscle: 40,
  lvBlood: 300,
  laBlood: 280,
  rvBlood: 200,
  raBlood: 190,
  aorta: 300,
  pulmonaryArtery: 250,
  vein: 200,
  cancellous: 250,
  cortical: 800,
  ribCortex: 900,
  ribMarrow: 280,
  cartilage: 130,
  disc: 85,
  csf: 8,
  cord: 35,
  metal: 5000,
  tableShell: 250,
  tableCore: -950,
  mattress: -700,
} as const

const H_HEART: Ellipsoid = { c: [12, -12, zt(0.28)], a: 62, b: 46, h: 45, rot: -0.75 }
const H_LA: Ellipsoid = { c: [0, 8, zt(0.45)], a: 30, b: 16, h: 20, rot: 0 }
const H_RA: Ellipsoid = { c: [-36, -2, zt(0.3)], a: 24, b: 26, h: 32, rot: 0.3 }
function heartLocal(du: number, dv: number, dz: number, a: number, b: number, h: number): Ellipsoid {
  const co = Math.cos(H_HEART.rot), si = Math.sin(H_HEART.rot)
  return {
    c: [H_HEART.c[0] + du * co - dv * si, H_HEART.c[1] + du * si + dv * co, H_HEART.c[2] + dz],
    a, b, h, rot: H_HEART.rot,
  }
}
const H_LV = heartLocal(8, 16, -3, 40, 20, 30)
const H_RV = heartLocal(-4, -22, -3, 42, 20, 31)

const LYMPH_NODES: Ellipsoid[] = [
  { c: [2, 22, zt(0.6)], a: 8, b: 5, h: 6, rot: 0.2 }, // subcarinal
  { c: [-16, -2, zt(0.78)], a: 6, b: 4, h: 5, rot: 0.8 }, // right paratracheal
  { c: [-2, -46, zt(0.74)], a: 7, b: 3.5, h: 5, rot: 0.1 }, // prevascular
  { c: [-8, -10, zt(0.7)], a: 5, b: 3.5, h: 4, rot: -0.4 }, // aortopulmonary / pretracheal
]

/** Diaphragm domes: below them (for z) lies the abdomen (liver right, stomach/spleen left). */
interface Dome { cx: number; cy: number; rx: number; ry: number; zd: number; hgt: number }
const DOME_R: Dome = { cx: -55, cy: 0, rx: 90, ry: 78, zd: zt(0.25), hgt: zt(0.25) - zt(-0.05) }
const DOME_L: Dome = { cx: 55, cy: 0, rx: 86, ry: 74, zd: zt(0.2), hgt: zt(0.2) - zt(-0.08) }
/** Signed distance (radial approx, in-plane) to the region under a dome; +∞ above it. */
function domeSdf(d: Dome, x: number, y: number, z: number): number {
  const k = (d.zd - z) / d.hgt
  if (k <= 0) return 1e9
  const rho = Math.sqrt(k)
  const dx = x - d.cx, dy = y - d.cy
  const q = Math.sqrt((dx / d.rx) ** 2 + (dy / d.ry) ** 2)
  const r = Math.hypot(dx, dy)
  return q > 1e-9 ? r * (1 - rho / q) : -rho * Math.min(d.rx, d.ry)
}
/** Lung apices: lungs confined to a circle that shrinks toward the top of the scan. */
function apexSdf(side: -1 | 1, x: number, y: number, z: number): number {
  const k = (zt(1.03) - z) / (zt(1.03) - Z_BOT)
  const rho = 140 * Math.sqrt(Math.max(k, 0))
  return Math.hypot(x - side * 48, y - 18) - rho
}

/** Major fissure: the plane y = fissureY(x, z) (runs posterior-superior to anterior-inferior). */
const FISSURE_K = 0.885
function fissureY(x: number, z: number): number {
  return 5 + FISSURE_K * (z - zt(0.45)) + (x < 2 ? -1 : 1) * 0.1 * x
}

/**
 * The lung point nearest to (x0, y0) on slice plane z that is ≥ 8 mm inside the lung and ≥ 4 mm
 * from every vessel, airway and the fissure: a clean parenchyma sample for probes.
 */
function clearLungPoint(an: Anatomy, x0: number, y0: number, z: number): V3 {
  const trees = [...an.trees.arteries, ...an.trees.veins, ...an.trees.airways]
  for (let ring = 0; ring < 40; ring++) {
    const n = Math.max(1, ring * 6)
    for (let q = 0; q < n; q++) {
      const a = (2 * Math.PI * q) / n
      const x = x0 + ring * 1.4 * Math.cos(a), y = y0 + ring * 1.4 * Math.sin(a)
      if (lungSdfAt(an, x, y, z) > -8 || Math.abs(y - fissureY(x, z)) < 4) continue
      if (trees.every((c) => chainSdf(c, x, y, z) > 4)) return [x, y, z]
    }
  }
  throw new Error(`phantom: no clear lung point near (${x0}, ${y0}, ${z})`)
}

/** Lung parenchyma HU: a gentle anterior→posterior (non-dependent→dependent) gradient. */
export function lungBaseHU(y: number): number {
  return HU.lung - 25 + 55 * clamp((y + 80) / 170, 0, 1)
}

function cavitySdf(x: number, y: number, t: number): number {
  const r = Math.hypot(x, y)
  return r - cavityR(Math.atan2(y, x), t)
}

/** The spine block (vertebral body + posterior paravertebral region) as seen by the lungs. */
function spineBlockSdf(x: number, y: number, t: number): number {
  const yv = spineY(t)
  const [a, b] = vbSemi(t)
  const dx = x, dy = y - yv
  const q = Math.sqrt((dx / (a + 3)) ** 2 + (dy / (b + 3)) ** 2)
  const r = Math.hypot(dx, dy)
  const dBody = q > 1e-9 ? r * (1 - 1 / q) : -a
  const dBlock = Math.max(Math.abs(x) - (a + 2), yv - y)
  return Math.min(dBody, dBlock)
}

export interface Anatomy {
  chains: Chain[]
  medChains: Chain[]
  ribs: Chain[]
  trees: { airways: Chain[]; arteries: Chain[]; veins: Chain[] }
  metal: Chain[]
  nodules: Nodule[]
  screwLevels: number[]
}

function mediastinumSdf(an: Anatomy, x: number, y: number, z: number): number {
  const t = tz(z)
  let d = Math.abs(x - 2) - 5
  d = Math.min(d, spineBlockSdf(x, y, t))
  d = Math.min(d, ellipsoidSdf(H_HEART, x, y, z, 5))
  d = Math.min(d, ellipsoidSdf(H_LA, x, y, z, 5))
  d = Math.min(d, ellipsoidSdf(H_RA, x, y, z, 5))
  for (const c of an.medChains) {
    const m = c.medMargin ?? 3
    const v = chainSdf(c, x, y, z) - m
    if (v < d) d = v
  }
  return d
}

/** Pointwise lung signed distance (negative inside either lung). */
export function lungSdfAt(an: Anatomy, x: number, y: number, z: number): number {
  const t = tz(z)
  const side: -1 | 1 = x < 2 ? -1 : 1
  let d = cavitySdf(x, y, t) + 1.5
  d = Math.max(d, -mediastinumSdf(an, x, y, z))
  d = Math.max(d, -domeSdf(DOME_R, x, y, z) + 1.5, -domeSdf(DOME_L, x, y, z) + 1.5)
  d = Math.max(d, apexSdf(side, x, y, z))
  return d
}

function buildMediastinum(): Chain[] {
  const T = (t: number) => zt(t)
  const aorta: Chain = {
    name: 'aorta',
    medMargin: 3,
    segs: polyline(
      [
        [-2, -6, T(0.4)], [-16, -24, T(0.55)], [-18, -29, T(0.7)], [-8, -28, T(0.78)], [6, -12, T(0.805)],
        [20, 12, T(0.785)], [28, 28, T(0.72)], [30, 34, T(0.6)], [28, 34, T(0.3)], [20, 30, T(0.05)], [14, 26, T(-0.1)],
      ],
      [13, 15.5, 16, 15, 14, 13.5, 13, 12.5, 12, 11.5, 11],
      [HU.aorta],
    ),
  }
  const branches: Chain = {
    name: 'arch-branches',
    medMargin: 3,
    segs: [
      ...polyline([[-6, -22, T(0.79)], [-14, -18, T(0.92)], [-18, -14, T(1.1)]], [7, 6.5, 6], [HU.aorta]),
      ...polyline([[4, -14, T(0.8)], [8, -10, T(0.95)], [10, -8, T(1.1)]], [4.5, 4.2, 4], [HU.aorta]),
      ...polyline([[17, 4, T(0.79)], [24, 6, T(0.92)], [30, 8, T(1.1)]], [5.5, 5.2, 5], [HU.aorta]),
    ],
  }
  const svc: Chain = {
    name: 'svc',
    medMargin: 3,
    segs: [
      ...polyline([[-40, -8, T(0.42)], [-42, -14, T(0.6)], [-40, -18, T(0.78)]], [10, 10, 9], [HU.vein]),
      ...polyline([[-40, -18, T(0.78)], [-42, -16, T(0.92)], [-44, -12, T(1.1)]], [9, 8, 8], [HU.vein]),
      ...polyline([[-38, -22, T(0.8)], [0, -32, T(0.83)], [35, -22, T(0.86)], [48, -12, T(0.95)], [54, -8, T(1.1)]], [7, 6.5, 6.5, 6.5, 6.5], [HU.vein]),
    ],
  }
  const pa: Chain = {
    name: 'pulmonary-arteries',
    medMargin: 2,
    segs: [
      ...polyline([[10, -38, T(0.47)], [20, -32, T(0.56)], [12, -14, T(0.605)]], [13, 14, 13], [HU.pulmonaryArtery]),
      ...polyline([[12, -14, T(0.605)], [-12, 4, T(0.6)], [-36, 2, T(0.59)], [-46, 2, T(0.585)]], [11, 10.5, 9, 8], [HU.pulmonaryArtery]),
      ...polyline([[12, -14, T(0.605)], [30, -4, T(0.64)], [40, 6, T(0.65)], [48, 14, T(0.63)]], [10, 9.5, 8.5, 8], [HU.pulmonaryArtery]),
    ],
  }
  const pv: Chain = {
    name: 'pulmonary-veins',
    medMargin: 2,
    segs: [
      ...polyline([[-10, 10, T(0.47)], [-40, 12, T(0.5)]], [7, 6.5], [HU.laBlood]),
      ...polyline([[-10, 16, T(0.42)], [-40, 24, T(0.42)]], [7, 6.5], [HU.laBlood]),
      ...polyline([[18, 10, T(0.48)], [42, 14, T(0.51)]], [7, 6.5], [HU.laBlood]),
      ...polyline([[18, 16, T(0.42)], [40, 28, T(0.43)]], [7, 6.5], [HU.laBlood]),
    ],
  }
  const ivc: Chain = {
    name: 'ivc',
    medMargin: 3,
    segs: polyline([[-22, 22, T(-0.1)], [-26, 14, T(0.15)], [-32, 4, T(0.26)]], [12, 12, 12], [140]),
  }
  const azygos: Chain = {
    name: 'azygos',
    medMargin: 2,
    segs: polyline([[-13, 40, T(-0.1)], [-14, 38, T(0.66)], [-20, 24, T(0.73)], [-36, -8, T(0.74)]], [4, 4.5, 5, 5], [130]),
  }
  const trachea: Chain = {
    name: 'trachea-bronchi',
    medMargin: 2,
    segs: [
      ...polyline([[0, 2, T(1.1)], [1, 6, T(0.8)], [2, 12, T(0.645)]], [9.5, 9.5, 9], [HU.muscle, HU.air], [0, -2.2]),
      ...polyline([[2, 12, T(0.645)], [-20, 16, T(0.62)], [-36, 20, T(0.595)]], [7.5, 7, 6.5], [HU.muscle, HU.air], [0, -1.8]),
      ...polyline([[2, 12, T(0.645)], [22, 20, T(0.625)], [36, 24, T(0.6)]], [7, 6.5, 6], [HU.muscle, HU.air], [0, -1.8]),
    ],
  }
  const esophagus: Chain = {
    name: 'esophagus',
    medMargin: 2,
    segs: [
      ...polyline([[6, 28, T(1.1)], [8, 30, T(0.64)], [10, 32, T(0.5)]], [7, 7, 7], [HU.muscle, HU.air], [0, -5.5]),
      ...polyline([[10, 32, T(0.5)], [8, 28, T(0.35)], [10, 12, T(0.05)], [24, 2, T(-0.1)]], [7, 7, 7.5, 8], [HU.muscle, HU.muscle], [0, -5.5]),
    ],
  }
  return [aorta, branches, svc, pa, pv, ivc, azygos, trachea, esophagus]
}

function buildRibs(): Chain[] {
  const ribs: Chain[] = []
  for (let j = 0; j <= 8; j++) {
    const zr = levelZ(j) + 5
    const t0 = tz(zr)
    const yv = spineY(clamp(t0, 0, 1))
    // Ribs slope down anteriorly: rib 1 a little, mid ribs by ~4 vertebral levels.
    const drop = Math.min(25 + 25 * j, 110)
    for (const side of [-1, 1] as const) {
      const pts: V3[] = [[side * 17, yv + 4, zr], [side * 32, yv + 28, zr - 1.5]]
      const radii = [3.6, 3.6]
      const phiStart = Math.atan2(yv + 30, 38)
      const phiEnd = -Math.PI / 2 + 0.3
      const M = 16
      const valuesPerSeg: number[][] = []
      for (let k = 1; k <= M; k++) {
        const s = k / M
        const phi = phiStart + (phiEnd - phiStart) * s
        const z = zr - 1.5 - drop * Math.pow(s, 1.4)
        const R = cavityR(phi, clamp(tz(z), -0.2, 1.2)) + 4.6
        pts.push([side * R * Math.cos(phi), R * Math.sin(phi), z])
        radii.push(s > 0.8 ? 3.8 : 3.4 - 0.3 * s)
      }
      const segs: Seg[] = []
      for (let i = 0; i + 1 < pts.length; i++) {
        const sMid = (i - 0.5) / M
        const cart = sMid > 0.8
        valuesPerSeg.push(cart ? [HU.cartilage, HU.cartilage] : [HU.ribCortex, HU.ribMarrow])
        segs.push({ a: pts[i]!, b: pts[i + 1]!, ra: radii[i]!, rb: radii[i + 1]!, values: valuesPerSeg[i]!, deltas: [0, -1.2], zScale: 0.55 })
      }
      ribs.push({ name: `rib-${j + 1}-${side < 0 ? 'R' : 'L'}`, segs })
    }
  }
  return ribs
}

/**
 * Space-colonization tree growth (Runions, Lane & Prusinkiewicz 2007): attractor points scattered
 * in the lung pull the nearest tree node (within `influence` mm) one `step` toward their mean
 * direction; attractors closer than `kill` to a node are consumed. Radii then follow Murray's law
 * from the leaves (r_parent^γ = Σ r_child^γ), so the trunk size emerges from the tree size.
 */
interface ColonizeOptions {
  rng: () => number
  side: -1 | 1
  attractors: number
  step: number
  influence: number
  kill: number
  leafRadius: number
  murray: number
}
interface Tree { pos: V3[]; parent: number[]; radius: number[] }
function colonize(an: Anatomy, roots: V3[], o: ColonizeOptions): Tree {
  const { rng, step, influence, kill } = o
  // Attractors: rejection sampling inside this lung.
  const att: V3[] = []
  const xr: [number, number] = o.side < 0 ? [-135, 0] : [0, 135]
  let tries = 0
  while (att.length < o.attractors && tries++ < o.attractors * 40) {
    const p: V3 = [xr[0] + (xr[1] - xr[0]) * rng(), -85 + 180 * rng(), Z_BOT - 10 + (Z_TOP - Z_BOT + 15) * rng()]
    if ((p[0] < 2 ? -1 : 1) !== o.side) continue
    if (lungSdfAt(an, p[0], p[1], p[2]) < -2) att.push(p)
  }
  const pos: V3[] = [...roots]
  const parent: number[] = roots.map(() => -1)
  const children: number[] = roots.map(() => 0)
  // Per-attractor nearest node (incrementally updated) and a spatial hash of attractors.
  const cell = influence
  const key = (p: V3) => `${Math.floor(p[0] / cell)},${Math.floor(p[1] / cell)},${Math.floor(p[2] / cell)}`
  const grid = new Map<string, number[]>()
  att.forEach((p, i) => {
    const k = key(p)
    const list = grid.get(k)
    if (list) list.push(i)
    else grid.set(k, [i])
  })
  const alive = new Uint8Array(att.length).fill(1)
  const nearest = new Int32Array(att.length).fill(-1)
  const nearD = new Float64Array(att.length).fill(Infinity)
  const near = (p: V3, f: (i: number) => void) => {
    const cx = Math.floor(p[0] / cell), cy = Math.floor(p[1] / cell), cz = Math.floor(p[2] / cell)
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (let dz = -1; dz <= 1; dz++) {
      const list = grid.get(`${cx + dx},${cy + dy},${cz + dz}`)
      if (list) for (const i of list) if (alive[i]) f(i)
    }
  }
  const register = (n: number) => {
    const p = pos[n]!
    near(p, (i) => {
      const a = att[i]!
      const d = Math.hypot(a[0] - p[0], a[1] - p[1], a[2] - p[2])
      if (d < kill) { alive[i] = 0; return }
      if (d < influence && d < nearD[i]!) { nearD[i] = d; nearest[i] = n }
    })
  }
  // Roots: start growing even if attractors are beyond the influence radius.
  for (let n = 0; n < roots.length; n++) register(n)
  for (let i = 0; i < att.length; i++) {
    if (nearest[i] === -1) {
      let best = -1, bd = Infinity
      roots.forEach((r, n) => { const d = Math.hypot(att[i]![0] - r[0], att[i]![1] - r[1], att[i]![2] - r[2]); if (d < bd) { bd = d; best = n } })
      if (bd < 3 * influence) { nearest[i] = best; nearD[i] = bd }
    }
  }
  for (let iter = 0; iter < 400; iter++) {
    const sum = new Map<number, V3>()
    for (let i = 0; i < att.length; i++) {
      if (!alive[i] || nearest[i] === -1) continue
      const n = nearest[i]!
      const p = pos[n]!, a = att[i]!
      const d = norm(sub(a, p))
      const s = sum.get(n)
      sum.set(n, s ? add(s, d) : d)
    }
    const added: number[] = []
    for (const [n, s] of [...sum.entries()].sort((x, y) => x[0] - y[0])) {
      if (children[n]! >= 3) continue
      const len = Math.hypot(...s)
      if (len < 1e-6) continue
      const jit: V3 = [rng() - 0.5, rng() - 0.5, rng() - 0.5]
      const dir = norm(add(scale(s, 1 / len), scale(jit, 0.05)))
      const p = add(pos[n]!, scale(dir, step))
      const rootDist = Math.min(...roots.map((r) => Math.hypot(p[0] - r[0], p[1] - r[1], p[2] - r[2])))
      if (rootDist > 22 && lungSdfAt(an, p[0], p[1], p[2]) > -0.6) continue
      pos.push(p)
      parent.push(n)
      children.push(0)
      children[n]!++
      added.push(pos.length - 1)
    }
    if (added.length === 0) break
    for (const n of added) register(n)
  }
  // Smooth the polylines (branch points and roots stay put) so vessels run straight-ish.
  const only = new Int32Array(pos.length).fill(-1)
  const nch = new Int32Array(pos.length)
  for (let n = 0; n < pos.length; n++) {
    const p = parent[n]!
    if (p >= 0) { nch[p]!++; only[p] = n }
  }
  for (let it = 0; it < 12; it++) {
    for (let n = 0; n < pos.length; n++) {
      const p = parent[n]!
      if (p < 0 || nch[n] !== 1) continue
      const c = only[n]!
      pos[n] = add(scale(pos[n]!, 0.5), scale(add(pos[p]!, pos[c]!), 0.25))
    }
  }
  // Murray's law radii from the leaves up (children always have larger indices than parents).
  const acc = new Float64Array(pos.length)
  for (let n = pos.length - 1; n >= 0; n--) {
    if (acc[n] === 0) acc[n] = Math.pow(o.leafRadius, o.murray)
    const p = parent[n]!
    if (p >= 0) acc[p] = acc[p]! + acc[n]!
  }
  const radius = Array.from(acc, (v) => Math.pow(v, 1 / o.murray))
  return { pos, parent, radius }
}

function treeSegs(tree: Tree, value: (r: number) => number[], deltas: (r: number) => number[], minR = 0): Seg[] {
  const segs: Seg[] = []
  for (let n = 0; n < tree.pos.length; n++) {
    const p = tree.parent[n]!
    if (p < 0 || tree.radius[n]! < minR) continue
    const r = tree.radius[n]!
    segs.push({ a: tree.pos[p]!, b: tree.pos[n]!, ra: Math.max(r, Math.min(tree.radius[p]!, r * 1.3)), rb: r, values: value(r), deltas: deltas(r) })
  }
  return segs
}

function vesselHu(r: number): number {
  return HU.vesselSmall + 200 * smooth(1.8, 5.5, r)
}

/** Nodules (world LPS mm). Positions are checked to lie inside the lung mask at build time. */
export const NODULES: Nodule[] = [
  { name: 'N1', kind: 'solid', center: [-68, -8, sliceZ(17)], diameter: 12, hu: 30, lobe: 'right upper lobe' },
  { name: 'N2', kind: 'solid', center: [78, 42, sliceZ(50)], diameter: 6, hu: 30, lobe: 'left lower lobe' },
  {
    name: 'N3', kind: 'part-solid', center: [-82, 30, sliceZ(38)], diameter: 15, hu: -500, coreDiameter: 5, coreHu: 30,
    lobe: 'right lower lobe',
  },
  { name: 'N4', kind: 'solid', center: [70, -30, sliceZ(24)], diameter: 4, hu: 30, lobe: 'left upper lobe' },
]

/** Posterior spinal instrumentation: bilateral pedicle screws at two levels joined by rods. */
const SCREW_LEVELS = [5, 6]
function buildMetal(): Chain[] {
  const out: Chain[] = []
  const heads: V3[][] = [[], []]
  for (const j of SCREW_LEVELS) {
    const z = levelZ(j)
    const yv = spineY(tz(z))
    for (const [k, side] of ([[0, -1], [1, 1]] as const)) {
      const entry: V3 = [side * 24, yv + 30, z]
      const tip: V3 = [side * 5, yv - 6, z]
      const dir = norm(sub(tip, entry))
      const tipIn = add(entry, scale(dir, 40))
      const head: V3 = add(entry, scale(dir, -6))
      out.push({
        name: `screw-L${j}-${side < 0 ? 'R' : 'L'}`,
        segs: [
          { a: entry, b: tipIn, ra: 3, rb: 2.2, values: [HU.metal], deltas: [0] },
          { a: head, b: entry, ra: 5.5, rb: 4.5, values: [HU.metal], deltas: [0] },
        ],
      })
      heads[k]!.push(head)
    }
  }
  for (const [k, side] of ([[0, -1], [1, 1]] as const)) {
    const [h0, h1] = heads[k] as [V3, V3]
    const top: V3 = [side * 25, h0[1] + 2, h0[2] + 8]
    const bottom: V3 = [side * 25, h1[1] + 2, h1[2] - 8]
    out.push({ name: `rod-${side < 0 ? 'R' : 'L'}`, segs: [{ a: top, b: bottom, ra: 2.75, rb: 2.75, values: [HU.metal], deltas: [0] }] })
  }
  return out
}

export function buildAnatomy(seed = SEED): Anatomy {
  const rng = mulberry32(seed)
  const medChains = buildMediastinum()
  const an: Anatomy = {
    chains: [],
    medChains,
    ribs: buildRibs(),
    trees: { airways: [], arteries: [], veins: [] },
    metal: buildMetal(),
    nodules: NODULES,
    screwLevels: SCREW_LEVELS,
  }
  // Pulmonary arteries (from the hilar end of each main PA) with the bronchi running alongside,
  // and pulmonary veins (from the left-atrial ostia), each grown by space colonization.
  const T = zt
  const sides: { side: -1 | 1; pa: V3; bronchus: V3; veins: V3[] }[] = [
    { side: -1, pa: [-46, 2, T(0.585)], bronchus: [-36, 20, T(0.595)], veins: [[-40, 12, T(0.5)], [-40, 24, T(0.42)]] },
    { side: 1, pa: [48, 14, T(0.63)], bronchus: [36, 24, T(0.6)], veins: [[42, 14, T(0.51)], [40, 28, T(0.43)]] },
  ]
  const colon = { step: 3.5, influence: 25, kill: 4.5, leafRadius: 0.45, murray: 2.5 }
  for (const s of sides) {
    const name = s.side < 0 ? 'R' : 'L'
    const art = colonize(an, [s.pa], { rng, side: s.side, attractors: 2400, ...colon })
    an.trees.arteries.push({ name: `arteries-${name}`, segs: treeSegs(art, (r) => [vesselHu(r)], () => [0]) })
    // Bronchi: follow arteries with r ≥ 1.3 mm, offset sideways by artery + bronchus radii.
    const off: V3[] = art.pos.map((p, n) => {
      const par = art.parent[n]!
      const dir = par >= 0 ? norm(sub(p, art.pos[par]!)) : ([s.side, 0, 0] as V3)
      let perp = cross(dir, [0, 0, 1])
      if (Math.hypot(...perp) < 0.3) perp = cross(dir, [0, 1, 0])
      perp = norm(perp)
      const r = art.radius[n]!
      const rOuter = 0.95 * r + 0.2 * r + 0.4
      return add(p, scale(perp, s.side * (r + rOuter + 0.6)))
    })
    const air: Seg[] = []
    const wall = (r: number) => 0.2 * r + 0.4
    for (let n = 0; n < art.pos.length; n++) {
      const par = art.parent[n]!
      const r = art.radius[n]! * 0.95
      if (par < 0 || r < 1.25) continue
      const rp = Math.min(art.radius[par]! * 0.95, r * 1.3)
      air.push({ a: off[par]!, b: off[n]!, ra: rp + wall(rp), rb: r + wall(r), values: [HU.muscle, HU.air], deltas: [0, -wall(r)] })
    }
    const r0 = art.radius[0]! * 0.95
    air.unshift({ a: s.bronchus, b: off[0]!, ra: 6.5, rb: r0 + wall(r0), values: [HU.muscle, HU.air], deltas: [0, -1.5] })
    an.trees.airways.push({ name: `airways-${name}`, segs: air })
    const vein = colonize(an, s.veins, { rng, side: s.side, attractors: 2000, ...colon })
    an.trees.veins.push({ name: `veins-${name}`, segs: treeSegs(vein, (r) => [vesselHu(r)], () => [0]) })
  }
  for (const n of an.nodules) {
    const d = lungSdfAt(an, n.center[0], n.center[1], n.center[2])
    if (!(d < -(n.diameter / 2 + 2))) throw new Error(`phantom: nodule ${n.name} is not inside the lung (sdf ${d.toFixed(1)} mm)`)
  }
  return an
}

// ---------------------------------------------------------------------------------------------
// Slice rendering
// ---------------------------------------------------------------------------------------------

const NN = N * N
/** Pixel centre coordinates. */
const XS = new Float64Array(N)
for (let i = 0; i < N; i++) XS[i] = X0 + i * PIX
const colOf = (x: number) => (x - X0) / PIX
const rowOf = (y: number) => (y - Y0) / PIX

/** Coverage of a pixel whose centre is at signed distance d (mm) from a surface: 1-pixel ramp. */
const cov = (d: number): number => (d <= -PIX / 2 ? 1 : d >= PIX / 2 ? 0 : 0.5 - d / PIX)

interface Scratch {
  sdf: Float32Array[][] // [layer][subsample]
  val: Float32Array[] // [layer] value of the nearest segment
}
function makeScratch(layers: number): Scratch {
  return {
    sdf: Array.from({ length: layers }, () => SUBZ.map(() => new Float32Array(NN))),
    val: Array.from({ length: layers }, () => new Float32Array(NN)),
  }
}

/**
 * Paint a chain of tubes into hu (blending by coverage), layer by layer. The distance field is the
 * min over segments (so joints are seamless); coverage averages 3 sub-samples through the slab.
 */
function paintChains(hu: Float32Array, chains: Chain[], z: number, sc: Scratch, opts: { planar?: boolean; onlyCenter?: boolean } = {}): number {
  let painted = 0
  const zlo = z - DZ / 2, zhi = z + DZ / 2
  const subs = opts.onlyCenter ? [1] : [0, 1, 2]
  for (const chain of chains) {
    const layers = chain.segs[0]?.values.length ?? 0
    if (layers === 0) continue
    // Active segments, clipped to the slab in z.
    let bx0 = N, bx1 = -1, by0 = N, by1 = -1
    const active: { s: Seg; i0: number; i1: number; j0: number; j1: number }[] = []
    for (const s of chain.segs) {
      const rmax = Math.max(s.ra, s.rb) / Math.min(1, s.zScale ?? 1) + 1
      let pa = s.a, pb = s.b
      if (!s.planar) {
        const az = s.a[2], bz = s.b[2]
        if (Math.max(az, bz) < zlo - rmax || Math.min(az, bz) > zhi + rmax) continue
        if (Math.abs(bz - az) > 1e-6) {
          let h0 = (zlo - rmax - az) / (bz - az), h1 = (zhi + rmax - az) / (bz - az)
          if (h0 > h1) [h0, h1] = [h1, h0]
          h0 = clamp(h0, 0, 1); h1 = clamp(h1, 0, 1)
          if (h0 >= h1) continue
          const d = sub(s.b, s.a)
          pa = add(s.a, scale(d, h0)); pb = add(s.a, scale(d, h1))
        }
      }
      const i0 = Math.max(0, Math.floor(colOf(Math.min(pa[0], pb[0]) - rmax)))
      const i1 = Math.min(N - 1, Math.ceil(colOf(Math.max(pa[0], pb[0]) + rmax)))
      const j0 = Math.max(0, Math.floor(rowOf(Math.min(pa[1], pb[1]) - rmax)))
      const j1 = Math.min(N - 1, Math.ceil(rowOf(Math.max(pa[1], pb[1]) + rmax)))
      if (i0 > i1 || j0 > j1) continue
      active.push({ s, i0, i1, j0, j1 })
      bx0 = Math.min(bx0, i0); bx1 = Math.max(bx1, i1); by0 = Math.min(by0, j0); by1 = Math.max(by1, j1)
    }
    if (active.length === 0) continue
    for (let L = 0; L < layers; L++) {
      for (const q of subs) {
        const f = sc.sdf[L]![q]!
        for (let j = by0; j <= by1; j++) f.fill(1e9, j * N + bx0, j * N + bx1 + 1)
      }
    }
    for (const { s, i0, i1, j0, j1 } of active) {
      const ax = s.a[0], ay = s.a[1], az = s.a[2]
      const kz = s.planar ? 0 : s.zScale ?? 1
      const ex = s.b[0] - ax, ey = s.b[1] - ay, ez = (s.b[2] - az) * kz
      const L2 = ex * ex + ey * ey + ez * ez
      const inv = L2 > 0 ? 1 / L2 : 0
      const dr = s.rb - s.ra
      for (let j = j0; j <= j1; j++) {
        const py = Y0 + j * PIX - ay
        const row = j * N
        for (let i = i0; i <= i1; i++) {
          const px = XS[i]! - ax
          const idx = row + i
          for (const q of subs) {
            const pz = (z + SUBZ[q]! - az) * kz
            let h = (px * ex + py * ey + pz * ez) * inv
            h = h < 0 ? 0 : h > 1 ? 1 : h
            const dx = px - h * ex, dy = py - h * ey, dz = pz - h * ez
            const dist = Math.sqrt(dx * dx + dy * dy + dz * dz) - (s.ra + h * dr)
            for (let L = 0; L < layers; L++) {
              const d = dist - s.deltas[L]!
              const f = sc.sdf[L]![q]!
              if (d < f[idx]!) {
                f[idx] = d
                if (q === 1) sc.val[L]![idx] = s.values[L]!
              }
            }
          }
        }
      }
    }
    for (let L = 0; L < layers; L++) {
      const f0 = sc.sdf[L]![subs[0]!]!
      const f1 = sc.sdf[L]![1]!
      const f2 = sc.sdf[L]![subs[subs.length - 1]!]!
      const vals = sc.val[L]!
      for (let j = by0; j <= by1; j++) {
        for (let i = bx0; i <= bx1; i++) {
          const idx = j * N + i
          const c = (cov(f0[idx]!) + cov(f1[idx]!) + cov(f2[idx]!)) / 3
          if (c <= 0) continue
          // A sub-sample may see the tube while the centre plane does not: take the value of the
          // nearest segment at the centre if known, else fall back to the chain's first value.
          const v = f1[idx]! < 1e8 ? vals[idx]! : chain.segs[0]!.values[L]!
          hu[idx] = hu[idx]! + (v - hu[idx]!) * c
          if (L === 0) painted++
        }
      }
    }
  }
  return painted
}

/** Paint the in-plane cross-section of an ellipsoid (optionally grown by `grow` mm). */
function paintEllipsoid(hu: Float32Array, e: Ellipsoid, z: number, value: number, grow = 0): void {
  const dz = z - e.c[2]
  const h = e.h + grow
  if (Math.abs(dz) >= h) return
  const s = Math.sqrt(1 - (dz / h) ** 2)
  const a = (e.a + grow) * s, b = (e.b + grow) * s
  paintEllipse(hu, e.c[0], e.c[1], a, b, e.rot, value)
}
function paintEllipse(hu: Float32Array, cx: number, cy: number, a: number, b: number, rot: number, value: number | ((x: number, y: number) => number), mask?: (x: number, y: number) => boolean): void {
  if (a <= 0 || b <= 0) return
  const R = Math.max(a, b) + 1
  const i0 = Math.max(0, Math.floor(colOf(cx - R))), i1 = Math.min(N - 1, Math.ceil(colOf(cx + R)))
  const j0 = Math.max(0, Math.floor(rowOf(cy - R))), j1 = Math.min(N - 1, Math.ceil(rowOf(cy + R)))
  const co = Math.cos(rot), si = Math.sin(rot)
  for (let j = j0; j <= j1; j++) {
    const y = Y0 + j * PIX
    for (let i = i0; i <= i1; i++) {
      const x = XS[i]!
      const dx = x - cx, dy = y - cy
      const u = dx * co + dy * si, v = -dx * si + dy * co
      const q = Math.sqrt((u / a) ** 2 + (v / b) ** 2)
      const r = Math.sqrt(u * u + v * v)
      const d = q > 1e-9 ? r * (1 - 1 / q) : -Math.min(a, b)
      const c = cov(d)
      if (c <= 0) continue
      if (mask && !mask(x, y)) continue
      const idx = j * N + i
      const val = typeof value === 'number' ? value : value(x, y)
      hu[idx] = hu[idx]! + (val - hu[idx]!) * c
    }
  }
}

/** Cheap deterministic hash noise in [-1, 1] (for tissue texture, independent of the noise PRNG). */
function hash2(i: number, j: number, k: number): number {
  let h = Math.imul(i, 374761393) ^ Math.imul(j, 668265263) ^ Math.imul(k, 2147483647)
  h = Math.imul(h ^ (h >>> 13), 1274126177)
  h ^= h >>> 16
  return ((h >>> 0) / 4294967295) * 2 - 1
}

/** Smooth 2D value noise in [-1, 1] with feature size `cell` (mm): bilinear-smoothstep hash lattice. */
function valueNoise(x: number, y: number, cell: number, k: number): number {
  const gx = x / cell, gy = y / cell
  const ix = Math.floor(gx), iy = Math.floor(gy)
  const fx = gx - ix, fy = gy - iy
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy)
  const a = hash2(ix, iy, k), b = hash2(ix + 1, iy, k), c = hash2(ix, iy + 1, k), d = hash2(ix + 1, iy + 1, k)
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy
}

interface SliceContext {
  an: Anatomy
  sc1: Scratch
  sc2: Scratch
  med: Float32Array
  tmp: Float32Array
}

function makeContext(an: Anatomy): SliceContext {
  return { an, sc1: makeScratch(1), sc2: makeScratch(2), med: new Float32Array(NN), tmp: new Float32Array(NN) }
}

/** Noise-free HU of one slice at height z (before noise and blur). */
export function renderSliceHU(ctx: SliceContext, z: number): { hu: Float32Array; metalPixels: number } {
  const { an } = ctx
  const t = tz(z)
  const hu = new Float32Array(NN).fill(HU.air)

  // Table (flat carbon-fibre shell with foam core) and mattress below the patient.
  for (let j = Math.max(0, Math.floor(rowOf(Y_BACK - 20))); j < N; j++) {
    const y = Y0 + j * PIX
    for (let i = 0; i < N; i++) {
      const x = XS[i]!
      let v: number = HU.air
      let c = 0
      const dy = y - Y_BACK
      const dt = dy - 7 + 0.0007 * x * x // curved cradle: edges rise
      if (dy >= 0 && dt < 0 && Math.abs(x) < 160) { v = HU.mattress + 40 * hash2(i, j, 7); c = 1 }
      else if (Math.abs(x) > 185) c = 0
      else if (dt >= 0 && dt < 1.6) { v = HU.tableShell; c = 1 }
      else if (dt >= 1.6 && dt < 18) { v = HU.tableCore; c = 1 }
      else if (dt >= 18 && dt < 19.6) { v = HU.tableShell; c = 1 }
      if (c > 0) hu[j * N + i] = v
    }
  }

  // Mediastinum distance (for the lung mask): stamped per pixel inside the cavity bounding box.
  const med = ctx.med
  const Rx = cavityR(0, t) + 2, Ryn = cavityR(-Math.PI / 2, t) + 2, Ryp = cavityR(Math.PI / 2, t) + 2
  const ci0 = Math.max(0, Math.floor(colOf(-Rx))), ci1 = Math.min(N - 1, Math.ceil(colOf(Rx)))
  const cj0 = Math.max(0, Math.floor(rowOf(-Ryn))), cj1 = Math.min(N - 1, Math.ceil(rowOf(Ryp)))
  const activeMed = an.medChains
    .map((c) => ({ c, segs: c.segs.filter((s) => Math.min(s.a[2], s.b[2]) - s.ra - 12 < z && Math.max(s.a[2], s.b[2]) + s.ra + 12 > z) }))
    .filter((q) => q.segs.length > 0)
  const hearts = [H_HEART, H_LA, H_RA].filter((e) => Math.abs(z - e.c[2]) < e.h + 6)
  for (let j = cj0; j <= cj1; j++) {
    const y = Y0 + j * PIX
    for (let i = ci0; i <= ci1; i++) {
      const x = XS[i]!
      let d = Math.min(Math.abs(x - 2) - 5, spineBlockSdf(x, y, t))
      for (const e of hearts) d = Math.min(d, ellipsoidSdf(e, x, y, z, 5))
      if (d > -30) {
        for (const { c, segs } of activeMed) {
          const m = c.medMargin ?? 3
          for (const s of segs) {
            const v = segSdf(s, x, y, z) - m
            if (v < d) d = v
          }
        }
      }
      med[j * N + i] = d
    }
  }

  // Body wall and cavity contents, in polar coordinates around the cavity centre.
  const NA = 2048
  const Rc = new Float64Array(NA + 1), Rm = new Float64Array(NA + 1), Rb = new Float64Array(NA + 1)
  for (let k = 0; k <= NA; k++) {
    const th = -Math.PI + (2 * Math.PI * k) / NA
    Rc[k] = cavityR(th, t)
    Rm[k] = Rc[k]! + RIB_LAYER + muscleThickness(th, t)
    Rb[k] = Rm[k]! + fatThickness(th, t) + SKIN
  }
  // Thoracic inlet: neck muscles, thyroid and vessels replace mediastinal fat near the top.
  const inlet = smooth(0.82, 0.97, t)
  for (let j = 0; j < N; j++) {
    const y = Y0 + j * PIX
    for (let i = 0; i < N; i++) {
      const x = XS[i]!
      const r = Math.sqrt(x * x + y * y)
      if (r > 200) continue
      const fa = ((Math.atan2(y, x) + Math.PI) / (2 * Math.PI)) * NA
      const k0 = fa | 0
      const w = fa - k0
      const rb = Rb[k0]! + (Rb[k0 + 1]! - Rb[k0]!) * w
      const dBody = Math.max(r - rb, y - Y_BACK)
      const cBody = cov(dBody)
      if (cBody <= 0) continue
      const rm = Rm[k0]! + (Rm[k0 + 1]! - Rm[k0]!) * w
      const rc = Rc[k0]! + (Rc[k0 + 1]! - Rc[k0]!) * w
      const idx = j * N + i
      // skin → subcutaneous fat → muscle → (rib layer = intercostal muscle) → cavity
      let v = HU.skin
      v += (HU.fat + 6 * hash2(i, j, 1) - v) * cov(Math.max(r - (rb - SKIN), y - (Y_BACK - SKIN)))
      v += (HU.muscle - v) * cov(r - rm)
      // Thin fat planes: between the chest-wall muscles and the rib layer, and between the two
      // pectoral muscles anteriorly (they outline the muscles as on a real scan).
      const dPlane = Math.abs(r - (rc + RIB_LAYER + 0.8))
      if (dPlane < 1.5) v += (HU.fat - v) * 0.7 * cov(dPlane - 0.7)
      const pec = rm - rc - RIB_LAYER
      if (pec > 10 && y < -20) {
        const dp = Math.abs(r - (rc + RIB_LAYER + 0.45 * pec))
        if (dp < 1.5) v += (HU.fat - v) * 0.6 * cov(dp - 0.6)
      }
      const dCav = r - rc
      const cCav = cov(dCav)
      if (cCav > 0) {
        let inner: number = HU.mediastinalFat
        if (inlet > 0) inner += (HU.muscle - 5 - HU.mediastinalFat) * inlet * clamp(0.8 + 0.5 * valueNoise(x, y, 9, 13 + Math.round(z)), 0, 1)
        const dR = domeSdf(DOME_R, x, y, z), dL = domeSdf(DOME_L, x, y, z)
        const dAbd = Math.min(dR, dL)
        if (dAbd < 4) {
          // Diaphragm muscle over the abdominal organs.
          inner = inner + (HU.muscle - inner) * cov(dAbd - 3.5)
          if (dR < dL) inner = inner + (HU.liver + 4 * hash2(i, j, 3) - inner) * cov(dR)
          else {
            // Left upper quadrant: spleen posterolateral, stomach (air anteriorly, fluid behind), liver left lobe.
            let lv: number = HU.fat
            const sp = Math.hypot((x - 88) / 30, (y - 35) / 48)
            const st = Math.hypot((x - 45) / 38, (y + 22) / 30)
            const ll = Math.hypot((x - 8) / 45, (y + 28) / 28)
            if (ll < 1) lv = HU.liver
            if (st < 1) lv = st > 0.9 ? HU.muscle : y < -30 ? HU.air : 15
            if (sp < 1) lv = HU.spleen
            inner = inner + (lv - inner) * cov(dL)
          }
        }
        // Lungs.
        const side: -1 | 1 = x < 2 ? -1 : 1
        let dl = dCav + 1.5
        dl = Math.max(dl, -med[idx]!)
        dl = Math.max(dl, -dR + 1.5, -dL + 1.5)
        dl = Math.max(dl, apexSdf(side, x, y, z))
        const cl = cov(dl)
        if (cl > 0) {
          let lung = lungBaseHU(y) + 8 * valueNoise(x, y, 4, 5 + Math.round(z))
          // Major (oblique) fissure: a faint line running posterior-superior to anterior-inferior.
          const df = (y - fissureY(x, z)) / Math.sqrt(1 + FISSURE_K * FISSURE_K)
          lung += 110 * Math.exp(-0.5 * (df / 0.6) ** 2)
          inner = inner + (lung - inner) * cl
        }
        v += (inner - v) * cCav
      }
      hu[idx] = hu[idx]! + (v - hu[idx]!) * cBody
    }
  }

  // Paraspinal muscles and the spine.
  const yv = spineY(t)
  const [va, vb] = vbSemi(t)
  for (const side of [-1, 1]) paintEllipse(hu, side * 33, yv + 46, 24, 21, side * 0.25, HU.muscle)
  // Spinal level: vertebral body or disc (with partial volume across the slab).
  let discFrac = 0, plateFrac = 0
  for (let j = -1; j <= 9; j++) {
    const zc = levelZ(j) - LEVEL_PITCH / 2
    const ov = (a: number, b: number) => Math.max(0, Math.min(z + DZ / 2, b) - Math.max(z - DZ / 2, a)) / DZ
    discFrac += ov(zc - DISC_HALF, zc + DISC_HALF)
    plateFrac += ov(zc - DISC_HALF - 1.2, zc - DISC_HALF) + ov(zc + DISC_HALF, zc + DISC_HALF + 1.2)
  }
  const bodyBone = HU.cortical * (1 - discFrac) + HU.disc * discFrac
  const bodyCore = (HU.cancellous + (700 - HU.cancellous) * plateFrac) * (1 - discFrac) + HU.disc * discFrac
  paintEllipse(hu, 0, yv, va, vb, 0, bodyBone)
  paintEllipse(hu, 0, yv, va - 1.5, vb - 1.5, 0, (x, y) => bodyCore + 35 * hash2(colOf(x) >> 1, rowOf(y) >> 1, 9) * (1 - discFrac))
  // Canal, cord, posterior elements (planar capsules in this slice).
  paintEllipse(hu, 0, yv + vb + 8, 8, 8, 0, HU.csf)
  paintEllipse(hu, 0, yv + vb + 8, 5.5, 4.5, 0, HU.cord)
  const lev = Math.round((Z_TOP + 10 - z) / LEVEL_PITCH)
  const within = z - levelZ(lev) // −12.5 … +12.5 inside the level
  const post: Seg[] = []
  const bone = [HU.cortical - 100, HU.cancellous + 50]
  const dl2 = [0, -1.3]
  const P = (x: number, y: number): V3 => [x, y, z]
  const yc = yv + vb // posterior surface of the vertebral body
  if (within > -7) {
    for (const s of [-1, 1]) {
      post.push({ a: P(s * (va - 6), yc - 3), b: P(s * 10, yc + 8), ra: 4, rb: 3.8, values: bone, deltas: dl2, planar: true })
      if (within > 1) post.push({ a: P(s * 10, yc + 8), b: P(s * 30, yc + 15), ra: 4, rb: 3.5, values: bone, deltas: dl2, planar: true })
    }
  }
  if (Math.abs(within) < 10.5) {
    for (const s of [-1, 1]) post.push({ a: P(s * 10, yc + 9), b: P(0, yc + 18), ra: 3.2, rb: 3.2, values: bone, deltas: dl2, planar: true })
    const tipLen = 16 + 8 * ((within + 12.5) / 25)
    post.push({ a: P(0, yc + 18), b: P(0, yc + 18 + tipLen), ra: 3.4, rb: 2.6, values: bone, deltas: dl2, planar: true })
  } else {
    // Between levels: facet joints and the spinous process of the level above (thoracic overlap).
    post.push({ a: P(0, yc + 26), b: P(0, yc + 40), ra: 3.2, rb: 2.8, values: bone, deltas: dl2, planar: true })
    for (const s of [-1, 1]) post.push({ a: P(s * 10, yc + 8), b: P(s * 13, yc + 14), ra: 3.5, rb: 3.5, values: bone, deltas: dl2, planar: true })
  }
  paintChains(hu, [{ name: 'posterior-elements', segs: post }], z, ctx.sc2, { onlyCenter: true })

  // Thyroid lobes at the thoracic inlet (iodine-rich, brighter than muscle), either side of the trachea.
  if (t > 0.9) {
    const f = smooth(0.9, 1.0, t)
    for (const side of [-1, 1]) paintEllipse(hu, side * 17, -6, 9 * f + 2, 14 * f + 3, side * 0.5, 105)
  }
  // Sternum.
  if (t > 0.1 && t < 0.93) {
    const ys = -(cavityR(-Math.PI / 2, t) + 4.5)
    const [sa, sb] = t > 0.8 ? [22, 6.5] : t < 0.2 ? [8, 4] : [14, 5.5]
    paintEllipse(hu, 0, ys, sa, sb, 0, 650)
    paintEllipse(hu, 0, ys, sa - 1.2, sb - 1.2, 0, 220)
  }
  // Scapulae (blade following the posterolateral chest wall, outside the ribs).
  if (t > 0.5) {
    const frac = smooth(0.5, 0.75, t)
    const segs: Seg[] = []
    for (const side of [-1, 1]) {
      const pts: V3[] = []
      const a0 = Math.PI / 2 + 0.45, a1 = a0 + 0.2 + 0.55 * frac
      for (let k = 0; k <= 6; k++) {
        const th = a0 + ((a1 - a0) * k) / 6
        const R = cavityR(th, t) + RIB_LAYER + 9
        pts.push([side * -R * Math.cos(th), R * Math.sin(th), z])
      }
      for (let k = 0; k < 6; k++) {
        segs.push({ a: pts[k]!, b: pts[k + 1]!, ra: 2.2, rb: k === 5 ? 4 : 2.2, values: [650, 300], deltas: [0, -1.1], planar: true })
      }
    }
    paintChains(hu, [{ name: 'scapulae', segs }], z, ctx.sc2, { onlyCenter: true })
  }

  // Heart: pericardium, epicardial fat, myocardium, chambers.
  for (const e of [H_HEART, H_LA, H_RA]) paintEllipsoid(hu, e, z, 25, 5.5)
  for (const e of [H_HEART, H_LA, H_RA]) paintEllipsoid(hu, e, z, -85, 4.5)
  for (const e of [H_HEART, H_LA, H_RA]) paintEllipsoid(hu, e, z, HU.heartMuscle, 0)
  paintEllipsoid(hu, H_LA, z, HU.laBlood, -3)
  paintEllipsoid(hu, H_RA, z, HU.raBlood, -3)
  // RV first, then the thick LV wall over it (so the RV lumen becomes a crescent around the septum).
  paintEllipsoid(hu, H_RV, z, HU.rvBlood)
  paintEllipsoid(hu, H_LV, z, HU.heartMuscle, 9)
  paintEllipsoid(hu, H_LV, z, HU.lvBlood)

  // Small mediastinal lymph nodes (normal size, short axis < 10 mm) in the fat.
  for (const nd of LYMPH_NODES) paintEllipsoid(hu, nd, z, 38)
  // Mediastinal tubes, lung trees, ribs.
  const two = an.medChains.filter((c) => (c.segs[0]?.values.length ?? 1) === 2)
  const one = an.medChains.filter((c) => (c.segs[0]?.values.length ?? 1) === 1)
  paintChains(hu, one, z, ctx.sc1)
  paintChains(hu, [...an.trees.veins, ...an.trees.arteries], z, ctx.sc1)
  paintChains(hu, [...two, ...an.trees.airways], z, ctx.sc2)
  paintChains(hu, an.ribs, z, ctx.sc2)

  // Nodules (lobulated spheres, partial volume across the slab).
  for (const n of an.nodules) paintNodule(hu, n, z)

  // Metal: streaks first (they live in the reconstructed image around the metal), then the metal.
  const metalPixels = paintMetal(hu, an, z, ctx)
  return { hu, metalPixels }
}

function paintNodule(hu: Float32Array, n: Nodule, z: number): void {
  const R = n.diameter / 2
  if (Math.abs(z - n.center[2]) > R + DZ) return
  const [cx, cy, cz] = n.center
  const i0 = Math.max(0, Math.floor(colOf(cx - R - 2))), i1 = Math.min(N - 1, Math.ceil(colOf(cx + R + 2)))
  const j0 = Math.max(0, Math.floor(rowOf(cy - R - 2))), j1 = Math.min(N - 1, Math.ceil(rowOf(cy + R + 2)))
  const ph = n.name.charCodeAt(1)
  for (let j = j0; j <= j1; j++) {
    const y = Y0 + j * PIX
    for (let i = i0; i <= i1; i++) {
      const x = XS[i]!
      let c = 0, cCore = 0
      for (const q of SUBZ) {
        const dx = x - cx, dy = y - cy, dz = z + q - cz
        const r = Math.sqrt(dx * dx + dy * dy + dz * dz)
        const az = Math.atan2(dy, dx), el = r > 0 ? Math.acos(dz / r) : 0
        const lob = 1 + 0.1 * Math.sin(3 * az + ph) * Math.sin(2 * el + ph * 0.37)
        if (n.kind === 'part-solid') {
          // Ground glass: soft edge (1.5 mm ramp) rather than a crisp solid margin.
          c += clamp(0.5 - (r - R * lob) / 1.5, 0, 1)
          cCore += cov(r - (n.coreDiameter ?? 0) / 2 * lob)
        } else {
          c += cov(r - R * lob)
        }
      }
      c /= SUBZ.length
      cCore /= SUBZ.length
      const idx = j * N + i
      if (c > 0) {
        const v = n.kind === 'part-solid' ? n.hu + 60 * hash2(i, j, 11) : n.hu
        hu[idx] = hu[idx]! + (v - hu[idx]!) * c
      }
      if (cCore > 0) hu[idx] = hu[idx]! + ((n.coreHu ?? n.hu) - hu[idx]!) * cCore
    }
  }
}

function paintMetal(hu: Float32Array, an: Anatomy, z: number, ctx: SliceContext): number {
  // Which metal pieces are near this slice?
  const near = an.metal.filter((c) => c.segs.some((s) => Math.min(s.a[2], s.b[2]) - s.ra - DZ < z && Math.max(s.a[2], s.b[2]) + s.ra + DZ > z))
  if (near.length === 0) return 0
  // Streaks: beam-hardening dark band between screws and thin alternating streaks from the metal.
  const screws = near.filter((c) => c.name.startsWith('screw'))
  const centres: [number, number][] = near.map((c) => {
    const s = c.segs[0]!
    const h = Math.abs(s.b[2] - s.a[2]) > 1e-6 ? clamp((z - s.a[2]) / (s.b[2] - s.a[2]), 0, 1) : 0.5
    return [s.a[0] + h * (s.b[0] - s.a[0]), s.a[1] + h * (s.b[1] - s.a[1])]
  })
  const strength = screws.length > 0 ? Math.max(...screws.map((c) => Math.exp(-0.5 * ((z - c.segs[0]!.a[2]) / 2.5) ** 2))) : 0
  const amp = 0.25 + 0.75 * strength
  const rng = mulberry32(SEED ^ 0x5eed ^ Math.round(z * 8))
  const rays = centres.flatMap(([cx, cy]) => Array.from({ length: 10 }, () => ({ cx, cy, a: rng() * Math.PI, s: (rng() < 0.5 ? -1 : 1) * (60 + 80 * rng()) })))
  const tmp = ctx.tmp
  tmp.fill(0)
  const sR = screws.length >= 2 ? centres[near.indexOf(screws[0]!)]! : null
  const sL = screws.length >= 2 ? centres[near.indexOf(screws[1]!)]! : null
  // Thin streaks: for each ray walk along its major axis and touch only the ±4 px band around it.
  for (const ray of rays) {
    const ca = Math.cos(ray.a), sa = Math.sin(ray.a)
    const alongX = Math.abs(ca) >= Math.abs(sa)
    for (let u = 0; u < N; u++) {
      // Position on the ray at this column (alongX) or row.
      const c0 = alongX ? XS[u]! : Y0 + u * PIX
      const other = alongX ? ray.cy + ((c0 - ray.cx) * sa) / ca : ray.cx + ((c0 - ray.cy) * ca) / sa
      const o0 = Math.round(alongX ? rowOf(other) : colOf(other))
      for (let v = o0 - 4; v <= o0 + 4; v++) {
        if (v < 0 || v >= N) continue
        const i = alongX ? u : v, j = alongX ? v : u
        const dx = XS[i]! - ray.cx, dy = Y0 + j * PIX - ray.cy
        const r = Math.sqrt(dx * dx + dy * dy)
        if (r < 4) continue
        const perp = Math.abs(-dx * sa + dy * ca)
        tmp[j * N + i] = tmp[j * N + i]! + ray.s * Math.exp(-0.5 * (perp / 0.9) ** 2) / (1 + r / 60)
      }
    }
  }
  if (sR && sL) {
    // Dark band along the line joining the two screws (photon starvation between them).
    const ex = sL[0] - sR[0], ey = sL[1] - sR[1]
    const L = Math.hypot(ex, ey)
    const i0 = Math.max(0, Math.floor(colOf(Math.min(sR[0], sL[0]) - 0.6 * L - 20))), i1 = Math.min(N - 1, Math.ceil(colOf(Math.max(sR[0], sL[0]) + 0.6 * L + 20)))
    const j0 = Math.max(0, Math.floor(rowOf(Math.min(sR[1], sL[1]) - 0.6 * L - 20))), j1 = Math.min(N - 1, Math.ceil(rowOf(Math.max(sR[1], sL[1]) + 0.6 * L + 20)))
    for (let j = j0; j <= j1; j++) {
      const y = Y0 + j * PIX
      for (let i = i0; i <= i1; i++) {
        const x = XS[i]!
        const u = ((x - sR[0]) * ex + (y - sR[1]) * ey) / (L * L)
        const perp = Math.abs((x - sR[0]) * ey - (y - sR[1]) * ex) / L
        if (u > -0.6 && u < 1.6 && perp < 20) {
          tmp[j * N + i] = tmp[j * N + i]! - 260 * strength * Math.exp(-0.5 * (perp / 5) ** 2) * (u >= 0 && u <= 1 ? 1 : Math.exp(-((u < 0 ? -u : u - 1) / 0.25)))
        }
      }
    }
  }
  for (let k = 0; k < NN; k++) {
    // Streaks live in the reconstructed object; keep the air around the patient clean.
    if (hu[k]! > -900) hu[k] = hu[k]! + tmp[k]! * amp
  }
  let before = 0
  for (let k = 0; k < NN; k++) if (hu[k]! >= 3000) before++
  paintChains(hu, near, z, ctx.sc1)
  let after = 0
  for (let k = 0; k < NN; k++) if (hu[k]! >= 3000) after++
  return after - before
}

// ---------------------------------------------------------------------------------------------
// Noise, blur, quantisation, DICOM
// ---------------------------------------------------------------------------------------------

/** Separable Gaussian, σ = 0.6 px (partial volume / reconstruction-kernel softness). */
const KERNEL = (() => {
  const s = 0.6
  const w = [-2, -1, 0, 1, 2].map((k) => Math.exp(-(k * k) / (2 * s * s)))
  const sum = w.reduce((a, b) => a + b, 0)
  return w.map((v) => v / sum)
})()
function blur(src: Float32Array, tmp: Float32Array): void {
  const [k0, k1, k2] = [KERNEL[2]!, KERNEL[1]!, KERNEL[0]!]
  for (let j = 0; j < N; j++) {
    const row = j * N
    for (let i = 0; i < N; i++) {
      const im1 = i > 0 ? i - 1 : 0, im2 = i > 1 ? i - 2 : 0, ip1 = i < N - 1 ? i + 1 : N - 1, ip2 = i < N - 2 ? i + 2 : N - 1
      tmp[row + i] = k0 * src[row + i]! + k1 * (src[row + im1]! + src[row + ip1]!) + k2 * (src[row + im2]! + src[row + ip2]!)
    }
  }
  for (let j = 0; j < N; j++) {
    const jm1 = (j > 0 ? j - 1 : 0) * N, jm2 = (j > 1 ? j - 2 : 0) * N, jp1 = (j < N - 1 ? j + 1 : N - 1) * N, jp2 = (j < N - 2 ? j + 2 : N - 1) * N
    const row = j * N
    for (let i = 0; i < N; i++) {
      src[row + i] = k0 * tmp[row + i]! + k1 * (tmp[jm1 + i]! + tmp[jp1 + i]!) + k2 * (tmp[jm2 + i]! + tmp[jp2 + i]!)
    }
  }
}

/** Add Gaussian noise (Box–Muller on a per-slice mulberry32 stream), σ larger inside the body. */
function addNoise(hu: Float32Array, sliceIndex: number): void {
  const rng = mulberry32((SEED + Math.imul(sliceIndex + 1, 0x9e3779b1)) >>> 0)
  for (let k = 0; k < NN; k += 2) {
    const u1 = rng() || 1e-12
    const u2 = rng()
    const m = Math.sqrt(-2 * Math.log(u1))
    const n0 = m * Math.cos(2 * Math.PI * u2), n1 = m * Math.sin(2 * Math.PI * u2)
    hu[k] = hu[k]! + n0 * (hu[k]! > -950 ? 27 : 21)
    hu[k + 1] = hu[k + 1]! + n1 * (hu[k + 1]! > -950 ? 27 : 21)
  }
}

/** Final HU image of acquisition slice `a` (0 = most superior): noise then blur. */
export function renderSlice(ctx: SliceContext, a: number): { hu: Float32Array; z: number; metalPixels: number } {
  const z = Z_TOP - DZ * a
  const { hu, metalPixels } = renderSliceHU(ctx, z)
  addNoise(hu, a)
  blur(hu, ctx.tmp)
  return { hu, z, metalPixels }
}

function quantize(hu: Float32Array): Uint8Array {
  const out = new Uint8Array(NN * 2)
  for (let k = 0; k < NN; k++) {
    let s = hu[k]! + 1024 + 0.5
    s = s < 0 ? 0 : s > 65535 ? 65535 : s
    const v = s | 0 // floor of a non-negative number = round-half-up of the HU value
    out[2 * k] = v & 0xff
    out[2 * k + 1] = v >>> 8
  }
  return out
}

/** Deterministic UID under the 2.25 (UUID-derived integer) root, from a SHA-256 of a name. */
export function phantomUid(name: string): string {
  const hex = createHash('sha256').update(`med-imaging-primer/ct-thorax-phantom/v1/${name}`).digest('hex').slice(0, 32)
  return `2.25.${BigInt('0x' + hex).toString(10)}`
}

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2'

function sliceDataset(a: number, z: number, pixels: Uint8Array): { meta: Parameters<typeof writeDicomFile>[0]; ds: DicomElement[] } {
  const sop = phantomUid(`instance/${a}`)
  const ds: DicomElement[] = [
    { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' },
    { tag: 0x00080008, vr: 'CS', value: 'DERIVED\\SECONDARY\\AXIAL' },
    { tag: 0x00080016, vr: 'UI', value: CT_IMAGE_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: sop },
    { tag: 0x00080020, vr: 'DA', value: '20000101' },
    { tag: 0x00080030, vr: 'TM', value: '120000' },
    { tag: 0x00080050, vr: 'SH', value: '' },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x00080070, vr: 'LO', value: 'Medical Imaging Primer (synthetic)' },
    { tag: 0x00080090, vr: 'PN', value: '' },
    { tag: 0x00081030, vr: 'LO', value: 'Synthetic thorax CT' },
    { tag: 0x0008103e, vr: 'LO', value: 'Synthetic thorax CT phantom (not a patient)' },
    { tag: 0x00081090, vr: 'LO', value: 'make-thorax-phantom.ts' },
    { tag: 0x00100010, vr: 'PN', value: 'Phantom^Thorax' },
    { tag: 0x00100020, vr: 'LO', value: 'MIP-PHANTOM-THORAX-1' },
    { tag: 0x00100030, vr: 'DA', value: '' },
    { tag: 0x00100040, vr: 'CS', value: 'O' },
    { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
    { tag: 0x00180050, vr: 'DS', value: formatDS(DZ) },
    { tag: 0x00180060, vr: 'DS', value: '120' },
    { tag: 0x00181020, vr: 'LO', value: '1' },
    { tag: 0x00181210, vr: 'SH', value: 'SYNTHETIC' },
    { tag: 0x00185100, vr: 'CS', value: 'HFS' },
    { tag: 0x0020000d, vr: 'UI', value: phantomUid('study') },
    { tag: 0x0020000e, vr: 'UI', value: phantomUid('series') },
    { tag: 0x00200010, vr: 'SH', value: '1' },
    { tag: 0x00200011, vr: 'IS', value: '1' },
    { tag: 0x00200013, vr: 'IS', value: String(a + 1) },
    { tag: 0x00200032, vr: 'DS', value: [X0, Y0, z].map(formatDS).join('\\') },
    { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
    { tag: 0x00200052, vr: 'UI', value: phantomUid('frame-of-reference') },
    { tag: 0x00201040, vr: 'LO', value: '' },
    { tag: 0x00201041, vr: 'DS', value: formatDS(z) },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: N },
    { tag: 0x00280011, vr: 'US', value: N },
    { tag: 0x00280030, vr: 'DS', value: `${formatDS(PIX)}\\${formatDS(PIX)}` },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 16 },
    { tag: 0x00280102, vr: 'US', value: 15 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00281050, vr: 'DS', value: '40' },
    { tag: 0x00281051, vr: 'DS', value: '400' },
    { tag: 0x00281052, vr: 'DS', value: '-1024' },
    { tag: 0x00281053, vr: 'DS', value: '1' },
    { tag: 0x00281054, vr: 'LO', value: 'HU' },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ]
  return {
    meta: {
      mediaStorageSopClassUid: CT_IMAGE_STORAGE,
      mediaStorageSopInstanceUid: sop,
      implementationClassUid: phantomUid('implementation'),
      implementationVersionName: 'MIP_PHANTOM_1',
    },
    ds,
  }
}

// ---------------------------------------------------------------------------------------------
// Manifest (index.json) with landmarks for the chapters and tests
// ---------------------------------------------------------------------------------------------

/** Voxel index (i column, j row, k in the z-ascending volume) of a physical LPS point. */
export function worldToVoxel(p: V3): { ijk: [number, number, number]; ijkContinuous: [number, number, number]; file: string } {
  const i = (p[0] - X0) / PIX, j = (p[1] - Y0) / PIX
  const ac = (Z_TOP - p[2]) / DZ
  const a = Math.round(ac)
  const r2 = (v: number) => Math.round(v * 100) / 100
  return { ijk: [Math.round(i), Math.round(j), NZ - 1 - a], ijkContinuous: [r2(i), r2(j), r2(NZ - 1 - ac)], file: sliceFile(a) }
}
const sliceFile = (a: number) => `slice-${String(a).padStart(3, '0')}.dcm`

function landmarks(an: Anatomy) {
  const metalPieces = an.metal.map((c) => {
    const pts = c.segs.flatMap((s) => [s.a, s.b])
    const lo = [0, 1, 2].map((d) => Math.min(...pts.map((p) => p[d]!)) - Math.max(...c.segs.map((s) => Math.max(s.ra, s.rb))))
    const hi = [0, 1, 2].map((d) => Math.max(...pts.map((p) => p[d]!)) + Math.max(...c.segs.map((s) => Math.max(s.ra, s.rb))))
    return { name: c.name, boundsMin: lo.map((v) => +v.toFixed(2)), boundsMax: hi.map((v) => +v.toFixed(2)) }
  })
  const screw = an.metal[0]!.segs[0]!
  const screwMid: V3 = scale(add(screw.a, screw.b), 0.5)
  const snap = (p: V3): V3 => [X0 + Math.round((p[0] - X0) / PIX) * PIX, Y0 + Math.round((p[1] - Y0) / PIX) * PIX, p[2]]
  const probe = (name: string, p: V3, hu: number, tol: number) => {
    const q = snap(p)
    const { ijk, file } = worldToVoxel(q)
    return { name, world: q.map((v) => +v.toFixed(2)), ijk, file, expectedHU: +hu.toFixed(1), tolerance: tol }
  }
  // Probe points sit on slice centres; expected values are the noise-free HU assigned there.
  const S = sliceZ
  const t35 = tz(S(35))
  const probes = [
    probe('air outside body', [-160, -160, S(35)], HU.air, 30),
    probe('subcutaneous fat (left flank)', [155, 0, S(35)], HU.fat, 30),
    probe('paraspinal muscle (right)', [-36, spineY(t35) + 48, S(35)], HU.muscle, 30),
    ...([[-95, -20], [100, -30]] as const).map(([x, y], n) => {
      const p = snap(clearLungPoint(an, x, y, S(35)))
      return probe(`${n === 0 ? 'right' : 'left'} lung parenchyma`, p, lungBaseHU(p[1]), 40)
    }),
    probe('descending aorta', [29.4, 34, S(35)], HU.aorta, 30),
    probe('left atrium', [0, 8, S(35)], HU.laBlood, 30),
    probe('vertebral body (cancellous)', [0, spineY(t35), S(35)], HU.cancellous, 50),
    probe('table core', [0, Y_BACK + 16, S(35)], HU.tableCore, 30),
    probe('trachea lumen', [1.3, 7.5, S(17)], HU.air, 40),
    probe('aortic arch', [-10.5, -28.2, S(17)], HU.aorta, 40),
    probe('left ventricle blood pool', [H_LV.c[0], H_LV.c[1], S(51)], HU.lvBlood, 30),
    probe('liver', [-70, 10, S(70)], HU.liver, 30),
    ...an.nodules.map((n) => probe(`nodule ${n.name} centre`, n.center, n.coreHu ?? n.hu, n.diameter < 5 ? 250 : n.kind === 'part-solid' ? 80 : 45)),
    probe('nodule N3 ground-glass rim', add(NODULES[2]!.center, [0, -5.2, 0]), -500, 150),
    probe('pedicle screw (metal)', screwMid, HU.metal, 500),
  ]
  return {
    coordinateSystem: 'DICOM LPS (mm): +x patient left (image right), +y posterior (image down), +z head; voxel ijk = (column, row, index in the z-ascending volume); file = acquisition-order file name',
    nodules: an.nodules.map((n) => ({ ...n, center: n.center.map((v) => +v.toFixed(2)), ...worldToVoxel(n.center) })),
    metal: {
      description: 'posterior spinal instrumentation: bilateral pedicle screws at two vertebral levels joined by two vertical rods',
      hu: HU.metal,
      screwLevelsZ: an.screwLevels.map((j) => levelZ(j)),
      screwSliceFiles: an.screwLevels.map((j) => worldToVoxel([0, 0, levelZ(j)]).file),
      pieces: metalPieces,
    },
    probes,
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

export interface GenerateOptions {
  /** Output folder (created). Default public/data/ct-thorax-phantom. */
  outDir?: string
  /** Only render these acquisition indices (0 = top). The bytes equal those of a full run. */
  onlySlices?: number[]
  onProgress?: (fraction: number, message?: string) => void
}
export interface GenerateResult {
  outDir: string
  files: string[]
  metalPixels: number[]
}

/** Generate the phantom series and its index.json. */
export function generatePhantom(opts: GenerateOptions = {}): GenerateResult {
  const outDir = resolve(opts.outDir ?? 'public/data/ct-thorax-phantom')
  mkdirSync(outDir, { recursive: true })
  const an = buildAnatomy()
  const ctx = makeContext(an)
  const which = opts.onlySlices ?? Array.from({ length: NZ }, (_, a) => a)
  const files: string[] = []
  const metalPixels: number[] = []
  which.forEach((a, n) => {
    if (!(Number.isInteger(a) && a >= 0 && a < NZ)) throw new Error(`phantom: slice index ${a} out of range 0..${NZ - 1}`)
    const { hu, z, metalPixels: mp } = renderSlice(ctx, a)
    const { meta, ds } = sliceDataset(a, z, quantize(hu))
    const name = sliceFile(a)
    writeFileSync(join(outDir, name), writeDicomFile(meta, ds))
    files.push(name)
    metalPixels.push(mp)
    opts.onProgress?.((n + 1) / which.length, name)
  })
  const index = {
    description: 'Synthetic thorax CT phantom (not a patient), generated by scripts/make-thorax-phantom.ts',
    seed: SEED,
    modality: 'CT',
    seriesInstanceUID: phantomUid('series'),
    studyInstanceUID: phantomUid('study'),
    frameOfReferenceUID: phantomUid('frame-of-reference'),
    geometry: PHANTOM_GEOMETRY,
    acquisitionOrder: 'files are numbered head to feet (z decreasing); sort by ImagePositionPatient, not by name',
    files: Array.from({ length: NZ }, (_, a) => sliceFile(a)),
    sliceZ: Array.from({ length: NZ }, (_, a) => Z_TOP - DZ * a),
    hu: HU,
    landmarks: landmarks(an),
  }
  writeFileSync(join(outDir, 'index.json'), JSON.stringify(index, null, 2) + '\n')
  return { outDir, files, metalPixels }
}

/**
 * The figures' copy of the phantom: the DICOM series as read by the library (HU, LPS), averaged
 * over 2×2 pixel blocks (0.7 → 1.4 mm in-plane, 2.5 mm slices kept; the mean of four integers
 * rounded half up) and written as one gzipped NIfTI-1 int16 volume: about 5 MB instead of the
 * series' 37 MB, so a chapter page can show it at once. The DICOM series stays for the pages
 * where reading DICOM is the lesson.
 */
export async function writeFigureCopy(seriesDir: string, outFile: string): Promise<Image> {
  const index = JSON.parse(readFileSync(join(seriesDir, 'index.json'), 'utf8')) as { files: string[] }
  const buffers = index.files.map((f) => { const b = readFileSync(join(seriesDir, f)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) })
  const full = await readDicomSeries(buffers)
  const [nx, ny, nz] = full.size as [number, number, number]
  const src = full.data as Int16Array
  const mx = nx >> 1, my = ny >> 1
  const out = new Int16Array(mx * my * nz)
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < my; j++) {
      const r0 = (k * ny + 2 * j) * nx, r1 = r0 + nx, o = (k * my + j) * mx
      for (let i = 0; i < mx; i++) {
        const sum = src[r0 + 2 * i]! + src[r0 + 2 * i + 1]! + src[r1 + 2 * i]! + src[r1 + 2 * i + 1]!
        out[o + i] = Math.floor(sum / 4 + 0.5)
      }
    }
  }
  const d = full.direction as unknown as ArrayLike<number>
  const [sx, sy] = full.spacing as [number, number, number]
  // The centre of block (0,0) lies half a source pixel along the row and column directions.
  const origin = [0, 1, 2].map((r) => full.origin[r]! + 0.5 * sx * d[r * 3]! + 0.5 * sy * d[r * 3 + 1]!)
  const image: Image = {
    ...full,
    name: 'ct-thorax-phantom (figure copy, 1.4 mm)',
    size: [mx, my, nz],
    spacing: [2 * sx, 2 * sy, full.spacing[2]!],
    origin,
    data: out,
    metadata: new Map(),
  }
  writeFileSync(outFile, new Uint8Array(writeNifti(image, { description: 'Synthetic thorax CT phantom (not a patient), 2x2 mean' })))
  // The middle axial slice alone (~75 kB): a figure shows it at once while the volume downloads.
  const k = nz >> 1
  const middle: Image = {
    ...image,
    name: `${image.name}, slice ${k} only`,
    size: [mx, my, 1],
    origin: [0, 1, 2].map((r) => origin[r]! + k * full.spacing[2]! * d[r * 3 + 2]!),
    data: out.slice(k * mx * my, (k + 1) * mx * my),
  }
  writeFileSync(middleSliceFile(outFile), new Uint8Array(writeNifti(middle, { description: `Synthetic thorax CT phantom, 2x2 mean, slice ${k}` })))
  // A 2.8 mm in-plane copy (2x2 mean of the figure copy, same slices, ~1 MB) for figures about voxel
  // order rather than detail (the orientation figure): its first picture does not wait for 5 MB.
  const qx = mx >> 1, qy = my >> 1
  const coarse = new Int16Array(qx * qy * nz)
  for (let kk = 0; kk < nz; kk++) for (let j = 0; j < qy; j++) {
    const r0 = (kk * my + 2 * j) * mx, r1 = r0 + mx, o = (kk * qy + j) * qx
    for (let i = 0; i < qx; i++) coarse[o + i] = Math.floor((out[r0 + 2 * i]! + out[r0 + 2 * i + 1]! + out[r1 + 2 * i]! + out[r1 + 2 * i + 1]!) / 4 + 0.5)
  }
  const s2 = image.spacing as [number, number, number]
  const coarseImage: Image = {
    ...image,
    name: 'ct-thorax-phantom (2.8 mm copy)',
    size: [qx, qy, nz],
    spacing: [2 * s2[0], 2 * s2[1], s2[2]],
    origin: [0, 1, 2].map((r) => origin[r]! + 0.5 * s2[0] * d[r * 3]! + 0.5 * s2[1] * d[r * 3 + 1]!),
    data: coarse,
  }
  writeFileSync(coarseCopyFile(outFile), new Uint8Array(writeNifti(coarseImage, { description: 'Synthetic thorax CT phantom (not a patient), 4x4 mean' })))
  return image
}

/** The 2.8 mm copy's file: `thorax-1.4mm.nii.gz` → `thorax-2.8mm.nii.gz`. */
export function coarseCopyFile(figureCopy: string): string {
  return figureCopy.replace(/1\.4mm\.nii\.gz$/, '2.8mm.nii.gz')
}

/** The figure copy's middle-slice file: `thorax-1.4mm.nii.gz` → `thorax-1.4mm-middle.nii.gz`. */
export function middleSliceFile(figureCopy: string): string {
  return figureCopy.replace(/\.nii\.gz$/, '-middle.nii.gz')
}

/**
 * A deliberately malformed NIfTI-1 file for the "bad input" examples: a valid gzip stream whose
 * 348-byte header has sizeof_hdr = 540 (the NIfTI-2 value) while carrying the NIfTI-1 magic "n+1".
 */
export function makeBadNifti(): Uint8Array {
  const hdr = new Uint8Array(352 + 8)
  const dv = new DataView(hdr.buffer)
  dv.setInt32(0, 540, true) // wrong: NIfTI-1 requires 348
  dv.setInt16(40, 3, true) // dim[0]
  dv.setInt16(42, 4, true)
  dv.setInt16(44, 4, true)
  dv.setInt16(46, 2, true)
  dv.setInt16(70, 2, true) // datatype uint8
  dv.setInt16(72, 8, true) // bitpix
  dv.setFloat32(108, 352, true) // vox_offset
  hdr.set([0x6e, 0x2b, 0x31, 0x00], 344) // "n+1\0"
  return gzipSync(hdr, { level: 9 })
}

/** File name of the figures' copy inside the series folder. */
export const FIGURE_COPY = 'thorax-1.4mm.nii.gz'

async function cli(argv: string[]): Promise<void> {
  if (argv[0] === '--bad-nifti') {
    const out = argv[1] ?? 'public/data/bad/not-a-scan.nii.gz'
    writeFileSync(out, makeBadNifti())
    console.log(`wrote ${out}`)
    return
  }
  // --if-stale: skip when the folder was made by this exact generator source (for predev/prebuild).
  const ifStale = argv.includes('--if-stale')
  const outDir = resolve(argv.find((a) => !a.startsWith('--')) ?? 'public/data/ct-thorax-phantom')
  const here = fileURLToPath(new URL('.', import.meta.url))
  const sourceHash = createHash('sha256')
    .update(readFileSync(join(here, 'make-thorax-phantom.ts')))
    .update(readFileSync(join(here, 'dicom-writer.ts')))
    .digest('hex')
  const marker = join(outDir, '.generator-sha256')
  if (ifStale && existsSync(marker) && readFileSync(marker, 'utf8').trim() === sourceHash &&
      [...Array.from({ length: NZ }, (_, a) => sliceFile(a)), FIGURE_COPY, middleSliceFile(FIGURE_COPY), coarseCopyFile(FIGURE_COPY)].every((f) => existsSync(join(outDir, f)))) {
    console.log(`${outDir} is up to date`)
    return
  }
  const t0 = performance.now()
  const res = generatePhantom({ outDir })
  await writeFigureCopy(outDir, join(outDir, FIGURE_COPY))
  writeFileSync(marker, sourceHash + '\n')
  console.log(`wrote ${res.files.length} slices + index.json to ${res.outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).catch((err) => {
    console.error(err)
    process.exit(1)
  })
}

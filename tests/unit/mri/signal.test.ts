/**
 * src/mri against tests/reference/mri/make-mri-reference.py: the closed forms re-typed in numpy
 * (1e-12), a discrete Bloch simulation in numpy (ideal pulses, spoiling, steady state; 1e-9),
 * BART 0.8.00 `bart signal` (TSE echo train exact to float32; FLASH and IR-FLASH use BART's
 * continuous Look-Locker approximation, within 1 %), and scikit-image's threshold_multiotsu on
 * Colin27 ch2bet (identical thresholds and class counts).
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  MriSignalError, TISSUE_SETS, TissueClassError, brainTissueClasses, ernstAngleDeg, gradientEchoSignal, larmorFrequencyMHz,
  mriSignal, multiOtsuThresholds, nullingInversionTime, simulateMriImage, spinEchoSignal, type MriSequence, type MriTissue,
} from '../../../src/mri/index'
import { readNifti } from '../../../src/io/index'
import { makeImage } from '../../../src/image'

const ref = JSON.parse(readFileSync(new URL('../../reference/mri/mri-reference.json', import.meta.url), 'utf8'))
type Key = 'csf' | 'gm' | 'wm'
const tissue = (set: 'brainweb' | '3T', k: Key): MriTissue => TISSUE_SETS[set].tissues[k]
const seqOf = (r: Record<string, number | string>): MriSequence =>
  r.seq === 'spin-echo' ? { kind: 'spin-echo', tr: +r.tr, te: +r.te, form: 'textbook' }
    : r.seq === 'gradient-echo' ? { kind: 'gradient-echo', tr: +r.tr, te: +r.te, flipDeg: +r.flipDeg }
      : { kind: 'inversion-recovery', tr: +r.tr, te: +r.te, ti: +r.ti }

describe('tissue sets', () => {
  it('are the numbers the reference used (BrainWeb; Stanisz 2005 WM/GM at 3 T; CSF 3 T)', () => {
    for (const set of ['brainweb', '3T'] as const) {
      for (const k of ['csf', 'gm', 'wm'] as Key[]) {
        const [pd, t1, t2, t2s] = ref.sets[set][k]
        const t = tissue(set, k)
        expect([t.pd, t.t1, t.t2, t.t2star ?? null]).toEqual([pd, t1, t2, t2s])
      }
    }
  })
})

describe('closed forms', () => {
  it('Larmor frequency: 42.58 MHz/T → 63.87 MHz at 1.5 T, 127.73 MHz at 3 T', () => {
    expect(larmorFrequencyMHz(1.5)).toBeCloseTo(63.866, 3)
    expect(larmorFrequencyMHz(3)).toBeCloseTo(127.732, 3)
  })

  it(`equal the numpy closed forms on ${ref.closedForm.length} cases (spin echo textbook form, GRE, IR; 1e-12)`, () => {
    let worst = 0
    for (const r of ref.closedForm) {
      const t = tissue(r.set, r.tissue)
      if (r.seq) worst = Math.max(worst, Math.abs(mriSignal(t, seqOf(r)) - r.signal))
      else {
        expect(ernstAngleDeg(10, t.t1)).toBeCloseTo(r.ernstDeg10, 10)
        expect(nullingInversionTime(t.t1)).toBeCloseTo(r.nullTiInf, 9)
        expect(nullingInversionTime(t.t1, 9000)).toBeCloseTo(r.nullTi9000, 9)
      }
    }
    expect(worst).toBeLessThan(1e-12)
  })

  it('the Ernst angle maximises the GRE signal; the nulling TI makes IR zero', () => {
    const wm = tissue('3T', 'wm')
    const e = ernstAngleDeg(10, wm.t1)
    const s = (f: number) => gradientEchoSignal(wm, 10, 2, f)
    expect(s(e)).toBeGreaterThan(s(e - 0.5))
    expect(s(e)).toBeGreaterThan(s(e + 0.5))
    const csf = tissue('3T', 'csf')
    expect(mriSignal(csf, { kind: 'inversion-recovery', tr: 9000, te: 100, ti: nullingInversionTime(csf.t1, 9000) })).toBeLessThan(1e-12)
  })
})

describe('discrete Bloch simulation (numpy, ideal pulses, spoiled, steady state)', () => {
  for (const seq of ['gradient-echo', 'inversion-recovery', 'spin-echo']) {
    const rows = ref.bloch.filter((r: { seq: string }) => r.seq === seq)
    it(`${seq}: ${rows.length} cases at 3 T equal the library (default form) to 1e-9`, () => {
      let worst = 0
      for (const r of rows) {
        const s = seqOf(r)
        if (s.kind === 'spin-echo') s.form = 'exact'
        worst = Math.max(worst, Math.abs(mriSignal(tissue('3T', r.tissue), s) - r.signal))
      }
      expect(worst).toBeLessThan(1e-9)
    })
  }
  it('the textbook spin-echo form is within 2 % of the Bloch result for T1- and T2-weighted settings (TE/TR ≤ 0.03), worse for TE/TR = 0.4', () => {
    for (const r of ref.bloch.filter((x: { seq: string; te: number; tr: number }) => x.seq === 'spin-echo' && x.te / x.tr <= 0.03)) {
      expect(Math.abs(spinEchoSignal(tissue('3T', r.tissue), r.tr, r.te, 'textbook') / r.signal - 1)).toBeLessThan(0.02)
    }
    const bad = ref.bloch.find((x: { seq: string; te: number; tr: number; tissue: string }) => x.seq === 'spin-echo' && x.tr === 300 && x.te === 120 && x.tissue === 'csf')
    expect(spinEchoSignal(tissue('3T', 'csf'), 300, 120, 'textbook') / bad.signal - 1).toBeGreaterThan(0.5)
  })
})

describe('BART 0.8.00 bart signal', () => {
  it('TSE echo train (-T): echo n is e^{−n·ESP/T2}, as spin echo with TR → ∞ (float32)', () => {
    const { t2, esp, signal } = ref.bart.tse
    signal.forEach((v: number, n: number) => {
      expect(Math.abs(spinEchoSignal({ pd: 1, t1: 1084, t2 }, 1e9, n * esp) - v)).toBeLessThan(1e-6)
    })
  })
  it('FLASH (-F) steady state: within 1 % of the exact discrete steady state (BART uses the continuous Look-Locker T1*)', () => {
    const { tr, flipDeg, t1, steadyState } = ref.bart.flash
    const a = (flipDeg * Math.PI) / 180
    const mzExact = gradientEchoSignal({ pd: 1, t1, t2: 1e12 }, tr, 0, flipDeg) / Math.sin(a)
    expect(Math.abs(mzExact / steadyState - 1)).toBeLessThan(0.01)
  })
  it('IR-FLASH (-F -I) with a 0.5° readout crosses zero within 1 % of T1·ln 2', () => {
    const { tr, t1, signal } = ref.bart.irflash
    const k = signal.findIndex((v: number) => v > 0)
    const tZero = (k - 1 + -signal[k - 1] / (signal[k] - signal[k - 1])) * tr
    expect(Math.abs(tZero / nullingInversionTime(t1) - 1)).toBeLessThan(0.01)
  })
})

describe('tissue classes (multi-level Otsu)', () => {
  it('Colin27 ch2bet: the thresholds and class counts of skimage.filters.threshold_multiotsu', async () => {
    const bytes = gunzipSync(readFileSync(new URL('../../../public/data/ch2bet.nii.gz', import.meta.url)))
    const img = await readNifti(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    const r = brainTissueClasses(img)
    expect(r.thresholds).toEqual(ref.classes.thresholds)
    expect(r.counts).toEqual(ref.classes.counts)
    const sim = simulateMriImage(r.classes, TISSUE_SETS['3T'].tissues, { kind: 'spin-echo', tr: 500, te: 15 })
    expect(sim.size).toEqual(img.size)
  })
  it('small cases: exactly the classes given, and errors with codes', () => {
    expect(multiOtsuThresholds([1, 1, 5, 5, 9, 9], 3)).toEqual([1, 5])
    expect(multiOtsuThresholds([0, 0, 1, 10, 11, 11, 20, 21], 3)).toEqual([1, 11])
    expect(() => multiOtsuThresholds([1, 2], 3)).toThrow(TissueClassError)
    expect(() => multiOtsuThresholds([1.5, 2, 3], 3)).toThrow(TissueClassError)
    expect(() => brainTissueClasses(makeImage([2, 2], { data: Float32Array.of(0, 1, 2, 3) }))).not.toThrow()
  })
  it('signal errors carry codes', () => {
    const t = tissue('3T', 'wm')
    const code = (f: () => unknown) => { try { f() } catch (e) { expect(e).toBeInstanceOf(MriSignalError); return (e as MriSignalError).code } return 'none' }
    expect(code(() => mriSignal(t, { kind: 'spin-echo', tr: 100, te: 200 }))).toBe('BAD_PARAMETER')
    expect(code(() => mriSignal(t, { kind: 'inversion-recovery', tr: 1000, te: 10, ti: 1000 }))).toBe('BAD_PARAMETER')
    expect(code(() => mriSignal(t, { kind: 'gradient-echo', tr: 10, te: 2, flipDeg: 0 }))).toBe('BAD_PARAMETER')
    expect(code(() => mriSignal(t, { kind: 'epi' } as never))).toBe('UNKNOWN_SEQUENCE')
    expect(code(() => mriSignal({ pd: 1, t1: -1, t2: 1 }, { kind: 'spin-echo', tr: 100, te: 10 }))).toBe('BAD_PARAMETER')
    expect(code(() => larmorFrequencyMHz(0))).toBe('BAD_PARAMETER')
  })
})

describe('simulateMriImage', () => {
  it('paints each class with its signal, times the display scale', () => {
    const cls = makeImage([4], { data: Uint8Array.of(0, 1, 2, 3) })
    const s: MriSequence = { kind: 'spin-echo', tr: 500, te: 15 }
    const t = TISSUE_SETS['3T'].tissues
    const out = simulateMriImage(cls, t, s, { scale: 1000 }).data as Float32Array
    expect(out[0]).toBe(0)
    expect(out[1]).toBeCloseTo(1000 * mriSignal(t.csf, s), 2)
    expect(out[3]).toBeCloseTo(1000 * mriSignal(t.wm, s), 2)
    expect(() => simulateMriImage(cls, t, s, { scale: 0 })).toThrow(MriSignalError)
  })
})

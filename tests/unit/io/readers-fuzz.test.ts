// The bounded fuzz of issue 13 in the suite: 2 000 seeded mutations of the DICOM and NIfTI test
// files, each read in a child process with a 10 s limit and a 1.5 GiB memory watchdog, by every
// reader of its kind. Every input must give a valid image or the library's coded error in plain
// words; each mutated DICOM file dropped into a folder with a good 5-slice series must not fail the
// folder nor displace the series; long runs: `npm run fuzz -- --count N --seed S`.
import { describe, expect, it } from 'vitest'
import { runFuzz } from '../../fuzz/readers-fuzz'

describe('reader fuzz', () => {
  it('2 000 mutated DICOM and NIfTI files: no raw error, hang, memory blow-up or invalid image', async () => {
    const r = await runFuzz({ count: 2000, seed: 20261202 })
    const report = r.failures.slice(0, 10).map((f) => `${f.seedFile} [${f.mutation}]: ${f.reason}`)
    expect(report).toEqual([])
    // Both outcomes occur, so the mutations reach past the first header check.
    expect(r.outcomes.read).toBeGreaterThan(200)
    expect(r.outcomes.refused).toBeGreaterThan(200)
  }, 900_000)
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readDicomSeries } from '../../../src/io/dicom'
import { makeProvenance, summarizeInput } from '../../../src/pipeline/provenance'
import { LIBRARY_VERSION } from '../../../src/pipeline/version'

describe('provenance', () => {
  it('summarises an input without patient data: only geometry and acquisition type', async () => {
    const ct = await readDicomSeries([new Uint8Array(readFileSync(new URL('../../../public/data/CT_small.dcm', import.meta.url)))])
    // The image's metadata does carry identifying attributes; the summary must not.
    expect([...ct.metadata.keys()]).toEqual(expect.arrayContaining(['SeriesInstanceUID', 'StudyInstanceUID']))
    const s = summarizeInput(ct, { kind: 'dicom-folder', files: 1, notes: ['Skipped 1 non-DICOM file(s): DOE_JOHN.txt'] })
    expect(s).toMatchObject({ kind: 'dicom-folder', files: 1, size: [128, 128, 1], componentType: 'int16' })
    expect(s.acquisition).toMatchObject({ Modality: 'CT', RescaleIntercept: -1024, TransferSyntaxName: 'Explicit VR Little Endian' })
    expect(s.notes[0]).toBe('Skipped 1 non-DICOM file(s)')
    const text = JSON.stringify(s)
    for (const phi of ['CompressedSamples', '1CT1', 'DOE_JOHN', ct.metadata.get('SeriesInstanceUID') as string, ct.metadata.get('StudyInstanceUID') as string]) expect(text).not.toContain(phi)
    const p = makeProvenance({ case: 'c', input: s, pipeline: { format: 'med-imaging-primer/pipeline', version: 1, name: 'x', steps: [] }, pipelineHash: 'h', runtime: { node: 'v20' }, startedAt: 'a', finishedAt: 'b', readMs: 1, writeMs: 2, steps: [], outputs: [] })
    expect(p).toMatchObject({ format: 'med-imaging-primer/provenance', version: 1, status: 'ok', library: { name: 'med-imaging-primer', version: LIBRARY_VERSION } })
  })
})

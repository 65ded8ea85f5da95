/** Sample volumes shipped in /public/data (see public/data/README.md for sources and licences). */
import { fetchAll, fetchBytes } from './site-worker'

export interface CtSample {
  id: string
  label: string
  /** A note shown under the viewer. */
  note: string
  /** Files relative to the site root, or a manifest listing a series. */
  files?: string[]
  manifest?: string
}

export const CT_SAMPLES: CtSample[] = [
  {
    id: 'thorax-phantom',
    label: 'Thorax CT phantom (synthetic series)',
    note: 'A generated phantom, not a patient: real multi-slice CT that may be redistributed is not available to this project. Tissues carry textbook Hounsfield values.',
    manifest: '/data/ct-thorax-phantom/index.json',
  },
  {
    id: 'ct-small',
    label: 'Real CT slice, 128×128 (pydicom CT_small)',
    note: 'A real CT slice from pydicom’s test files (MIT licence).',
    files: ['/data/CT_small.dcm'],
  },
  {
    id: 'head-ct-j2k',
    label: 'Real head CT slice, 512×512, JPEG 2000',
    note: 'A real head CT slice compressed with lossy JPEG 2000, decoded in your browser by ITK (itk-wasm) — from pydicom’s test files; the image itself comes from the CQ500 head-CT dataset (Qure.ai; Chilamkurthy et al. 2018): treat it as CC BY-NC-SA 4.0 (non-commercial, share-alike).',
    files: ['/data/693_J2KI.dcm'],
  },
]

/** Fetches a sample's DICOM files (following its manifest when it has one). */
export async function fetchSampleFiles(sample: CtSample, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<ArrayBuffer[]> {
  let files = sample.files ?? []
  if (sample.manifest) {
    const manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(sample.manifest, undefined, signal))) as { files: string[] }
    const dir = sample.manifest.slice(0, sample.manifest.lastIndexOf('/') + 1)
    files = manifest.files.map((f) => dir + f)
  }
  return fetchAll(files, onProgress, signal)
}

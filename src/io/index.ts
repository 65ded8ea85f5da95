export * from './dicom'
export * from './nifti'
export { identifyingReason, type IdentifyingReason } from './dicom-identifying'
export { deidentifyDicom, deidentifyDicomSeries, deidentificationCode, DUMMY_VALUES, DEID_IMPLEMENTATION_CLASS_UID, type DeidAction, type DeidChange, type DeidentifyOptions, type DeidentifyResult } from './dicom-deidentify'

export * from './dicom'
export * from './nifti'
export { identifyingReason, type IdentifyingReason } from './dicom-identifying'

export * from './dicom'
export * from './nifti'

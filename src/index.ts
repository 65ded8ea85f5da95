/**
 * med-imaging-primer: the preprocessing library behind the Medical Imaging Primer.
 * Pure TypeScript over itk-wasm-shaped images; runs in Node, in tests and in a Web Worker.
 */
export * from './image'
export * from './errors'
export * from './io/index'
export * from './intensity/index'
export * from './contrast/index'
export * from './bias/index'
export * from './spatial/index'
export * from './segment/index'
export * from './metrics/index'
export * from './pipeline/index'
export * from './physics/index'
export * from './transform/index'
export * from './pet/index'
export * from './ultrasound/index'
export * from './mri/index'
export * from './recon/index'
export * from './xray/index'
export * from './projection/index'

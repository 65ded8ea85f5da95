// MRI physics: closed-form signal equations, tissue classes and simulated contrast.
export * from './signal'
export * from './tissue-classes'
export * from './simulate'
export { fft2, ifft2, dftInPlace, complexMagnitude, KspaceError, type Fft2Options } from './kspace'
export * from './sampling'
export * from './coils'
export { MriPrepError, type MriPrepErrorCode } from './prep-errors'
export * from './kspace-lab'

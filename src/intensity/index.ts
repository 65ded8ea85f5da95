// Intensity transforms: display windowing, HU conversion, clipping and normalisation.
export * from './window'
export * from './hounsfield'
export * from './clip'
export * from './clip-stats'
export * from './normalize-min-max'
export * from './z-score'
export * from './smooth-histogram'
export * from './white-stripe'

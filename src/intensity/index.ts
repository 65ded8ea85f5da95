// Intensity transforms: display windowing, HU conversion, clipping and normalisation.
export * from './window'

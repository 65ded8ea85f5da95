/** Bias field correction: N4 (Tustison et al. 2010), a port of ITK 5.2's filter. */
export { n4BiasFieldCorrection } from './n4'
export type { N4Options, N4Result } from './n4'
/** Synthetic multiplicative bias field (TorchIO RandomBiasField's polynomial model). */
export { simulateBiasField, biasFieldTermCount } from './simulate-bias-field'
export type { SimulateBiasFieldOptions, SimulateBiasFieldResult } from './simulate-bias-field'

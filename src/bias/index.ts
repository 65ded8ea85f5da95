/** Bias field correction: N4 (Tustison et al. 2010), a port of ITK 5.2's filter. */
export { n4BiasFieldCorrection } from './n4'
export type { N4Options, N4Result } from './n4'

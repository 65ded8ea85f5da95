/** The package name and version, for provenance records (kept equal to package.json by a unit test). */
export const LIBRARY_NAME = 'med-imaging-primer'
export const LIBRARY_VERSION = '0.1.0'

// Moved to plane-slices.ts when the window/level viewer started reslicing too; this re-export
// keeps the white-stripe figure and tests/unit/demos/n4-slices.test.ts working until their
// imports move.
export * from './plane-slices'

// Filled in by the bias work; re-exports this folder's public API.
export {}

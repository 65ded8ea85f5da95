// Filled in by the io work; re-exports this folder's public API.
export {}

// Whole preprocessing recipes composed from the library's operations.
export {}

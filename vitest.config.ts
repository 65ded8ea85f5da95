import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores on CI: keep workers low so the heavy N4/CLAHE tests do not starve each other.
    maxWorkers: 2,
  },
})

import {defineConfig} from 'vitest/config'

// `npm run test:browser`: Chromium tests, one file at a time (one browser).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    fileParallelism: false,
    globalSetup: ['tests/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
})

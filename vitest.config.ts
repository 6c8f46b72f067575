import {configDefaults, defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real-browser tests run with `npm run test:browser` (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, 'tests/browser/**'],
    // A temporary folder for the run (test folders, the cache), removed at the end.
    globalSetup: ['tests/setup.ts'],
    setupFiles: ['tests/setup-worker.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})

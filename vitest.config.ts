import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // `npm test` runs the suite on the machine's Node and on Node 24: every file's line says which one ran it.
    name: `node ${process.version}`,
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers; two cores, so keep the file-level parallelism modest.
    maxWorkers: 2,
    // Removes the temporary directories the helpers make, once each file is done.
    setupFiles: ['tests/setup/remove-temp-dirs.ts'],
    outputFile: { junit: 'test-output/junit.xml' },
  },
});

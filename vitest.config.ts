import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'db/**/*.test.ts', 'models/**/*.test.ts', 'renderer/src/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['node_modules/**', 'build/**', 'e2e/**'],
    environment: 'node',
    // scrypt and SQLCipher are CPU-bound; two workers match the two cores CI has.
    maxWorkers: 2,
    testTimeout: 30_000,
    // Setup hooks open encrypted databases and derive keys; a busy machine needs more than the default 10 s.
    hookTimeout: 60_000,
  },
});

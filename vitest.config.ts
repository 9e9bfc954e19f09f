import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __LATHE_VERSION__: JSON.stringify('test') },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e tests start servers and browsers; 2-core CI machines.
    fileParallelism: true,
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __LATHE_VERSION__: JSON.stringify('test') },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for the app to react (a server answer, a redraw); vitest's 1 s default
    // is too short on a loaded 2-core machine. A poll that holds returns at once anyway.
    expect: { poll: { timeout: 10_000 } },
    // Integration and e2e tests start servers and browsers; 2-core CI machines.
    fileParallelism: true,
    maxWorkers: 2,
  },
});

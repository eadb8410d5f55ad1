import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 20_000,
    globalSetup: ['test/global-setup.ts'],
    // Each test file removes the folder its imported templates' inline code went to (src/import/index.ts).
    setupFiles: ['test/setup-inline-code.ts'],
    // Snapshots frozen as they were made, so that code which changes one throws (src/engine/simulation.ts).
    env: { LAMBDA_TUI_FREEZE_SNAPSHOTS: '1' },
  },
});

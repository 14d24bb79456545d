// Shared vitest settings: every package's tests run against sibling packages' `src/`
// through the `@latchkey/source` export condition, so no build is needed before testing.
import { defineConfig, type ViteUserConfig } from 'vitest/config';

// No `import` here: vitest applies these conditions to externalised CommonJS packages too, and
// `pg` would then load pg-pool's ESM build and fail ("Class extends value [object Module]").
const sourceConditions = ['@latchkey/source', 'module', 'node', 'default'];

export function packageTestConfig(name: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@latchkey/source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      environment: 'node',
      reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      testTimeout: 30_000,
      ...overrides,
    },
  });
}

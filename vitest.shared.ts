// Shared vitest settings: every package's tests run against sibling packages' `src/`
// through the `@latchkey/source` export condition, so no build is needed before testing.
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const sourceConditions = ['@latchkey/source', 'import', 'module', 'node', 'default'];

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

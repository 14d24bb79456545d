// Workspace lint rules. Module boundaries: arrows point inward only.
//   layer:core     may import core
//   layer:service  may import core, service
//   layer:adapter  may import core, service
//   layer:edge     may import core, service, adapter
//   layer:app      may import anything
// Core packages must also not import Node I/O built-ins (Nx's banned-imports rule does not
// catch `node:fs`), so those are listed in `no-restricted-imports` for core sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const nodeIo = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'tls', 'cluster', 'worker_threads', 'process', 'os', 'readline'];
const bannedIo = nodeIo.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/test-results/**', '**/.nx/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          enforceBuildableLibDependency: false,
          // Dynamic imports here keep a Node command's start-up light (the CLI loads the server
          // only for `latchkey server`); the lazy-loading rule is about browser bundle splitting.
          checkDynamicDependenciesExceptions: ['@latchkey/**'],
          depConstraints: [
            { sourceTag: 'layer:core', onlyDependOnLibsWithTags: ['layer:core'] },
            { sourceTag: 'layer:service', onlyDependOnLibsWithTags: ['layer:core', 'layer:service'] },
            { sourceTag: 'layer:adapter', onlyDependOnLibsWithTags: ['layer:core', 'layer:service'] },
            { sourceTag: 'layer:edge', onlyDependOnLibsWithTags: ['layer:core', 'layer:service', 'layer:adapter'] },
            { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:core', 'layer:service', 'layer:adapter', 'layer:edge', 'layer:app'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The pure core: no network, filesystem or process I/O.
    files: ['packages/{errors,policy,model,sigv4,keyring,aws-query,store,iam}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: bannedIo.map((name) => ({ name, message: 'core packages do no I/O: take it as an injected dependency' })) }],
      'no-restricted-globals': ['error', { name: 'process', message: 'core packages do no process I/O: inject configuration' }],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/bench/**/*.ts', '**/vitest.config.ts', 'vitest.shared.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Build and test configuration reaches the workspace root's shared settings by path.
    files: ['**/vitest.config.ts', 'vitest.shared.ts', 'eslint.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);

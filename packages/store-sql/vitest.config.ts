import { packageTestConfig } from '../../vitest.shared.js';

// The shared source conditions include `import`, which vitest also applies to externalised CJS
// packages: `pg` then `require()`s pg-pool's ESM build and fails ("Class extends value [object
// Module]"). Dropping `import` keeps the `@latchkey/source` resolution and loads pg as CJS.
// (Assigned, not merged: mergeConfig would concatenate the condition arrays.)
const conditions = ['@latchkey/source', 'module', 'node', 'default'];
const config = packageTestConfig('store-sql', { testTimeout: 30_000, hookTimeout: 30_000 });
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };

export default config;

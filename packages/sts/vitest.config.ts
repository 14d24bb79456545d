import { packageTestConfig } from '../../vitest.shared.js';

// As in store-sql (whose SQLite store the tests open): without the `import` condition, `pg`
// (imported by store-sql) loads as CommonJS instead of failing on pg-pool's ESM build.
const conditions = ['@latchkey/source', 'module', 'node', 'default'];
const config = packageTestConfig('sts');
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };

export default config;

import { packageTestConfig } from '../../vitest.shared.js';

// As in store-sql (whose SQLite store the tests open): without the `import` condition, `pg`
// (imported by store-sql) loads as CommonJS instead of failing on pg-pool's ESM build. Without
// `module` too (as in apps/server): under it vite resolves @aws-sdk/* and @smithy/* to their
// dist-es builds, whose extensionless imports Node's ESM loader cannot load.
const conditions = ['@latchkey/source', 'node', 'default'];
const config = packageTestConfig('iam');
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };

export default config;

import { packageTestConfig } from '../../vitest.shared.js';

// Neither `module` (vite would resolve @aws-sdk/* and @smithy/* to their dist-es builds, whose
// extensionless imports Node's ESM loader cannot load) nor `import` (vitest would then make `pg`,
// opened by store-sql, require pg-pool's ESM build): both load as CommonJS, sources stay TS.
const conditions = ['@latchkey/source', 'node', 'default'];
// Files share one module graph per worker (isolate: false): every e2e file loads the AWS SDK, Express
// and the whole service, and loading them again per file costs more than the tests themselves.
const config = packageTestConfig('server', { testTimeout: 30_000, hookTimeout: 30_000, isolate: false });
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };
export default config;

import { packageTestConfig } from '../../vitest.shared.js';

// As in apps/server: without `module` (vite would resolve @aws-sdk/* and @smithy/*, which the
// server pulls in, to their dist-es builds, whose extensionless imports Node's ESM loader cannot
// load) and without `import` (pg would load pg-pool's ESM build). `latchkey audit` loads the
// server's storage configuration in process.
const conditions = ['@latchkey/source', 'node', 'default'];
const config = packageTestConfig('cli');
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };
export default config;

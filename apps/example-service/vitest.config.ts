import { packageTestConfig } from '../../vitest.shared.js';

// Same resolution as apps/server: AWS SDK packages load as CommonJS, workspace packages from src.
const conditions = ['@latchkey/source', 'node', 'default'];
const config = packageTestConfig('example-service', { testTimeout: 60_000, hookTimeout: 60_000 });
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };
export default config;

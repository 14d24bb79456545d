import { packageTestConfig } from '../../vitest.shared.js';

const config = packageTestConfig('sigv4');
// Without the `module` condition: with it, vite resolves @smithy/* (a test dependency) to their
// dist-es builds, whose extensionless imports Node's ESM loader cannot load.
const conditions = ['@latchkey/source', 'import', 'node', 'default'];
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };

export default config;

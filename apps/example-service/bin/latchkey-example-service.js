#!/usr/bin/env node
// The `latchkey-example-service` command. The TypeScript sources are built by the workspace's
// `prepare` script (run by `npm ci`/`npm install`), so the compiled entry point exists after install.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('latchkey-example-service: not built yet; run `npm run build` at the workspace root.\n');
  process.exit(2);
}
await import(entry.href);

import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVICE_MAIN } from './helpers/processes.js';

const TSX = resolve(dirname(fileURLToPath(import.meta.url)), '../../../node_modules/tsx/dist/loader.mjs');

function run(args: string[], env: Record<string, string>): { status: number | null; stderr: string } {
  const base = { ...process.env };
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'LATCHKEY_ENDPOINT']) delete base[k];
  const r = spawnSync(process.execPath, ['--conditions=@latchkey/source', '--import', TSX, SERVICE_MAIN, ...args], { env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('latchkey-example-service (process)', () => {
  it('exits 2 with a message and the usage for a configuration mistake, and when it has no credentials of its own', () => {
    const noEndpoint = run([], {});
    expect(noEndpoint.status).toBe(2);
    expect(noEndpoint.stderr).toContain('--latchkey-endpoint (or LATCHKEY_ENDPOINT) is required');
    expect(noEndpoint.stderr).toContain('Usage: latchkey-example-service');
    const noCredentials = run(['--latchkey-endpoint', 'http://127.0.0.1:1'], { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' });
    expect(noCredentials.status).toBe(2);
    expect(noCredentials.stderr).toContain('no credentials for the service itself');
  });
});

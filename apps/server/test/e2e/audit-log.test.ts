import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../src/server-config.js';
import type { RunningServer } from '../../src/start-server.js';
import { startTestProcessServer } from '../helpers/start-test-process-server.js';

const ROOT = { accessKeyId: 'AKIAIOSFODNN7AUDITLG', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYAUDITLOGKEY' };

describe('latchkey server --audit-log and --strict-policies', () => {
  let dir: string;
  let running: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-log-'));
    running = await startTestProcessServer(
      dir,
      { accountId: '414141414141', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey },
      { auditLog: join(dir, 'audit.jsonl'), strictPolicies: true },
    );
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is parsed from the command line and the environment', () => {
    expect(parseServerConfig(['--strict-policies'], {}, dir).strictPolicies).toBe(true);
    expect(parseServerConfig([], { LATCHKEY_STRICT_POLICIES: 'true' }, dir).strictPolicies).toBe(true);
    expect(parseServerConfig([], {}, dir).strictPolicies).toBeUndefined();
    expect(parseServerConfig(['--audit-log', '-'], {}, dir).auditLog).toBe('-');
    expect(parseServerConfig([], { LATCHKEY_AUDIT_LOG: '/var/log/latchkey-audit.jsonl' }, dir).auditLog).toBe('/var/log/latchkey-audit.jsonl');
    expect(parseServerConfig([], {}, dir).auditLog).toBeUndefined();
  });

  it('mirrors every stored record as a JSON line in a 0600 file, secrets removed (and --strict-policies refuses risky documents)', async () => {
    const iam = new IAMClient({ endpoint: `http://127.0.0.1:${running.port}`, region: 'us-east-1', credentials: ROOT });
    await iam.send(new CreateUserCommand({ UserName: 'dana' }));
    const risky = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] });
    const refused = await iam.send(new PutUserPolicyCommand({ UserName: 'dana', PolicyName: 'risky', PolicyDocument: risky })).then(
      () => undefined,
      (e: { name: string }) => e,
    );
    expect(refused?.name).toBe('MalformedPolicyDocumentException');
    iam.destroy();
    await running.close();
    const file = join(dir, 'audit.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { eventName: string; seq: number; hash: string });
    expect(lines.map((l) => l.eventName)).toContain('CreateUser');
    expect(lines.every((l) => typeof l.hash === 'string' && l.seq > 0)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain(ROOT.secretAccessKey);
  });
});

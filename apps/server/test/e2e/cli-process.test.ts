import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand, GetUserCommand, IAMClient, ListUserTagsCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { accountCreateMain, accountListMain, initMain } from '../../src/commands.js';
import { PG_URL, dropSchema, pgSchemaUrl } from '../helpers/pg-env.js';
import { runCli, spawnCliServer, type SpawnedServer } from '../helpers/spawn-cli.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'latchkey-server-e2e-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function capture(cwd: string) {
  let out = '';
  let err = '';
  return { io: { cwd, stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) } }, out: () => out, err: () => err };
}

function client(url: string, accessKeyId: string, secretAccessKey: string): IAMClient {
  return new IAMClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}

const ROOT_KEY = 'AKIACRASHTEST0000001';
const ROOT_SECRET = 'crash/Test+Secret0123456789abcdefghijklm';
const ACCOUNT = '210987654321';
interface Creds {
  id: string;
  secret: string;
}
const KNOWN_CREDS: Creds = { id: ROOT_KEY, secret: ROOT_SECRET };
const KNOWN = { LATCHKEY_ACCOUNT_ID: ACCOUNT, LATCHKEY_ROOT_ACCESS_KEY_ID: ROOT_KEY, LATCHKEY_ROOT_SECRET_ACCESS_KEY: ROOT_SECRET };

describe('the latchkey CLI (real processes)', () => {
  it('init creates the data dir, a 0600 key file and an account; account create/list; the server serves it, survives SIGKILL mid-write with every acknowledged write, stops on SIGTERM', async () => {
    const cwd = tempDir();
    const init = await runCli(['init'], {}, cwd);
    expect(init.code).toBe(0);
    const accountId = /Account (\d{12})/.exec(init.stdout)?.[1];
    const keyId = /Root access key id:\s+(AKIA[A-Z0-9]+)/.exec(init.stdout)?.[1];
    const secret = /Root secret access key: (\S+)/.exec(init.stdout)?.[1];
    expect(accountId).toMatch(/^\d{12}$/);
    expect(secret).toHaveLength(40);
    expect(statSync(join(cwd, '.latchkey', 'master.key')).mode & 0o777).toBe(0o600);
    expect(init.stderr).toContain('generated a master key');
    // The other commands in-process (same entry points the CLI calls; spawning each costs seconds).
    const again = capture(cwd);
    expect(await initMain([], again.io)).toBe(0);
    expect(again.out()).toContain('Already initialised');
    const created = capture(cwd);
    expect(await accountCreateMain(['--json'], created.io)).toBe(0);
    const second = JSON.parse(created.out()) as { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
    const list = capture(cwd);
    expect(await accountListMain(['--json'], list.io)).toBe(0);
    const listed = JSON.parse(list.out()) as { AccountId: string }[];
    expect(listed.map((a) => a.AccountId).sort()).toEqual([accountId, second.AccountId].sort());

    const server = await spawnCliServer([], {}, cwd);
    expect(server.stderr()).toContain(`export AWS_ENDPOINT_URL=${server.url}`);
    // Not the first start: no secret is printed again.
    expect(server.stderr()).not.toContain(secret);
    const me = await client(server.url, keyId!, secret!).send(new GetUserCommand({}));
    expect(me.User?.Arn).toBe(`arn:aws:iam::${accountId}:root`);
    // Accounts are isolated: the second root sees only its own users.
    await client(server.url, keyId!, secret!).send(new CreateUserCommand({ UserName: 'only-in-first' }));
    expect((await client(server.url, second.AccessKeyId, second.SecretAccessKey).send(new ListUsersCommand({}))).Users).toEqual([]);

    // Crash safety on SQLite: SIGKILL during a stream of writes, restart, check.
    const creds = { id: keyId!, secret: secret! };
    const acked = await writeUntilKilled(server, 20, creds);
    const restarted = await spawnCliServer([], {}, cwd);
    try {
      await verifyAfterRestart(restarted, acked, creds);
    } finally {
      restarted.child.kill('SIGTERM');
    }
    // Graceful shutdown on SIGTERM: exit 0 after the last log line.
    expect(await restarted.exited).toEqual({ code: 0, signal: null });
    const logs = server.stdout() + restarted.stdout();
    expect(logs).toContain('"msg":"stopped"');
    for (const s of [secret!, second.SecretAccessKey]) expect(logs).not.toContain(s);
  });
});

/** Streams CreateUser (each with two tags: one transaction) until `killAfter` are acknowledged, then SIGKILLs. */
async function writeUntilKilled(server: SpawnedServer, killAfter: number, creds: Creds = KNOWN_CREDS): Promise<string[]> {
  const iam = client(server.url, creds.id, creds.secret);
  const acked: string[] = [];
  let next = 0;
  let killed = false;
  const worker = async (): Promise<void> => {
    while (!killed) {
      const name = `w-${next++}`;
      try {
        await iam.send(new CreateUserCommand({ UserName: name, Path: '/crash/', Tags: [{ Key: 'a', Value: name }, { Key: 'b', Value: 'x' }] }));
        acked.push(name);
        if (acked.length >= killAfter && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      } catch {
        // Requests in flight when the process died: not acknowledged, may or may not exist.
        if (!killed) throw new Error(`write ${name} failed before the kill`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  expect((await server.exited).signal).toBe('SIGKILL');
  iam.destroy();
  return acked;
}

async function verifyAfterRestart(server: SpawnedServer, acked: readonly string[], creds: Creds = KNOWN_CREDS): Promise<void> {
  const iam = client(server.url, creds.id, creds.secret);
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListUsersCommand({ PathPrefix: '/crash/', MaxItems: 1000, ...(marker === undefined ? {} : { Marker: marker }) }));
    names.push(...page.Users!.map((u) => u.UserName!));
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  for (const name of acked) expect(names).toContain(name);
  // Nothing half-written: every user that exists has both of its tags.
  for (const name of names) {
    const tags = (await iam.send(new ListUserTagsCommand({ UserName: name }))).Tags;
    expect(tags).toEqual([{ Key: 'a', Value: name }, { Key: 'b', Value: 'x' }]);
  }
  iam.destroy();
}

describe('crash safety on PostgreSQL (SIGKILL during a stream of writes)', () => {
  it.skipIf(PG_URL === undefined)('keeps every acknowledged write and no half-written user on PostgreSQL', async () => {
    const { url, schema } = pgSchemaUrl(PG_URL!);
    const cwd = tempDir();
    try {
      const first = await spawnCliServer(['--database-url', url], KNOWN, cwd);
      // A first start with known root credentials: the account is created, the supplied secret never echoed.
      expect(first.stderr()).toContain(`Created account ${ACCOUNT} with root access key ${ROOT_KEY}`);
      expect(first.stderr()).not.toContain(ROOT_SECRET);
      const acked = await writeUntilKilled(first, 20);
      const second = await spawnCliServer(['--database-url', url], KNOWN, cwd);
      try {
        await verifyAfterRestart(second, acked);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await dropSchema(PG_URL!, schema);
    }
  });
});

import { mkdtempSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XmlMap } from '@latchkey/aws-query';
import { generateMasterKey } from '@latchkey/keyring';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePolicyDocuments } from '../src/encode-policy-documents.js';
import { loadKeyring } from '../src/master-key-file.js';
import { requestIdFrom, requestIdSource } from '../src/request-id.js';
import { ConfigError, DEFAULT_PORT, parseServerConfig, storeUrlOf } from '../src/server-config.js';
import { random } from './helpers/in-process-server.js';

describe('requestIdFrom', () => {
  it('formats 16 random bytes as a version-4 UUID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const id = requestIdFrom(() => Uint8Array.from(bytes));
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
    );
  });
  it('draws ids in batches from the random source, each distinct and well-formed', () => {
    let calls = 0;
    let counter = 0;
    const next = requestIdSource((n) => {
      calls++;
      return Uint8Array.from({ length: n }, () => counter++ & 0xff);
    }, 4);
    const ids = Array.from({ length: 9 }, () => next());
    expect(calls).toBe(3);
    expect(new Set(ids).size).toBe(9);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('refuses a random source that returns the wrong length', () => {
    expect(() => requestIdFrom(() => new Uint8Array(8))).toThrow(TypeError);
  });
});

describe('encodePolicyDocuments', () => {
  it('URL-encodes the policy document members wherever they are nested and leaves everything else', () => {
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::a/b c"}]}';
    const created = new Date(0);
    const out = encodePolicyDocuments({
      Role: { RoleName: 'r', AssumeRolePolicyDocument: doc, CreateDate: created },
      UserDetailList: [{ UserName: 'u', UserPolicyList: [{ PolicyName: 'p', PolicyDocument: doc }] }],
      Map: new XmlMap([['PolicyDocument', 'x y']]),
      Document: doc,
    });
    const role = out.Role as Record<string, unknown>;
    expect(role.AssumeRolePolicyDocument).toBe(encodeURIComponent(doc).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
    expect(role.CreateDate).toBe(created);
    expect(out.Document).toContain('%2F');
    const nested = ((out.UserDetailList as Record<string, unknown>[])[0]!.UserPolicyList as Record<string, unknown>[])[0]!;
    expect(decodeURIComponent(nested.PolicyDocument as string)).toBe(doc);
    // Map entries are data, not members: left alone.
    expect((out.Map as XmlMap).entries).toEqual([['PolicyDocument', 'x y']]);
  });
});

describe('parseServerConfig', () => {
  it('uses the defaults: port 4566 on loopback, ./.latchkey, SQLite in it', () => {
    const c = parseServerConfig([], {}, '/work');
    expect(c).toMatchObject({ port: DEFAULT_PORT, host: '127.0.0.1', dataDir: '/work/.latchkey', logLevel: 'info', given: {} });
    expect(storeUrlOf(c)).toBe('sqlite:/work/.latchkey/latchkey.db');
  });
  it('takes options before the environment', () => {
    const env = { LATCHKEY_DATABASE_URL: 'postgres://x@h/db', LATCHKEY_PORT: '1000', LATCHKEY_MASTER_KEY: 'k:abc' };
    const c = parseServerConfig(['--port', '0', '--data-dir', 'd'], env, '/w');
    expect(c).toMatchObject({ port: 0, dataDir: '/w/d', databaseUrl: 'postgres://x@h/db', masterKey: 'k:abc' });
    expect(storeUrlOf(c)).toBe('postgres://x@h/db');
  });
  it('reads known root credentials and refuses half of a pair', () => {
    const given = parseServerConfig([], { LATCHKEY_ACCOUNT_ID: '123456789012', LATCHKEY_ROOT_ACCESS_KEY_ID: 'AKIAX', LATCHKEY_ROOT_SECRET_ACCESS_KEY: 's' }, '/').given;
    expect(given).toEqual({ accountId: '123456789012', rootAccessKeyId: 'AKIAX', rootSecretAccessKey: 's' });
    expect(() => parseServerConfig([], { LATCHKEY_ROOT_ACCESS_KEY_ID: 'AKIAX' }, '/')).toThrow(ConfigError);
  });
  it.each([
    [['--port', '70000']],
    [['--port', 'http']],
    [['--log-level', 'loud']],
    [['--database-url', 'mysql://x']],
    [['--nope']],
  ])('refuses %j with a ConfigError', (args) => {
    expect(() => parseServerConfig(args, {}, '/')).toThrow(ConfigError);
  });
});

describe('loadKeyring', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'latchkey-key-'));
    dirs.push(d);
    return d;
  };

  it('generates a 0600 key file once with a warning, then reads it back', async () => {
    const d = dir();
    const warnings: string[] = [];
    const first = await loadKeyring({ dataDir: d, random, warn: (m) => warnings.push(m) });
    expect(first.source).toBe('generated');
    expect(statSync(join(d, 'master.key')).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    const second = await loadKeyring({ dataDir: d, random, warn: (m) => warnings.push(m) });
    expect(second.source).toBe('file');
    expect(second.keyring.toJSON()).toEqual(first.keyring.toJSON());
    const ct = first.keyring.encrypt('s', 'aad');
    expect(second.keyring.decryptString(ct, 'aad')).toBe('s');
  });

  it('tightens a key file readable by others and warns', async () => {
    const d = dir();
    writeFileSync(join(d, 'master.key'), `${generateMasterKey(random)}\n`);
    chmodSync(join(d, 'master.key'), 0o644);
    const warnings: string[] = [];
    await loadKeyring({ dataDir: d, random, warn: (m) => warnings.push(m) });
    expect(statSync(join(d, 'master.key')).mode & 0o777).toBe(0o600);
    expect(warnings[0]).toContain('readable by other users');
  });

  it('prefers LATCHKEY_MASTER_KEY and then touches no file', async () => {
    const d = join(dir(), 'absent');
    const k = await loadKeyring({ dataDir: d, random, warn: () => undefined, masterKey: generateMasterKey(random, { id: 'env1' }) });
    expect(k.source).toBe('environment');
    expect(k.keyring.toJSON().primaryKeyId).toBe('env1');
    expect(() => statSync(d)).toThrow();
  });
});

describe('readBody', () => {
  it('answers IncompleteBody when the client goes away mid-body, RequestEntityTooLarge above the limit', async () => {
    const { PassThrough } = await import('node:stream');
    const { readBody } = await import('../src/read-body.js');
    const aborted = Object.assign(new PassThrough(), { headers: {} });
    const pending = readBody(aborted as never, 100);
    aborted.write('Action=');
    aborted.emit('error', Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await expect(pending).rejects.toMatchObject({ code: 'IncompleteBody', status: 400 });
    const big = Object.assign(new PassThrough(), { headers: {} });
    const tooBig = readBody(big as never, 10);
    big.end('x'.repeat(11));
    await expect(tooBig).rejects.toMatchObject({ code: 'RequestEntityTooLarge', status: 413 });
    const declared = Object.assign(new PassThrough(), { headers: { 'content-length': '11' } });
    await expect(readBody(declared as never, 10)).rejects.toMatchObject({ code: 'RequestEntityTooLarge' });
    const ok = Object.assign(new PassThrough(), { headers: {} });
    const body = readBody(ok as never, 10);
    ok.write('ab');
    ok.end('cd');
    expect((await body).toString()).toBe('abcd');
  });
});

describe('configuration mistakes at start', () => {
  it('reports a malformed LATCHKEY_MASTER_KEY as a ConfigError without echoing it', async () => {
    const { loadKeyring } = await import('../src/master-key-file.js');
    const bad = 'k1:not-a-key-at-all';
    const err = await loadKeyring({ dataDir: '/nonexistent', random, warn: () => undefined, masterKey: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^LATCHKEY_MASTER_KEY: /);
    expect((err as Error).message).not.toContain('not-a-key-at-all');
  });

  it('reports an invalid LATCHKEY_ACCOUNT_ID or root key as a ConfigError and creates nothing', async () => {
    const { bootstrapAccount } = await import('../src/bootstrap-account.js');
    const { openStore } = await import('@latchkey/store-sql');
    const { Keyring } = await import('@latchkey/keyring');
    const store = await openStore({ url: 'sqlite::memory:' });
    try {
      const keyring = Keyring.fromText(generateMasterKey(random), { random });
      const deps = { store, keyring, random, now: new Date() };
      await expect(bootstrapAccount(deps, { accountId: '12345' })).rejects.toBeInstanceOf(ConfigError);
      await expect(bootstrapAccount(deps, { rootAccessKeyId: 'ASIA0000000000000000', rootSecretAccessKey: 's'.repeat(40) })).rejects.toBeInstanceOf(ConfigError);
      expect((await store.read((r) => r.accounts.list({ maxItems: 10 }))).items).toEqual([]);
      const created = await bootstrapAccount(deps, {});
      expect(created.created).toBe(true);
      expect(await bootstrapAccount(deps, {})).toEqual({ created: false, accountIds: [created.created ? created.account.accountId : ''] });
    } finally {
      await store.close();
    }
  });
});

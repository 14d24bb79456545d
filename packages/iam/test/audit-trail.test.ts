import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAwsError } from '@latchkey/errors';
// The chain verifier is the SQL adapter's (tests only; the service sees the ports).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openStore, verifyAuditChain } from '@latchkey/store-sql';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidV7 } from '../src/audit/audit-trail.js';
import { AuditTrail, queryAudit, type AuditEvent, type AuditLine, type Caller } from '../src/index.js';
import { ACCOUNT, allow, fixture, params, random, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let sinkLines: string[];
let trail: AuditTrail;
beforeEach(async () => {
  f = await fixture();
  sinkLines = [];
  trail = new AuditTrail({ store: f.store, random, sink: (line) => sinkLines.push(line) });
});
afterEach(async () => {
  await f.close();
});

/** Runs an IAM call the way the server will and records it, whatever the outcome. */
async function audited(action: string, values: Record<string, string>, caller: Caller): Promise<{ output?: unknown; error?: { code: string } }> {
  const env = f.env({ userAgent: 'aws-sdk-js/3 test' });
  const event: Omit<AuditEvent, 'response' | 'error'> = {
    at: env.now,
    requestId: env.requestId,
    service: 'iam',
    action,
    caller,
    sourceIp: env.sourceIp!,
    userAgent: env.userAgent!,
    params: params(action, values).params,
    readOnly: f.iam.operation(action)?.readOnly ?? false,
  };
  try {
    const output = await f.iam.invoke(action, params(action, values), caller, env);
    await trail.record({ ...event, response: output });
    return { output };
  } catch (err) {
    if (!isAwsError(err)) throw err;
    await trail.record({ ...event, error: { code: err.code, message: err.message } });
    return { error: err };
  }
}

async function all(filter: Parameters<typeof queryAudit>[1] = {}): Promise<AuditLine[]> {
  const out: AuditLine[] = [];
  for await (const line of queryAudit(f.store, filter, 2)) out.push(line);
  return out;
}

/** Every text the store's audit table holds, raw. */
async function storedText(): Promise<string> {
  const page = await f.store.read((r) => r.audit.query({ maxItems: 1000 }));
  return JSON.stringify(page.items);
}

describe('AuditTrail', () => {
  it('records allowed and denied calls with CloudTrail fields and no secret anywhere', async () => {
    const password = 'Sup3r-Secret-Passw0rd!';
    const created = await audited('CreateUser', { UserName: 'alice' }, f.root);
    expect(created.error).toBeUndefined();
    await audited('CreateLoginProfile', { UserName: 'alice', Password: password }, f.root);
    const key = (await audited('CreateAccessKey', { UserName: 'alice' }, f.root)).output as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    const mallory = await f.user('mallory', allow('iam:GetUser'));
    const denied = await audited('CreateUser', { UserName: 'eve' }, mallory);
    expect(denied.error?.code).toBe('AccessDenied');

    const lines = await all();
    expect(lines.map((l) => [l.eventName, l.errorCode ?? 'ok'])).toEqual([
      ['CreateUser', 'ok'],
      ['CreateLoginProfile', 'ok'],
      ['CreateAccessKey', 'ok'],
      ['CreateUser', 'AccessDenied'],
    ]);
    const first = lines[0]!;
    expect(first).toMatchObject({
      eventSource: 'iam.amazonaws.com',
      eventVersion: '1.08',
      userIdentity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: f.rootKeyId },
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-sdk-js/3 test',
      requestParameters: { UserName: 'alice' },
      readOnly: false,
      recipientAccountId: ACCOUNT,
    });
    expect((first.responseElements as { User: { UserName: string } }).User.UserName).toBe('alice');
    const deniedLine = lines[3]!;
    expect(deniedLine.userIdentity).toMatchObject({ type: 'IAMUser', userName: 'mallory', arn: mallory.arn });
    expect(deniedLine.errorMessage).toContain('is not authorized to perform: iam:CreateUser');
    expect(deniedLine.responseElements).toBeNull();
    // The key's id is recorded (it identifies), its secret never is.
    expect(JSON.stringify(lines[2]!.responseElements)).toContain(key.AccessKey.AccessKeyId);

    const stored = await storedText();
    for (const secret of [password, key.AccessKey.SecretAccessKey, f.rootSecret]) {
      expect(stored).not.toContain(secret);
      expect(sinkLines.join('\n')).not.toContain(secret);
    }
    expect(sinkLines).toHaveLength(4);
    expect(JSON.parse(sinkLines[0]!)).toMatchObject({ eventName: 'CreateUser', seq: lines[0]!.seq });
  });

  it('removes MFA codes, seeds and session credentials from parameters and responses', async () => {
    const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await trail.record({
      at: new Date(f.clock.now),
      requestId: 'r-sts',
      service: 'sts',
      action: 'AssumeRole',
      caller: f.root,
      params: { Action: 'AssumeRole', RoleArn: 'arn:aws:iam::111122223333:role/x', SerialNumber: 'arn:aws:iam::111122223333:mfa/d', TokenCode: '123456' },
      response: { Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'temp-secret-value', SessionToken: 'session-token-value', Expiration: new Date(0) } },
    });
    await trail.record({
      at: new Date(f.clock.now),
      requestId: 'r-mfa',
      service: 'iam',
      action: 'EnableMFADevice',
      caller: f.root,
      params: new Map([['AuthenticationCode1', '654321'], ['AuthenticationCode2', '987654'], ['UserName', 'bob']]),
      response: { VirtualMFADevice: { SerialNumber: 'arn:mfa', Base32StringSeed: new TextEncoder().encode(seed), QRCodePNG: new Uint8Array([1, 2, 3]) } },
    });
    const stored = await storedText();
    for (const secret of ['123456', 'temp-secret-value', 'session-token-value', '654321', '987654', seed, Buffer.from(seed).toString('base64')]) expect(stored).not.toContain(secret);
    const [sts, mfa] = await all();
    expect(sts).toMatchObject({ eventSource: 'sts.amazonaws.com', requestParameters: { TokenCode: '[REDACTED]', SerialNumber: 'arn:aws:iam::111122223333:mfa/d' } });
    expect(sts!.responseElements).toEqual({ Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: '[REDACTED]', SessionToken: '[REDACTED]', Expiration: '1970-01-01T00:00:00.000Z' } });
    expect(mfa!.requestParameters).toEqual({ AuthenticationCode1: '[REDACTED]', AuthenticationCode2: '[REDACTED]', UserName: 'bob' });
  });

  it('records authentication failures with the key id and no caller', async () => {
    await trail.record({
      at: new Date(f.clock.now),
      requestId: 'r-auth',
      service: 'iam',
      action: 'ListUsers',
      accountId: ACCOUNT,
      accessKeyId: 'AKIAFORGED000000000',
      params: { Action: 'ListUsers', 'X-Amz-Signature': 'deadbeef', 'X-Amz-Credential': 'AKIAFORGED000000000/20261127/us-east-1/iam/aws4_request' },
      error: { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' },
      authenticationFailure: true,
    });
    const [line] = await all({ outcome: 'failure' });
    expect(line).toMatchObject({
      userIdentity: { type: 'Unknown', accessKeyId: 'AKIAFORGED000000000' },
      errorCode: 'SignatureDoesNotMatch',
      authenticationFailure: true,
      recipientAccountId: ACCOUNT,
    });
    expect(JSON.stringify(line)).not.toContain('deadbeef');
  });

  it('describes role sessions with their issuer, source identity and MFA flag', async () => {
    const session: Caller = {
      kind: 'assumed-role',
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/ci`,
      userId: 'AROAEXAMPLEROLE00001:ci',
      identity: { kind: 'role', id: 'AROAEXAMPLEROLE00001', name: 'Deploy', arn: `arn:aws:iam::${ACCOUNT}:role/Deploy` },
      accessKeyId: 'ASIAEXAMPLE000000001',
      session: { issuedAt: new Date(f.clock.now), expiresAt: new Date(f.clock.now + 3_600_000), mfaAuthenticatedAt: new Date(f.clock.now), sourceIdentity: 'alice@example.com' },
    };
    const line = await trail.record({ at: new Date(f.clock.now), requestId: 'r1', service: 'iam', action: 'GetUser', caller: session, params: {}, readOnly: true, response: { User: {} } });
    expect(line.userIdentity).toEqual({
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEROLE00001:ci',
      arn: session.arn,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLE000000001',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLE00001', arn: `arn:aws:iam::${ACCOUNT}:role/Deploy`, accountId: ACCOUNT, userName: 'Deploy' },
        attributes: { creationDate: '2026-11-27T20:00:00Z', mfaAuthenticated: 'true' },
        sourceIdentity: 'alice@example.com',
      },
    });
    // Read-only calls keep no response elements (as CloudTrail).
    expect(line.responseElements).toBeNull();
    expect(line.readOnly).toBe(true);
  });

  it('filters by time, principal, action and outcome', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    await audited('ListUsers', {}, bob);
    f.clock.now += 60_000;
    await audited('CreateUser', { UserName: 'x' }, bob);
    await audited('CreateUser', { UserName: 'y' }, f.root);
    const t1 = new Date(f.clock.now);
    expect((await all({ principalArn: bob.arn })).map((l) => l.eventName)).toEqual(['ListUsers', 'CreateUser']);
    expect((await all({ action: 'CreateUser' })).length).toBe(2);
    expect((await all({ action: 'iam:createuser' })).length).toBe(0); // qualified names match exactly
    expect((await all({ action: 'iam:CreateUser', outcome: 'success' })).map((l) => l.requestParameters)).toEqual([{ UserName: 'y' }]);
    expect((await all({ since: t1 })).length).toBe(2);
    expect((await all({ until: t1 })).map((l) => l.eventName)).toEqual(['ListUsers']);
    expect((await all({ accountId: ACCOUNT })).length).toBe(3);
    expect(await all({ accountId: '444455556666' })).toEqual([]);
  });
});

describe('AuditTrail group commit', () => {
  it('stores concurrent records, each once, in one intact chain, mirrored in commit order', async () => {
    const lines = await Promise.all(
      Array.from({ length: 60 }, (_, i) => trail.record({ at: new Date(f.clock.now), requestId: `c${i}`, service: 'iam', action: 'GetUser', caller: f.root, params: { UserName: `u${i}` }, readOnly: true })),
    );
    expect(new Set(lines.map((l) => l.seq)).size).toBe(60);
    expect(lines.map((l) => l.requestID)).toEqual(Array.from({ length: 60 }, (_, i) => `c${i}`));
    expect((await all()).length).toBe(60);
    expect(await verifyAuditChain(f.store)).toMatchObject({ ok: true, records: 60 });
    expect(sinkLines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
  });

  it('flush resolves only once every record handed to it is stored', async () => {
    for (let i = 0; i < 20; i++) void trail.record({ at: new Date(f.clock.now), requestId: `f${i}`, service: 'iam', action: 'GetUser', caller: f.root, params: {}, readOnly: true });
    await trail.flush();
    expect((await all()).length).toBe(20);
    await trail.flush(); // nothing queued: resolves at once
  });

  it('gathers deferred records into one commit, and an urgent record or flush commits them at once', async () => {
    const deferred = Array.from({ length: 10 }, (_, i) =>
      trail.record({ at: new Date(f.clock.now), requestId: `d${i}`, service: 'iam', action: 'GetUser', caller: f.root, params: {}, readOnly: true }, { deferMs: 60_000 }),
    );
    // An urgent record (a change someone waits for) takes the deferred ones along in its commit.
    const urgent = await trail.record({ at: new Date(f.clock.now), requestId: 'u', service: 'iam', action: 'CreateUser', caller: f.root, params: { UserName: 'x' } });
    const lines = await Promise.all(deferred);
    expect(lines.every((l) => l.seq < urgent.seq)).toBe(true);
    expect((await all()).length).toBe(11);
    void trail.record({ at: new Date(f.clock.now), requestId: 'late', service: 'iam', action: 'GetUser', caller: f.root, params: {}, readOnly: true }, { deferMs: 60_000 });
    await trail.flush();
    expect((await all()).map((l) => l.requestID)).toContain('late');
    expect(await verifyAuditChain(f.store)).toMatchObject({ ok: true, records: 12 });
  });

  it('lets a turn of the event loop pass between batches, so records arriving then join the next one', async () => {
    const sizes: number[] = [];
    const held: (() => void)[] = [];
    const store = Object.create(f.store) as typeof f.store;
    store.appendAudit = (entries) => {
      sizes.push(entries.length);
      return new Promise((resolve, reject) => held.push(() => void f.store.appendAudit(entries).then(resolve, reject)));
    };
    const t = new AuditTrail({ store, random });
    const event = (i: number): AuditEvent => ({ at: new Date(f.clock.now), requestId: `y${i}`, service: 'sts', action: 'AssumeRole', caller: f.root, params: {} });
    const first = t.record(event(1));
    await new Promise((resolve) => setImmediate(resolve));
    const second = t.record(event(2)); // queued while the first batch is out
    held[0]!();
    await first;
    const third = t.record(event(3)); // arrives as the first batch's answers go out
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([1, 2]);
    held[1]!();
    expect((await Promise.all([second, third])).map((l) => l.requestID)).toEqual(['y2', 'y3']);
  });

  it('rejects the callers of a batch whose transaction fails, and keeps working afterwards', async () => {
    const closed = await openStore({ url: 'sqlite::memory:' });
    const broken = new AuditTrail({ store: closed, random });
    await closed.close();
    await expect(broken.record({ at: new Date(f.clock.now), requestId: 'x', service: 'iam', action: 'GetUser', params: {} })).rejects.toThrow();
    const ok = await trail.record({ at: new Date(f.clock.now), requestId: 'y', service: 'iam', action: 'GetUser', params: {} });
    expect(ok.requestID).toBe('y');
  });
});

describe('eventID (UUID version 7)', () => {
  const bytes = (fill: number) => new Uint8Array(10).fill(fill);
  it.each([
    // RFC 9562 appendix A.6's timestamp (0x017F22E279B0 = 1645557742000 ms); version and variant forced over the random bits.
    { at: 0x017f22e279b0, fill: 0x00, id: '017f22e2-79b0-7000-8000-000000000000' },
    { at: 0x017f22e279b0, fill: 0xff, id: '017f22e2-79b0-7fff-bfff-ffffffffffff' },
    { at: 0, fill: 0xab, id: '00000000-0000-7bab-abab-abababababab' },
    { at: -5, fill: 0x00, id: '00000000-0000-7000-8000-000000000000' },
    { at: Number.NaN, fill: 0x00, id: '00000000-0000-7000-8000-000000000000' },
    { at: 2 ** 53, fill: 0x00, id: 'ffffffff-ffff-7000-8000-000000000000' },
  ])('$at ms, random bytes 0x$fill → $id', ({ at, fill, id }) => {
    expect(uuidV7(at, bytes(fill))).toBe(id);
  });

  it('sorts by time, whatever the random bits', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_700_000_001_000, 1_800_000_000_000].map((at, i) => uuidV7(at, bytes(255 - i * 80)));
    expect([...ids].sort()).toEqual(ids);
  });

  it('refuses too few random bytes', () => {
    expect(() => uuidV7(0, new Uint8Array(9))).toThrow(RangeError);
  });

  it('is what records carry, stamped with the event time', async () => {
    const at = new Date('2026-11-27T20:00:00.123Z');
    const line = await trail.record({ at, requestId: 'v7', service: 'iam', action: 'GetUser', params: {} });
    expect(line.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(line.eventID.replaceAll('-', '').slice(0, 12), 16)).toBe(at.getTime());
  });
});

describe('the line record resolves with', () => {
  it('is the stored record as queryAudit reads it back, and the sink gets the same', async () => {
    const lines = [
      await trail.record({ at: new Date(f.clock.now), requestId: 'l1', service: 'iam', action: 'CreateUser', caller: f.root, params: { UserName: 'a', Password: 'pw-Secret-1' }, response: { User: { UserName: 'a' } }, resource: 'arn:aws:iam::x:user/a' }),
      await trail.record({ at: new Date(f.clock.now), requestId: 'l2', service: 'sts', action: 'GetCallerIdentity', params: {}, error: { code: 'InvalidClientTokenId', message: 'no' }, authenticationFailure: true }),
    ];
    const read = await all();
    expect(JSON.parse(JSON.stringify(lines))).toEqual(read);
    expect(sinkLines.map((l) => JSON.parse(l) as unknown)).toEqual(read);
    expect(sinkLines.join('\n')).not.toContain('pw-Secret-1');
  });
});

describe('verifyAuditChain over AuditTrail records', () => {
  it('accepts an intact trail and names the first altered or removed record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-audit-iam-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    try {
      let store = await openStore({ url });
      const fileTrail = new AuditTrail({ store, random });
      const seqs: number[] = [];
      for (const name of ['a', 'b', 'c', 'd']) {
        const line = await fileTrail.record({ at: new Date(f.clock.now), requestId: `r-${name}`, service: 'iam', action: 'CreateUser', caller: f.root, params: { UserName: name } });
        seqs.push(line.seq);
      }
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, records: 4 });
      await store.close();

      // Someone with the database file drops the append-only guard and edits history.
      const raw = new Database(join(dir, 'db.sqlite'));
      raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      raw.prepare(`UPDATE audit_log SET params = replace(params, '"UserName":"b"', '"UserName":"z"') WHERE seq = ?`).run(seqs[1]);
      raw.close();
      store = await openStore({ url });
      expect(await verifyAuditChain(store)).toMatchObject({ ok: false, brokenAtSeq: seqs[1], reason: 'hash' });
      await store.close();

      const raw2 = new Database(join(dir, 'db.sqlite'));
      raw2.prepare(`UPDATE audit_log SET params = replace(params, '"UserName":"z"', '"UserName":"b"') WHERE seq = ?`).run(seqs[1]);
      raw2.prepare('DELETE FROM audit_log WHERE seq = ?').run(seqs[2]);
      raw2.close();
      store = await openStore({ url });
      expect(await verifyAuditChain(store)).toMatchObject({ ok: false, brokenAtSeq: seqs[3], reason: 'link' });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

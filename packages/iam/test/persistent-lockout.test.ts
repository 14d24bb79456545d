import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
import type { Store } from '@latchkey/store';
// The service only sees the ports; the tests need real databases two instances can share.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openStore } from '@latchkey/store-sql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttemptThrottle, DEFAULT_BACKOFF } from '../src/attempt-throttle.js';
import { credentialServices, withCredentialServices } from '../src/credential-services.js';
import { IamService, iamOperations, rootCaller, userCaller, verifyMfaCode, verifyPassword, type Caller } from '../src/index.js';
import { totpStep } from '../src/totp.js';
import { codeAt, FastHasher, seedOf } from './helpers/credentials-fixture.js';
import { ACCOUNT, allow, failure, params, putUserPolicy, random, START } from './helpers/fixture.js';

async function findPg(): Promise<string | undefined> {
  for (const url of ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test']) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return url;
    } catch {
      // try the next user
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (process.env['CI'] === 'true') throw new Error('CI=true but PostgreSQL is not reachable at 127.0.0.1:5432/test');
  console.warn('[iam] PostgreSQL not reachable at 127.0.0.1:5432/test: skipping the PostgreSQL lockout tests');
  return undefined;
}

const PG_URL = await findPg();

interface Backend {
  /** Opens one more store on the shared database. */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

function sqliteFile(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-lockout-'));
  return {
    open: () => openStore({ url: `sqlite:${join(dir, 'latchkey.db')}` }),
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgres(url: string): Backend {
  const schema = `latchkey_lockout_${randomBytes(6).toString('hex')}`;
  return {
    open: () => openStore({ url, schema, poolSize: 2 }),
    async dispose() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

type Created = { VirtualMFADevice: { SerialNumber: string; Base32StringSeed: Uint8Array } };
const BAD_PAIR = { AuthenticationCode1: '000000', AuthenticationCode2: '000000' };
const OLD = 'Old-Horse-1';

/**
 * Two IamService instances on one database, each with its own (fresh, never shared) in-process
 * throttles: whatever lockout one instance sees from the other's failures came through the store.
 */
function lockoutSuite(name: string, makeBackend: () => Backend): void {
  describe(name, () => {
    const clock = { now: START };
    const backend = makeBackend();
    const stores: Store[] = [];
    const services: IamService[] = [];
    let root: Caller;
    let users = 0;

    const env = () => ({ requestId: 'r', now: new Date(clock.now), secureTransport: true, region: 'us-east-1' });
    const call = (i: number, action: string, values: Record<string, string> = {}, caller: Caller = root) => services[i]!.invoke(action, params(action, values), caller, env());

    beforeAll(async () => {
      const keyring = Keyring.fromText(generateMasterKey(random, { id: 'lock1' }), { random });
      const hasher = new FastHasher();
      for (let i = 0; i < 2; i++) {
        const store = await backend.open();
        const services_ = credentialServices({ passwordHasher: hasher, mfaThrottle: new AttemptThrottle(), passwordThrottle: new AttemptThrottle() });
        const iam = new IamService({ store, keyring, random, operations: withCredentialServices(iamOperations, services_) });
        await iam.start();
        stores.push(store);
        services.push(iam);
      }
      root = rootCaller(ACCOUNT, (await services[0]!.createAccount({ accountId: ACCOUNT }, new Date(clock.now))).rootAccessKeyId);
    });
    afterAll(async () => {
      for (const s of services) s.close();
      for (const s of stores) await s.close();
      await backend.dispose();
    });

    /** A fresh user with an unassigned virtual MFA device (a fresh clock step too, so no code is spent). */
    async function userWithDevice() {
      clock.now += 60_000;
      const userName = `u${++users}`;
      await call(0, 'CreateUser', { UserName: userName });
      const out = (await call(0, 'CreateVirtualMFADevice', { VirtualMFADeviceName: `${userName}-phone` })) as Created;
      const user = await stores[0]!.read((r) => r.users.getByName(ACCOUNT, userName));
      return { userName, userId: user!.id, serial: out.VirtualMFADevice.SerialNumber, seed: seedOf(out.VirtualMFADevice.Base32StringSeed) };
    }
    const pair = (seed: Uint8Array) => ({ AuthenticationCode1: codeAt(seed, clock.now, -1), AuthenticationCode2: codeAt(seed, clock.now) });
    const deviceState = async (i: number, serial: string) => {
      const d = await stores[i]!.read((r) => r.mfaDevices.get(ACCOUNT, serial));
      return { userId: d?.userId, failedAttempts: d?.failedAttempts, lockedUntil: d?.lockedUntil };
    };

    it('counts wrong EnableMFADevice codes although each call rolls back, and locks the device on both instances', async () => {
      const { userName, userId, serial, seed } = await userWithDevice();
      const enableWith = (i: number, codes: Record<string, string>) => call(i, 'EnableMFADevice', { UserName: userName, SerialNumber: serial, ...codes });
      for (let n = 1; n <= 4; n++) {
        expect((await failure(enableWith(n % 2, BAD_PAIR))).code).toBe('InvalidAuthenticationCode');
        // The call's own writes are gone (still unassigned), its failure is not, seen from either instance.
        expect(await deviceState((n + 1) % 2, serial)).toEqual({ userId: null, failedAttempts: n, lockedUntil: null });
      }
      // The fifth failure uses up the free allowance: the next attempt waits 1 s.
      expect((await failure(enableWith(0, BAD_PAIR))).code).toBe('InvalidAuthenticationCode');
      expect(await deviceState(1, serial)).toEqual({ userId: null, failedAttempts: 5, lockedUntil: clock.now + 1000 });
      // Locked: either instance refuses even the right codes, without counting them.
      for (const i of [1, 0]) expect((await failure(enableWith(i, pair(seed)))).code).toBe('LimitExceeded');
      expect(await deviceState(0, serial)).toMatchObject({ failedAttempts: 5 });
      clock.now += 999;
      expect((await failure(enableWith(1, pair(seed)))).code).toBe('LimitExceeded');
      clock.now += 1;
      expect(await enableWith(1, pair(seed))).toBeUndefined();
      expect(await deviceState(0, serial)).toEqual({ userId, failedAttempts: 0, lockedUntil: null });
    });

    it('doubles the lockout per failure past the allowance and caps it at 15 minutes', async () => {
      const { userName, serial } = await userWithDevice();
      const bad = (i: number) => failure(call(i, 'EnableMFADevice', { UserName: userName, SerialNumber: serial, ...BAD_PAIR }));
      const delays: number[] = [];
      for (let n = 1; n <= 16; n++) {
        expect((await bad(n % 2)).code).toBe('InvalidAuthenticationCode');
        const { lockedUntil } = await deviceState(0, serial);
        delays.push(lockedUntil === null || lockedUntil === undefined ? 0 : lockedUntil - clock.now);
        // Wait the lockout out before the next guess.
        clock.now = Math.max(clock.now, lockedUntil ?? 0);
      }
      expect(delays).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000, 900_000]);
    });

    it('counts wrong ResyncMFADevice codes on an assigned device, and a resync with right codes clears them', async () => {
      const { userName, serial, seed } = await userWithDevice();
      await call(0, 'EnableMFADevice', { UserName: userName, SerialNumber: serial, ...pair(seed) });
      clock.now += 90_000;
      const resync = (i: number, codes: Record<string, string>) => call(i, 'ResyncMFADevice', { UserName: userName, SerialNumber: serial, ...codes });
      for (let n = 1; n <= 5; n++) expect((await failure(resync(n % 2, BAD_PAIR))).code).toBe('InvalidAuthenticationCode');
      expect(await deviceState(0, serial)).toMatchObject({ failedAttempts: 5, lockedUntil: clock.now + 1000 });
      expect((await failure(resync(0, pair(seed)))).code).toBe('LimitExceeded');
      clock.now += 1000;
      expect(await resync(1, pair(seed))).toBeUndefined();
      expect(await deviceState(0, serial)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    });

    it('locks STS-style verifyMfaCode checks across instances, expires with the clock and resets on success', async () => {
      const { userName, userId, serial, seed } = await userWithDevice();
      await call(0, 'EnableMFADevice', { UserName: userName, SerialNumber: serial, ...pair(seed) });
      clock.now += 90_000;
      const target = { accountId: ACCOUNT, userId, serialNumber: serial };
      // As STS does: the check runs in a transaction of its own that commits whatever it found.
      const verify = (i: number, code: string) => stores[i]!.transaction((tx) => verifyMfaCode(tx, keyringOf(services[i]!), new Date(clock.now), target, code));
      for (let n = 1; n <= 5; n++) expect(await verify(n % 2, '000000')).toMatchObject({ ok: false, reason: 'invalidCode' });
      expect(await verify(1, codeAt(seed, clock.now))).toMatchObject({ ok: false, reason: 'throttled', retryAt: new Date(clock.now + 1000) });
      clock.now += 1000;
      expect(await verify(1, codeAt(seed, clock.now))).toMatchObject({ ok: true, step: totpStep(clock.now) });
      expect(await deviceState(0, serial)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    });

    it('starts the count over after an hour without failures', async () => {
      const { userName, serial } = await userWithDevice();
      const bad = (i: number) => failure(call(i, 'EnableMFADevice', { UserName: userName, SerialNumber: serial, ...BAD_PAIR }));
      for (let n = 1; n <= 4; n++) await bad(n % 2);
      clock.now += DEFAULT_BACKOFF.forgetAfterMs;
      await bad(0);
      expect(await deviceState(1, serial)).toMatchObject({ failedAttempts: 1, lockedUntil: null });
    });

    describe('passwords', () => {
      async function userWithPassword() {
        clock.now += 60_000;
        const userName = `p${++users}`;
        await call(0, 'CreateUser', { UserName: userName });
        await putUserPolicy(stores[0]!, ACCOUNT, userName, 'own-password', allow('iam:ChangePassword'));
        await call(0, 'CreateLoginProfile', { UserName: userName, Password: OLD });
        const user = (await stores[0]!.read((r) => r.users.getByName(ACCOUNT, userName)))!;
        return { userName, userId: user.id, caller: userCaller(user) };
      }
      const profileState = async (i: number, userId: string) => {
        const p = await stores[i]!.read((r) => r.loginProfiles.get(ACCOUNT, userId));
        return { failedAttempts: p?.failedAttempts, lockedUntil: p?.lockedUntil, changedAt: p?.passwordLastChangedAt };
      };

      it('counts wrong ChangePassword old passwords across rolled-back calls and instances; locks; expires; resets on success', async () => {
        const { userId, caller } = await userWithPassword();
        const created = (await profileState(0, userId)).changedAt;
        const change = (i: number, oldPassword: string, newPassword: string) => call(i, 'ChangePassword', { OldPassword: oldPassword, NewPassword: newPassword }, caller);
        for (let n = 1; n <= 4; n++) {
          expect((await failure(change(n % 2, 'Wrong-Horse-9', 'Next-Horse-3'))).code).toBe('AccessDenied');
          expect(await profileState((n + 1) % 2, userId)).toEqual({ failedAttempts: n, lockedUntil: null, changedAt: created });
        }
        expect((await failure(change(0, 'Wrong-Horse-9', 'Next-Horse-3'))).code).toBe('AccessDenied');
        expect(await profileState(1, userId)).toMatchObject({ failedAttempts: 5, lockedUntil: clock.now + 1000, changedAt: created });
        // Locked on the other instance too, even with the right old password (not checked at all).
        const locked = await failure(change(1, OLD, 'Next-Horse-3'));
        expect([locked.code, locked.status]).toEqual(['LimitExceeded', 409]);
        clock.now += 1000;
        expect(await change(1, OLD, 'Next-Horse-3')).toBeUndefined();
        expect(await profileState(0, userId)).toEqual({ failedAttempts: 0, lockedUntil: null, changedAt: clock.now });
      });

      it('shares the lockout between ChangePassword and sign-in style verifyPassword checks', async () => {
        const { userId, caller } = await userWithPassword();
        const target = { accountId: ACCOUNT, userId };
        const hasher = new FastHasher();
        const verify = (i: number, password: string) => stores[i]!.transaction((tx) => verifyPassword(tx, hasher, new Date(clock.now), target, password));
        for (let n = 1; n <= 4; n++) expect(await verify(n % 2, 'Wrong-Horse-9')).toEqual({ ok: false, reason: 'invalidPassword' });
        expect((await failure(call(0, 'ChangePassword', { OldPassword: 'Wrong-Horse-9', NewPassword: 'Next-Horse-3' }, caller))).code).toBe('AccessDenied');
        expect(await verify(1, OLD)).toEqual({ ok: false, reason: 'locked', retryAt: new Date(clock.now + 1000) });
        clock.now += 1000;
        expect(await verify(1, OLD)).toMatchObject({ ok: true });
        expect(await profileState(0, userId)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
      });

      it('lifts a lockout when an administrator sets a new password', async () => {
        const { userName, userId, caller } = await userWithPassword();
        for (let n = 1; n <= 5; n++) await failure(call(n % 2, 'ChangePassword', { OldPassword: 'Wrong-Horse-9', NewPassword: 'Next-Horse-3' }, caller));
        expect(await profileState(0, userId)).toMatchObject({ failedAttempts: 5, lockedUntil: clock.now + 1000 });
        await call(1, 'UpdateLoginProfile', { UserName: userName, Password: 'Admin-Horse-4' });
        expect(await profileState(0, userId)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
        expect(await call(0, 'ChangePassword', { OldPassword: 'Admin-Horse-4', NewPassword: 'Next-Horse-3' }, caller)).toBeUndefined();
      });
    });
  });
}

/** The keyring an instance was built with (the tests share one; this keeps the call sites honest). */
function keyringOf(service: IamService): Keyring {
  return service.keyring;
}

lockoutSuite('persistent lockouts on one SQLite file, two instances', sqliteFile);
if (PG_URL === undefined) describe.skip('persistent lockouts on PostgreSQL (unreachable)', () => undefined);
else lockoutSuite('persistent lockouts on PostgreSQL, two instances', () => postgres(PG_URL));

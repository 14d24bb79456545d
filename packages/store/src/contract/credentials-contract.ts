import { describe, expect, it } from 'vitest';
import { ReferenceViolationError, UniqueViolationError } from '../errors.js';
import type { PasswordPolicyRecord } from '../records.js';
import type { ContractContext } from './context.js';

export function credentialsContract(c: ContractContext): void {
  describe('access keys', () => {
    it('creates user and root keys, finds them globally and lists them per owner, oldest first', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'keyed');
      await c.store.transaction((tx) => tx.users.create(u));
      const k1 = c.b.accessKey(acct, u.id);
      const k2 = c.b.accessKey(acct, u.id);
      const root = c.b.accessKey(acct, null);
      await c.store.transaction(async (tx) => {
        await tx.accessKeys.create(k2);
        await tx.accessKeys.create(k1);
        await tx.accessKeys.create(root);
      });
      expect(await c.store.read((r) => r.accessKeys.get(k1.id))).toEqual({ ...k1, lastUsedAt: null, lastUsedService: null, lastUsedRegion: null });
      const mine = await c.store.read((r) => r.accessKeys.listForOwner(acct, u.id, { maxItems: 1 }));
      expect(mine.items.map((k) => k.id)).toEqual([k1.id]);
      const rest = await c.store.read((r) => r.accessKeys.listForOwner(acct, u.id, { maxItems: 1, marker: mine.marker! }));
      expect(rest).toMatchObject({ isTruncated: false, items: [{ id: k2.id }] });
      expect((await c.store.read((r) => r.accessKeys.listForOwner(acct, null, { maxItems: 10 }))).items.map((k) => k.id)).toEqual([root.id]);
      expect(await c.store.read((r) => r.accessKeys.countForOwner(acct, u.id))).toBe(2);
      expect(await c.store.read((r) => r.accessKeys.countForOwner(acct, null))).toBe(1);
    });

    it('updates status, records last use and deletes', async () => {
      const acct = await c.account();
      const k = c.b.accessKey(acct, null);
      await c.store.transaction((tx) => tx.accessKeys.create(k));
      expect(await c.store.transaction((tx) => tx.accessKeys.updateStatus(acct, k.id, 'Inactive'))).toBe(true);
      expect(await c.store.transaction((tx) => tx.accessKeys.updateStatus('000000000000', k.id, 'Active'))).toBe(false);
      await c.store.read((r) => r.accessKeys.recordUse(k.id, { at: 1_760_000_000_000, service: 'iam', region: 'us-east-1' }));
      expect(await c.store.read((r) => r.accessKeys.get(k.id))).toMatchObject({
        status: 'Inactive',
        lastUsedAt: 1_760_000_000_000,
        lastUsedService: 'iam',
        lastUsedRegion: 'us-east-1',
      });
      expect(await c.store.transaction((tx) => tx.accessKeys.delete(acct, k.id))).toBe(true);
      expect(await c.store.read((r) => r.accessKeys.get(k.id))).toBeUndefined();
    });

    it('coalesces repeated uses within the window unless service or region change', async () => {
      const acct = await c.account();
      const k = c.b.accessKey(acct, null);
      await c.store.transaction((tx) => tx.accessKeys.create(k));
      const use = (at: number, service = 'iam', region = 'us-east-1') =>
        c.store.read((r) => r.accessKeys.recordUse(k.id, { at, service, region, coalesceMs: 60_000 }));
      expect(await use(1_000_000)).toBe(true);
      expect(await use(1_030_000)).toBe(false);
      expect(await use(1_060_000)).toBe(false);
      expect((await c.store.read((r) => r.accessKeys.get(k.id)))?.lastUsedAt).toBe(1_000_000);
      expect(await use(1_060_001)).toBe(true);
      expect(await use(1_060_002, 'sts')).toBe(true);
      expect(await use(1_060_003, 'sts', 'eu-west-1')).toBe(true);
      expect(await c.store.read((r) => r.accessKeys.get(k.id))).toMatchObject({ lastUsedAt: 1_060_003, lastUsedService: 'sts', lastUsedRegion: 'eu-west-1' });
      expect(await c.store.read((r) => r.accessKeys.recordUse('AKIANOSUCHKEY', { at: 1, service: 'iam', region: 'x' }))).toBe(false);
    });

    it('rejects a duplicate key id and a key for a user that does not exist', async () => {
      const acct = await c.account();
      const k = c.b.accessKey(acct, null);
      await c.store.transaction((tx) => tx.accessKeys.create(k));
      await expect(c.store.transaction((tx) => tx.accessKeys.create(k))).rejects.toBeInstanceOf(UniqueViolationError);
      await expect(c.store.transaction((tx) => tx.accessKeys.create(c.b.accessKey(acct, 'AIDANOSUCHUSER')))).rejects.toBeInstanceOf(ReferenceViolationError);
    });

    it('finds and reseals keys sealed under an old master key', async () => {
      const acct = await c.account();
      const k = { ...c.b.accessKey(acct, null), secret: { ciphertext: 'old', keyId: `old-${acct}` } };
      await c.store.transaction((tx) => tx.accessKeys.create(k));
      expect((await c.store.read((r) => r.accessKeys.listSealedWith(`old-${acct}`, 10))).map((x) => x.id)).toEqual([k.id]);
      await c.store.transaction((tx) => tx.accessKeys.reseal(k.id, { ciphertext: 'new', keyId: `new-${acct}` }));
      expect(await c.store.read((r) => r.accessKeys.listSealedWith(`old-${acct}`, 10))).toEqual([]);
      expect((await c.store.read((r) => r.accessKeys.get(k.id)))?.secret).toEqual({ ciphertext: 'new', keyId: `new-${acct}` });
    });
  });

  describe('tags', () => {
    it('treats user and role tag keys case-insensitively, replacing value and case', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'tagged');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.tags.put(acct, 'user', u.id, [
          { key: 'Department', value: 'finance' },
          { key: 'team', value: '' },
        ]);
        await tx.tags.put(acct, 'user', u.id, [{ key: 'department', value: 'hr' }]);
      });
      expect(await c.store.read((r) => r.tags.list(acct, 'user', u.id))).toEqual([
        { key: 'department', value: 'hr' },
        { key: 'team', value: '' },
      ]);
      await c.store.transaction((tx) => tx.tags.remove(acct, 'user', u.id, ['TEAM', 'absent']));
      expect(await c.store.read((r) => r.tags.count(acct, 'user', u.id))).toBe(1);
    });

    it('treats policy tag keys case-sensitively', async () => {
      const acct = await c.account();
      const p = c.b.policy(acct, 'tagged-policy');
      await c.store.transaction(async (tx) => {
        await tx.policies.create(p);
        await tx.tags.put(acct, 'policy', p.id, [
          { key: 'Costcenter', value: '1' },
          { key: 'costcenter', value: '2' },
        ]);
      });
      expect(await c.store.read((r) => r.tags.count(acct, 'policy', p.id))).toBe(2);
      await c.store.transaction((tx) => tx.tags.remove(acct, 'policy', p.id, ['COSTCENTER']));
      expect(await c.store.read((r) => r.tags.count(acct, 'policy', p.id))).toBe(2);
      await c.store.transaction((tx) => tx.tags.remove(acct, 'policy', p.id, ['Costcenter']));
      expect(await c.store.read((r) => r.tags.list(acct, 'policy', p.id))).toEqual([{ key: 'costcenter', value: '2' }]);
    });
  });

  describe('virtual MFA devices', () => {
    it('creates, assigns, lists by assignment and deactivates devices', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'mfa-user');
      const d1 = c.b.mfa(acct, 'dev-a');
      const d2 = c.b.mfa(acct, 'dev-b');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.mfaDevices.create(d1);
        await tx.mfaDevices.create(d2);
      });
      await expect(c.store.transaction((tx) => tx.mfaDevices.create(d1))).rejects.toBeInstanceOf(UniqueViolationError);
      expect(await c.store.transaction((tx) => tx.mfaDevices.enable(acct, d1.serial, u.id, 5000, 100))).toBe(true);
      expect(await c.store.transaction((tx) => tx.mfaDevices.enable(acct, d1.serial, u.id, 5000, 101))).toBe(false);
      const serials = async (assignment?: 'Assigned' | 'Unassigned' | 'Any') =>
        (await c.store.read((r) => r.mfaDevices.list(acct, { maxItems: 10, ...(assignment === undefined ? {} : { assignment }) }))).items.map((d) => d.serial);
      expect(await serials()).toEqual([d1.serial, d2.serial]);
      expect(await serials('Assigned')).toEqual([d1.serial]);
      expect(await serials('Unassigned')).toEqual([d2.serial]);
      expect(await c.store.read((r) => r.mfaDevices.get(acct, d1.serial))).toEqual({
        ...d1,
        userId: u.id,
        enabledAt: 5000,
        lastUsedStep: 100,
        lastUsedAt: 5000,
        failedAttempts: 0,
        lockedUntil: null,
        lastFailedAt: null,
      });
      expect((await c.store.read((r) => r.mfaDevices.listForUser(acct, u.id))).map((d) => d.serial)).toEqual([d1.serial]);
      expect(await c.store.transaction((tx) => tx.mfaDevices.deactivate(acct, d1.serial))).toBe(true);
      expect(await c.store.transaction((tx) => tx.mfaDevices.deactivate(acct, d1.serial))).toBe(false);
      expect(await c.store.transaction((tx) => tx.mfaDevices.delete(acct, d1.serial))).toBe(true);
    });

    it('accepts each TOTP step once and only moving forward; counts failures', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'otp');
      const d = c.b.mfa(acct, 'otp-dev');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.mfaDevices.create(d);
        await tx.mfaDevices.enable(acct, d.serial, u.id, 1, 100);
      });
      expect(await c.store.read((r) => r.mfaDevices.recordFailure(acct, d.serial))).toBe(1);
      expect(await c.store.read((r) => r.mfaDevices.recordFailure(acct, d.serial))).toBe(2);
      expect(await c.store.read((r) => r.mfaDevices.acceptStep(acct, d.serial, 100, 2))).toBe(false);
      expect(await c.store.read((r) => r.mfaDevices.acceptStep(acct, d.serial, 99, 2))).toBe(false);
      // Two concurrent uses of one code: exactly one wins.
      const results = await Promise.all([
        c.store.read((r) => r.mfaDevices.acceptStep(acct, d.serial, 101, 3)),
        c.store.read((r) => r.mfaDevices.acceptStep(acct, d.serial, 101, 3)),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await c.store.read((r) => r.mfaDevices.get(acct, d.serial))).toMatchObject({ lastUsedStep: 101, lastUsedAt: 3, failedAttempts: 0 });
      await c.store.transaction((tx) => tx.mfaDevices.resync(acct, d.serial, 50, 4));
      expect(await c.store.read((r) => r.mfaDevices.acceptStep(acct, d.serial, 51, 5))).toBe(true);
    });

    it('keeps a device lockout outside transactions: counts with the failure time, only raises the lock, clears on success', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'lockout');
      const d = c.b.mfa(acct, 'lockout-dev');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.mfaDevices.create(d);
        await tx.mfaDevices.enable(acct, d.serial, u.id, 1, 100);
      });
      const state = async () => {
        const device = await c.store.read((r) => r.mfaDevices.get(acct, d.serial));
        return { failedAttempts: device?.failedAttempts, lockedUntil: device?.lockedUntil, lastFailedAt: device?.lastFailedAt };
      };
      expect(await c.store.read((r) => r.mfaDevices.recordFailure(acct, d.serial, 7_000))).toBe(1);
      await c.store.read((r) => r.mfaDevices.lockUntil(acct, d.serial, 20_000));
      await c.store.read((r) => r.mfaDevices.lockUntil(acct, d.serial, 10_000));
      expect(await state()).toEqual({ failedAttempts: 1, lockedUntil: 20_000, lastFailedAt: 7_000 });
      // Written in a transaction that then fails: nothing of it stays.
      await expect(
        c.store.transaction(async (tx) => {
          await tx.mfaDevices.recordFailure(acct, d.serial, 8_000);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await state()).toEqual({ failedAttempts: 1, lockedUntil: 20_000, lastFailedAt: 7_000 });
      expect(await c.store.read((r) => r.mfaDevices.acceptStep(acct, d.serial, 101, 9_000))).toBe(true);
      expect(await state()).toEqual({ failedAttempts: 0, lockedUntil: null, lastFailedAt: null });
      await c.store.read((r) => r.mfaDevices.recordFailure(acct, d.serial, 9_500));
      await c.store.read((r) => r.mfaDevices.lockUntil(acct, d.serial, 30_000));
      await c.store.read((r) => r.mfaDevices.resetFailures(acct, d.serial));
      expect(await state()).toEqual({ failedAttempts: 0, lockedUntil: null, lastFailedAt: null });
      await c.store.read((r) => r.mfaDevices.recordFailure(acct, d.serial, 9_600));
      await c.store.transaction((tx) => tx.mfaDevices.resync(acct, d.serial, 200, 9_700));
      expect(await state()).toEqual({ failedAttempts: 0, lockedUntil: null, lastFailedAt: null });
      expect(await c.store.read((r) => r.mfaDevices.recordFailure(acct, 'arn:aws:iam::000000000000:mfa/none', 1))).toBe(0);
    });

    it('pages devices and reseals seeds sealed under an old master key', async () => {
      const acct = await c.account();
      const devices = ['m1', 'm2', 'm3'].map((n) => ({ ...c.b.mfa(acct, n), seed: { ciphertext: `seed-${n}`, keyId: `old-${acct}` } }));
      await c.store.transaction(async (tx) => {
        for (const d of devices) await tx.mfaDevices.create(d);
      });
      const first = await c.store.read((r) => r.mfaDevices.list(acct, { maxItems: 2 }));
      const rest = await c.store.read((r) => r.mfaDevices.list(acct, { maxItems: 2, marker: first.marker! }));
      expect([...first.items, ...rest.items].map((d) => d.name)).toEqual(['m1', 'm2', 'm3']);
      expect(rest.isTruncated).toBe(false);
      const sealed = await c.store.read((r) => r.mfaDevices.listSealedWith(`old-${acct}`, 2));
      expect(sealed).toHaveLength(2);
      await c.store.transaction(async (tx) => {
        for (const d of devices) expect(await tx.mfaDevices.reseal(d.serial, { ciphertext: `new-${d.name}`, keyId: `new-${acct}` })).toBe(true);
      });
      expect(await c.store.read((r) => r.mfaDevices.listSealedWith(`old-${acct}`, 10))).toEqual([]);
      expect((await c.store.read((r) => r.mfaDevices.get(acct, devices[0]!.serial)))?.seed).toEqual({ ciphertext: 'new-m1', keyId: `new-${acct}` });
    });

    it('refuses to delete a user who still has an MFA device assigned', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'has-mfa');
      const d = c.b.mfa(acct, 'has-mfa');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.mfaDevices.create(d);
        await tx.mfaDevices.enable(acct, d.serial, u.id, 1, 1);
      });
      await expect(c.store.transaction((tx) => tx.users.delete(acct, u.id))).rejects.toBeInstanceOf(ReferenceViolationError);
    });
  });

  describe('login profiles and password policy', () => {
    it('creates, updates, locks out and deletes a login profile', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'console-user');
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.loginProfiles.create({ accountId: acct, userId: u.id, passwordHash: '$argon2id$h1', passwordResetRequired: true, createdAt: 10, passwordLastChangedAt: 10 });
      });
      await expect(
        c.store.transaction((tx) =>
          tx.loginProfiles.create({ accountId: acct, userId: u.id, passwordHash: 'x', passwordResetRequired: false, createdAt: 1, passwordLastChangedAt: 1 }),
        ),
      ).rejects.toBeInstanceOf(UniqueViolationError);
      await c.store.transaction((tx) =>
        tx.loginProfiles.update(acct, u.id, { passwordHash: '$argon2id$h2', passwordResetRequired: false, passwordLastChangedAt: 20, previousHashes: ['$argon2id$h1'] }),
      );
      expect(await c.store.read((r) => r.loginProfiles.recordFailedAttempt(acct, u.id))).toBe(1);
      expect(await c.store.read((r) => r.loginProfiles.recordFailedAttempt(acct, u.id, 99_000))).toBe(2);
      expect(await c.store.read((r) => r.loginProfiles.get(acct, u.id))).toEqual({
        accountId: acct,
        userId: u.id,
        passwordHash: '$argon2id$h2',
        passwordResetRequired: false,
        createdAt: 10,
        passwordLastChangedAt: 20,
        previousHashes: ['$argon2id$h1'],
        failedAttempts: 2,
        lockedUntil: 99_000,
        lastFailedAt: null,
      });
      expect(await c.store.read((r) => r.loginProfiles.recordFailedAttempt(acct, u.id, undefined, 50_000))).toBe(3);
      await c.store.read((r) => r.loginProfiles.lockUntil(acct, u.id, 60_000));
      expect(await c.store.read((r) => r.loginProfiles.get(acct, u.id))).toMatchObject({ failedAttempts: 3, lockedUntil: 99_000, lastFailedAt: 50_000 });
      await c.store.read((r) => r.loginProfiles.lockUntil(acct, u.id, 120_000));
      expect(await c.store.read((r) => r.loginProfiles.get(acct, u.id))).toMatchObject({ lockedUntil: 120_000 });
      await c.store.read((r) => r.loginProfiles.resetFailedAttempts(acct, u.id));
      expect(await c.store.read((r) => r.loginProfiles.get(acct, u.id))).toMatchObject({ failedAttempts: 0, lockedUntil: null, lastFailedAt: null });
      expect(await c.store.read((r) => r.loginProfiles.recordFailedAttempt(acct, 'AIDANOSUCHUSER0000000', 1, 1))).toBe(0);
      await expect(c.store.transaction((tx) => tx.users.delete(acct, u.id))).rejects.toBeInstanceOf(ReferenceViolationError);
      expect(await c.store.transaction((tx) => tx.loginProfiles.delete(acct, u.id))).toBe(true);
      expect(await c.store.transaction((tx) => tx.loginProfiles.delete(acct, u.id))).toBe(false);
    });

    it('replaces the whole password policy and deletes it', async () => {
      const acct = await c.account();
      const policy: PasswordPolicyRecord = {
        minimumPasswordLength: 14,
        requireSymbols: true,
        requireNumbers: true,
        requireUppercaseCharacters: false,
        requireLowercaseCharacters: true,
        allowUsersToChangePassword: true,
        maxPasswordAge: 90,
        passwordReusePrevention: 5,
        hardExpiry: false,
      };
      expect(await c.store.read((r) => r.passwordPolicies.get(acct))).toBeUndefined();
      await c.store.transaction((tx) => tx.passwordPolicies.put(acct, policy));
      await c.store.transaction((tx) => tx.passwordPolicies.put(acct, { ...policy, minimumPasswordLength: 8 }));
      expect(await c.store.read((r) => r.passwordPolicies.get(acct))).toEqual({ ...policy, minimumPasswordLength: 8 });
      expect(await c.store.transaction((tx) => tx.passwordPolicies.delete(acct))).toBe(true);
      expect(await c.store.transaction((tx) => tx.passwordPolicies.delete(acct))).toBe(false);
    });
  });

  describe('service catalogs', () => {
    it('creates, replaces, lists and deletes a service catalog per account', async () => {
      const [acct, other] = [await c.account(), await c.account()];
      const orders = { accountId: acct, service: 'orders', document: '{"name":"orders","actions":{"GetOrder":{}}}', updatedAt: 5 };
      expect(await c.store.read((r) => r.serviceCatalogs.get(acct, 'orders'))).toBeUndefined();
      await c.store.transaction((tx) => tx.serviceCatalogs.put(orders));
      await c.store.transaction((tx) => tx.serviceCatalogs.put({ ...orders, service: 'billing', document: '{"name":"billing","actions":{}}' }));
      const replaced = { ...orders, document: '{"name":"orders","actions":{"ListOrders":{}}}', updatedAt: 9 };
      await c.store.transaction((tx) => tx.serviceCatalogs.put(replaced));
      expect(await c.store.read((r) => r.serviceCatalogs.get(acct, 'orders'))).toEqual(replaced);
      expect((await c.store.read((r) => r.serviceCatalogs.list(acct))).map((x) => x.service)).toEqual(['billing', 'orders']);
      expect(await c.store.read((r) => r.serviceCatalogs.count(acct))).toBe(2);
      // Another account's catalogs are its own.
      expect(await c.store.read((r) => r.serviceCatalogs.get(other, 'orders'))).toBeUndefined();
      expect(await c.store.read((r) => r.serviceCatalogs.list(other))).toEqual([]);
      expect(await c.store.transaction((tx) => tx.serviceCatalogs.delete(other, 'orders'))).toBe(false);
      expect(await c.store.transaction((tx) => tx.serviceCatalogs.delete(acct, 'orders'))).toBe(true);
      expect(await c.store.transaction((tx) => tx.serviceCatalogs.delete(acct, 'orders'))).toBe(false);
      expect(await c.store.read((r) => r.serviceCatalogs.count(acct))).toBe(1);
    });

    it('refuses a write outside a transaction', async () => {
      const acct = await c.account();
      await expect(c.store.read((r) => r.serviceCatalogs.put({ accountId: acct, service: 'orders', document: '{}', updatedAt: 1 }))).rejects.toThrow();
    });
  });

  describe('OIDC providers and credential reports', () => {
    it('stores providers with their lists and updates them', async () => {
      const acct = await c.account();
      const arn = `arn:aws:iam::${acct}:oidc-provider/token.example.com/path`;
      const provider = { accountId: acct, arn, url: 'https://token.example.com/path', clientIds: ['a', 'b'], thumbprints: ['0'.repeat(40)], createdAt: 7 };
      await c.store.transaction((tx) => tx.oidcProviders.create(provider));
      await expect(c.store.transaction((tx) => tx.oidcProviders.create(provider))).rejects.toBeInstanceOf(UniqueViolationError);
      await c.store.transaction((tx) => tx.oidcProviders.update(acct, arn, { clientIds: ['c'] }));
      expect(await c.store.read((r) => r.oidcProviders.get(acct, arn))).toEqual({ ...provider, clientIds: ['c'] });
      expect(await c.store.read((r) => r.oidcProviders.list(acct))).toHaveLength(1);
      expect(await c.store.read((r) => r.oidcProviders.count(acct))).toBe(1);
      expect(await c.store.transaction((tx) => tx.oidcProviders.delete(acct, arn))).toBe(true);
      expect(await c.store.read((r) => r.oidcProviders.get(acct, arn))).toBeUndefined();
    });

    it('collects every user’s credential state for the report', async () => {
      const acct = await c.account();
      const [bob, alice] = [c.b.user(acct, 'bob'), c.b.user(acct, 'Alice')];
      const d = c.b.mfa(acct, 'alice-mfa');
      const [k1, k2, root] = [c.b.accessKey(acct, alice.id), c.b.accessKey(acct, alice.id), c.b.accessKey(acct, null)];
      await c.store.transaction(async (tx) => {
        await tx.users.create(bob);
        await tx.users.create(alice);
        await tx.loginProfiles.create({ accountId: acct, userId: alice.id, passwordHash: 'h', passwordResetRequired: false, createdAt: 5, passwordLastChangedAt: 6 });
        await tx.mfaDevices.create(d);
        await tx.mfaDevices.create(c.b.mfa(acct, 'unassigned'));
        await tx.mfaDevices.enable(acct, d.serial, alice.id, 7, 1);
        await tx.accessKeys.create(k2);
        await tx.accessKeys.create(k1);
        await tx.accessKeys.create(root);
      });
      const rows = await c.store.read((r) => r.credentialReports.collect(acct));
      expect(rows.map((row) => row.user.name)).toEqual(['Alice', 'bob']);
      expect(rows[0]).toMatchObject({ loginProfile: { createdAt: 5, passwordLastChangedAt: 6 }, mfaActive: true });
      expect(rows[0]!.accessKeys.map((k) => k.id)).toEqual([k1.id, k2.id]);
      expect(rows[1]).toEqual({ user: bob, loginProfile: null, mfaActive: false, accessKeys: [] });
    });

    it('keeps the latest credential report per account', async () => {
      const acct = await c.account();
      expect(await c.store.read((r) => r.credentialReports.get(acct))).toBeUndefined();
      await c.store.transaction((tx) => tx.credentialReports.put({ accountId: acct, generatedAt: 1, content: 'user,arn\n' }));
      await c.store.transaction((tx) => tx.credentialReports.put({ accountId: acct, generatedAt: 2, content: 'user,arn\n<root_account>,x\n' }));
      expect(await c.store.read((r) => r.credentialReports.get(acct))).toEqual({ accountId: acct, generatedAt: 2, content: 'user,arn\n<root_account>,x\n' });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { ReferenceViolationError, UniqueViolationError } from '../errors.js';
import { AWS_MANAGED_ACCOUNT_ID } from '../records.js';
import type { ContractContext } from './context.js';
import { POLICY_DOCUMENT } from './builders.js';

export function policiesContract(c: ContractContext): void {
  describe('managed policies and versions', () => {
    it('creates a policy with v1 as default and returns the document byte for byte', async () => {
      const acct = await c.account();
      const p = { ...c.b.policy(acct, 'ReadBuckets', '/app/'), description: 'reads buckets' };
      const created = await c.store.transaction((tx) => tx.policies.create(p));
      const { document: _doc, ...meta } = p;
      expect(created).toEqual({ ...meta, defaultVersionId: 'v1', updatedAt: p.createdAt });
      expect(await c.store.read((r) => r.policies.getByArn(p.arn))).toEqual(created);
      expect(await c.store.read((r) => r.policies.getById(p.id))).toEqual(created);
      expect(await c.store.read((r) => r.policies.getDefaultVersion(p.arn))).toEqual({
        policyId: p.id,
        versionId: 'v1',
        document: POLICY_DOCUMENT,
        isDefaultVersion: true,
        createdAt: p.createdAt,
      });
    });

    it('keeps policy names unique per account, case-insensitively, whatever the path', async () => {
      const acct = await c.account();
      await c.store.transaction((tx) => tx.policies.create(c.b.policy(acct, 'Same')));
      await expect(c.store.transaction((tx) => tx.policies.create(c.b.policy(acct, 'SAME', '/other/')))).rejects.toBeInstanceOf(UniqueViolationError);
    });

    it('numbers versions monotonically, never reusing a deleted number', async () => {
      const acct = await c.account();
      const p = c.b.policy(acct, 'versioned');
      await c.store.transaction((tx) => tx.policies.create(p));
      const v2 = await c.store.transaction((tx) => tx.policies.createVersion(p.arn, '{"v":2}', false, 2000));
      const v3 = await c.store.transaction((tx) => tx.policies.createVersion(p.arn, '{"v":3}', true, 3000));
      expect([v2.versionId, v3.versionId]).toEqual(['v2', 'v3']);
      expect(v3.isDefaultVersion).toBe(true);
      expect((await c.store.read((r) => r.policies.getByArn(p.arn)))).toMatchObject({ defaultVersionId: 'v3', updatedAt: 3000 });
      expect(await c.store.transaction((tx) => tx.policies.deleteVersion(p.arn, 'v2'))).toBe(true);
      const v4 = await c.store.transaction((tx) => tx.policies.createVersion(p.arn, '{"v":4}', false, 4000));
      expect(v4.versionId).toBe('v4');
      const versions = await c.store.read((r) => r.policies.listVersions(p.arn, { maxItems: 10 }));
      expect(versions.items.map((v) => [v.versionId, v.isDefaultVersion])).toEqual([
        ['v4', false],
        ['v3', true],
        ['v1', false],
      ]);
      expect(await c.store.read((r) => r.policies.countVersions(p.arn))).toBe(3);
    });

    it('pages versions newest first', async () => {
      const acct = await c.account();
      const p = c.b.policy(acct, 'paged-versions');
      await c.store.transaction(async (tx) => {
        await tx.policies.create(p);
        for (let i = 2; i <= 5; i++) await tx.policies.createVersion(p.arn, `{"v":${i}}`, false, i);
      });
      const first = await c.store.read((r) => r.policies.listVersions(p.arn, { maxItems: 2 }));
      const second = await c.store.read((r) => r.policies.listVersions(p.arn, { maxItems: 2, marker: first.marker! }));
      const third = await c.store.read((r) => r.policies.listVersions(p.arn, { maxItems: 2, marker: second.marker! }));
      expect([...first.items, ...second.items, ...third.items].map((v) => v.versionId)).toEqual(['v5', 'v4', 'v3', 'v2', 'v1']);
      expect(third.isTruncated).toBe(false);
    });

    it('switches the default version and will not delete the default one', async () => {
      const acct = await c.account();
      const p = c.b.policy(acct, 'defaults');
      await c.store.transaction(async (tx) => {
        await tx.policies.create(p);
        await tx.policies.createVersion(p.arn, '{"v":2}', false, 10);
      });
      expect(await c.store.transaction((tx) => tx.policies.deleteVersion(p.arn, 'v1'))).toBe(false);
      expect(await c.store.transaction((tx) => tx.policies.setDefaultVersion(p.arn, 'v9', 20))).toBe(false);
      expect(await c.store.transaction((tx) => tx.policies.setDefaultVersion(p.arn, 'v2', 20))).toBe(true);
      expect((await c.store.read((r) => r.policies.getDefaultVersion(p.arn)))?.document).toBe('{"v":2}');
      expect((await c.store.read((r) => r.policies.getVersion(p.arn, 'v1')))?.isDefaultVersion).toBe(false);
      expect(await c.store.transaction((tx) => tx.policies.deleteVersion(p.arn, 'v1'))).toBe(true);
      expect(await c.store.read((r) => r.policies.getVersion(p.arn, 'v1'))).toBeUndefined();
    });

    it('lists local and AWS managed policies by scope, name order and path', async () => {
      const acct = await c.account();
      const other = await c.account();
      const awsPolicy = { ...c.b.policy(AWS_MANAGED_ACCOUNT_ID, `AwsManaged${acct}`, '/service-role/'), arn: `arn:aws:iam::aws:policy/service-role/AwsManaged${acct}` };
      await c.store.transaction(async (tx) => {
        await tx.policies.create(awsPolicy);
        await tx.policies.create(c.b.policy(acct, 'zLocal'));
        await tx.policies.create(c.b.policy(acct, 'aLocal', '/team/'));
        await tx.policies.create(c.b.policy(other, 'foreign'));
      });
      const names = async (scope: 'All' | 'AWS' | 'Local', pathPrefix?: string) =>
        (await c.store.read((r) => r.policies.list(acct, { maxItems: 1000, scope, ...(pathPrefix === undefined ? {} : { pathPrefix }) }))).items
          .map((p) => p.name)
          .filter((n) => !n.startsWith('AwsManaged') || n === awsPolicy.name);
      expect(await names('Local')).toEqual(['aLocal', 'zLocal']);
      expect(await names('AWS')).toEqual([awsPolicy.name]);
      expect(await names('All')).toEqual(['aLocal', awsPolicy.name, 'zLocal']);
      expect(await names('All', '/team/')).toEqual(['aLocal']);
      expect(await names('All', '/service-role/')).toEqual([awsPolicy.name]);
    });

    it('counts attachments and boundary use per viewing account, and filters on them', async () => {
      const a = await c.account();
      const b = await c.account();
      const shared = { ...c.b.policy(AWS_MANAGED_ACCOUNT_ID, `Shared${a}`), arn: `arn:aws:iam::aws:policy/Shared${a}` };
      const ua = c.b.user(a, 'ua');
      const rb = c.b.role(b, 'rb');
      const local = c.b.policy(a, 'unused');
      await c.store.transaction(async (tx) => {
        await tx.policies.create(shared);
        await tx.policies.create(local);
        await tx.users.create(ua);
        await tx.roles.create(rb);
        await tx.attachments.attach(a, 'user', ua.id, shared.arn);
        await tx.roles.update(b, rb.id, { permissionsBoundaryArn: shared.arn });
      });
      expect(await c.store.read((r) => r.policies.usage(a, shared.arn))).toEqual({ attachmentCount: 1, permissionsBoundaryUsageCount: 0 });
      expect(await c.store.read((r) => r.policies.usage(b, shared.arn))).toEqual({ attachmentCount: 0, permissionsBoundaryUsageCount: 1 });
      const listed = async (viewer: string, usage?: 'PermissionsPolicy' | 'PermissionsBoundary') =>
        (await c.store.read((r) => r.policies.list(viewer, { maxItems: 1000, onlyAttached: true, ...(usage === undefined ? {} : { usage }) }))).items.map((p) => p.arn);
      expect(await listed(a)).toEqual([shared.arn]);
      expect(await listed(a, 'PermissionsBoundary')).toEqual([]);
      expect(await listed(b, 'PermissionsBoundary')).toEqual([shared.arn]);
      expect(await listed(b, 'PermissionsPolicy')).toEqual([]);
    });

    it('refuses to delete a policy that is attached or used as a boundary, then deletes it with its versions and tags', async () => {
      const acct = await c.account();
      const p = c.b.policy(acct, 'in-use');
      const g = c.b.group(acct, 'g');
      const u = c.b.user(acct, 'u');
      await c.store.transaction(async (tx) => {
        await tx.policies.create(p);
        await tx.policies.createVersion(p.arn, '{}', false, 1);
        await tx.tags.put(acct, 'policy', p.id, [{ key: 'k', value: 'v' }]);
        await tx.groups.create(g);
        await tx.users.create(u);
        await tx.attachments.attach(acct, 'group', g.id, p.arn);
        await tx.users.update(acct, u.id, { permissionsBoundaryArn: p.arn });
      });
      await expect(c.store.transaction((tx) => tx.policies.delete(p.arn))).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction((tx) => tx.attachments.detach(acct, 'group', g.id, p.arn));
      await expect(c.store.transaction((tx) => tx.policies.delete(p.arn))).rejects.toBeInstanceOf(ReferenceViolationError);
      await c.store.transaction((tx) => tx.users.update(acct, u.id, { permissionsBoundaryArn: null }));
      expect(await c.store.transaction((tx) => tx.policies.delete(p.arn))).toBe(true);
      expect(await c.store.transaction((tx) => tx.policies.delete(p.arn))).toBe(false);
      expect(await c.store.read((r) => r.policies.getVersion(p.arn, 'v2'))).toBeUndefined();
      expect(await c.store.read((r) => r.tags.list(acct, 'policy', p.id))).toEqual([]);
      // The name is free again.
      await c.store.transaction((tx) => tx.policies.create(c.b.policy(acct, 'in-use')));
    });
  });

  describe('attachments and inline policies', () => {
    it('attaches idempotently, lists by policy name and filters by policy path', async () => {
      const acct = await c.account();
      const role = c.b.role(acct, 'r');
      const [p1, p2, p3] = [c.b.policy(acct, 'Zeta'), c.b.policy(acct, 'alpha', '/x/'), c.b.policy(acct, 'Mid', '/x/')];
      await c.store.transaction(async (tx) => {
        await tx.roles.create(role);
        for (const p of [p1, p2, p3]) {
          await tx.policies.create(p);
          expect(await tx.attachments.attach(acct, 'role', role.id, p.arn)).toBe(true);
        }
        expect(await tx.attachments.attach(acct, 'role', role.id, p1.arn)).toBe(false);
      });
      const list = await c.store.read((r) => r.attachments.list(acct, 'role', role.id, { maxItems: 10 }));
      expect(list.items).toEqual([
        { policyArn: p2.arn, policyName: 'alpha', policyPath: '/x/' },
        { policyArn: p3.arn, policyName: 'Mid', policyPath: '/x/' },
        { policyArn: p1.arn, policyName: 'Zeta', policyPath: '/' },
      ]);
      const filtered = await c.store.read((r) => r.attachments.list(acct, 'role', role.id, { maxItems: 1, pathPrefix: '/x/' }));
      expect(filtered.items.map((a) => a.policyName)).toEqual(['alpha']);
      const rest = await c.store.read((r) => r.attachments.list(acct, 'role', role.id, { maxItems: 1, pathPrefix: '/x/', marker: filtered.marker! }));
      expect(rest.items.map((a) => a.policyName)).toEqual(['Mid']);
      expect(await c.store.read((r) => r.attachments.count(acct, 'role', role.id))).toBe(3);
      expect(await c.store.read((r) => r.attachments.entitiesForPolicy(acct, p1.arn))).toEqual([{ principalType: 'role', id: role.id, name: 'r', path: '/' }]);
      expect(await c.store.transaction((tx) => tx.attachments.detach(acct, 'role', role.id, p1.arn))).toBe(true);
      expect(await c.store.transaction((tx) => tx.attachments.detach(acct, 'role', role.id, p1.arn))).toBe(false);
    });

    it('lists every kind of entity a policy is attached to, and counts local policies', async () => {
      const acct = await c.account();
      const p = c.b.policy(acct, 'everywhere');
      const [u, g, r] = [c.b.user(acct, 'eu'), c.b.group(acct, 'eg'), c.b.role(acct, 'er', '/svc/')];
      await c.store.transaction(async (tx) => {
        await tx.policies.create(p);
        await tx.policies.create(c.b.policy(acct, 'second'));
        await tx.users.create(u);
        await tx.groups.create(g);
        await tx.roles.create(r);
        await tx.attachments.attach(acct, 'role', r.id, p.arn);
        await tx.attachments.attach(acct, 'group', g.id, p.arn);
        await tx.attachments.attach(acct, 'user', u.id, p.arn);
      });
      expect(await c.store.read((x) => x.attachments.entitiesForPolicy(acct, p.arn))).toEqual([
        { principalType: 'user', id: u.id, name: 'eu', path: '/' },
        { principalType: 'group', id: g.id, name: 'eg', path: '/' },
        { principalType: 'role', id: r.id, name: 'er', path: '/svc/' },
      ]);
      expect(await c.store.read((x) => x.policies.usage(acct, p.arn))).toEqual({ attachmentCount: 3, permissionsBoundaryUsageCount: 0 });
      expect(await c.store.read((x) => x.policies.count(acct))).toBe(2);
    });

    it('refuses to attach a policy that does not exist', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'u');
      await c.store.transaction((tx) => tx.users.create(u));
      await expect(
        c.store.transaction((tx) => tx.attachments.attach(acct, 'user', u.id, `arn:aws:iam::${acct}:policy/nope`)),
      ).rejects.toBeInstanceOf(ReferenceViolationError);
    });

    it('puts, replaces, lists and deletes inline policies, keeping documents verbatim', async () => {
      const acct = await c.account();
      const g = c.b.group(acct, 'g');
      await c.store.transaction((tx) => tx.groups.create(g));
      const doc = '{ "Version":"2012-10-17" ,\t"Statement" : [] }';
      expect(await c.store.transaction((tx) => tx.inlinePolicies.put(acct, { principalType: 'group', principalId: g.id, name: 'b', document: doc }))).toBe(true);
      expect(await c.store.transaction((tx) => tx.inlinePolicies.put(acct, { principalType: 'group', principalId: g.id, name: 'a', document: '{}' }))).toBe(true);
      expect(await c.store.transaction((tx) => tx.inlinePolicies.put(acct, { principalType: 'group', principalId: g.id, name: 'a', document: '{"x":1}' }))).toBe(false);
      expect((await c.store.read((r) => r.inlinePolicies.get(acct, 'group', g.id, 'b')))?.document).toBe(doc);
      expect((await c.store.read((r) => r.inlinePolicies.get(acct, 'group', g.id, 'a')))?.document).toBe('{"x":1}');
      const page = await c.store.read((r) => r.inlinePolicies.listNames(acct, 'group', g.id, { maxItems: 1 }));
      expect(page.items).toEqual(['a']);
      const next = await c.store.read((r) => r.inlinePolicies.listNames(acct, 'group', g.id, { maxItems: 1, marker: page.marker! }));
      expect(next).toEqual({ items: ['b'], isTruncated: false });
      expect((await c.store.read((r) => r.inlinePolicies.all(acct, 'group', g.id))).map((p) => p.name)).toEqual(['a', 'b']);
      expect(await c.store.read((r) => r.inlinePolicies.get(acct, 'user', g.id, 'a'))).toBeUndefined();
      expect(await c.store.transaction((tx) => tx.inlinePolicies.delete(acct, 'group', g.id, 'a'))).toBe(true);
      expect(await c.store.transaction((tx) => tx.inlinePolicies.delete(acct, 'group', g.id, 'a'))).toBe(false);
    });
  });
}

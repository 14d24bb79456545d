import { describe, expect, it } from 'vitest';
import { AWS_MANAGED_ACCOUNT_ID } from '../records.js';
import type { ContractContext } from './context.js';

export function authorizationContract(c: ContractContext): void {
  describe('authorization read (policiesFor)', () => {
    it('gathers a user’s inline, attached, group and boundary policies at their default versions', async () => {
      const acct = await c.account();
      const u = c.b.user(acct, 'carol');
      const [gA, gB, gOther] = [c.b.group(acct, 'b-team'), c.b.group(acct, 'A-team'), c.b.group(acct, 'not-mine')];
      const own = c.b.policy(acct, 'Own', '/', '{"own":1}');
      const viaGroup = c.b.policy(acct, 'ViaGroup', '/', '{"group":1}');
      const boundary = c.b.policy(acct, 'Boundary', '/', '{"boundary":1}');
      const aws = { ...c.b.policy(AWS_MANAGED_ACCOUNT_ID, `ReadOnly${acct}`, '/', '{"aws":1}'), arn: `arn:aws:iam::aws:policy/ReadOnly${acct}` };
      await c.store.transaction(async (tx) => {
        await tx.users.create(u);
        for (const g of [gA, gB, gOther]) await tx.groups.create(g);
        for (const p of [own, viaGroup, boundary, aws]) await tx.policies.create(p);
        await tx.policies.createVersion(own.arn, '{"own":2}', true, 10);
        await tx.policies.createVersion(boundary.arn, '{"boundary":2}', false, 10);
        await tx.groups.addMember(acct, gA.id, u.id);
        await tx.groups.addMember(acct, gB.id, u.id);
        await tx.attachments.attach(acct, 'user', u.id, own.arn);
        await tx.attachments.attach(acct, 'user', u.id, aws.arn);
        await tx.attachments.attach(acct, 'group', gB.id, viaGroup.arn);
        await tx.attachments.attach(acct, 'group', gOther.id, own.arn);
        await tx.inlinePolicies.put(acct, { principalType: 'user', principalId: u.id, name: 'mine', document: '{"inline":"user"}' });
        await tx.inlinePolicies.put(acct, { principalType: 'group', principalId: gA.id, name: 'team', document: '{"inline":"group"}' });
        await tx.users.update(acct, u.id, { permissionsBoundaryArn: boundary.arn });
      });
      const set = await c.store.read((r) => r.authorization.policiesFor(acct, 'user', u.id));
      expect(set).toEqual({
        inline: [{ principalType: 'user', principalId: u.id, name: 'mine', document: '{"inline":"user"}' }],
        managed: [
          { arn: own.arn, versionId: 'v2', document: '{"own":2}' },
          { arn: aws.arn, versionId: 'v1', document: '{"aws":1}' },
        ],
        groups: [
          { group: gB, inline: [], managed: [{ arn: viaGroup.arn, versionId: 'v1', document: '{"group":1}' }] },
          { group: gA, inline: [{ principalType: 'group', principalId: gA.id, name: 'team', document: '{"inline":"group"}' }], managed: [] },
        ],
        boundary: { arn: boundary.arn, versionId: 'v1', document: '{"boundary":1}' },
      });
    });

    it('gathers a role’s policies and answers undefined for a missing principal', async () => {
      const acct = await c.account();
      const role = c.b.role(acct, 'worker');
      await c.store.transaction(async (tx) => {
        await tx.roles.create(role);
        await tx.inlinePolicies.put(acct, { principalType: 'role', principalId: role.id, name: 'p', document: '{}' });
      });
      expect(await c.store.read((r) => r.authorization.policiesFor(acct, 'role', role.id))).toEqual({
        inline: [{ principalType: 'role', principalId: role.id, name: 'p', document: '{}' }],
        managed: [],
        groups: [],
        boundary: null,
      });
      expect(await c.store.read((r) => r.authorization.policiesFor(acct, 'user', role.id))).toBeUndefined();
      expect(await c.store.read((r) => r.authorization.policiesFor(acct, 'group', 'AGPANOPE'))).toBeUndefined();
      const other = await c.account();
      expect(await c.store.read((r) => r.authorization.policiesFor(other, 'role', role.id))).toBeUndefined();
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../records.js';
import type { Store } from '../store.js';
import type { ContractContext } from './context.js';

/** Waits until `predicate` holds for the events received (bounded by the test timeout, not a threshold). */
async function waitFor(events: ChangeEvent[], predicate: (events: ChangeEvent[]) => boolean): Promise<void> {
  while (!predicate(events)) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function recorder(store: Store): Promise<{ events: ChangeEvent[]; stop: () => void }> {
  const events: ChangeEvent[] = [];
  const stop = await store.changes.subscribe((e) => events.push(e));
  return { events, stop };
}

export function changesContract(c: ContractContext): void {
  describe('change notifications', () => {
    it('publishes authorization-relevant changes after commit, in sequence order', async () => {
      const acct = await c.account();
      const { events, stop } = await recorder(c.store);
      try {
        const u = c.b.user(acct, 'watched');
        const g = c.b.group(acct, 'watched-group');
        const p = c.b.policy(acct, 'watched-policy');
        const k = c.b.accessKey(acct, u.id);
        await c.store.transaction(async (tx) => {
          await tx.users.create(u);
          await tx.groups.create(g);
          await tx.policies.create(p);
        });
        await c.store.transaction((tx) => tx.groups.addMember(acct, g.id, u.id));
        await c.store.transaction((tx) => tx.attachments.attach(acct, 'group', g.id, p.arn));
        await c.store.transaction((tx) => tx.policies.createVersion(p.arn, '{}', true, 5));
        await c.store.transaction((tx) => tx.users.update(acct, u.id, { permissionsBoundaryArn: p.arn }));
        await c.store.transaction((tx) => tx.accessKeys.create(k));
        await c.store.transaction((tx) => tx.accessKeys.updateStatus(acct, k.id, 'Inactive'));
        await c.store.transaction((tx) => tx.inlinePolicies.put(acct, { principalType: 'user', principalId: u.id, name: 'i', document: '{}' }));
        const mine = () => events.filter((e) => e.accountId === acct);
        await waitFor(events, () => mine().some((e) => e.kind === 'inlinePolicy'));
        const kinds = mine().map((e) => `${e.kind}:${e.entity}`);
        expect(kinds).toEqual([
          `user:${u.id}`,
          `group:${g.id}`,
          `policy:${p.id}`,
          `membership:${u.id}`,
          `attachment:${g.id}`,
          `policy:${p.id}`,
          `boundary:${u.id}`,
          `accessKey:${k.id}`,
          `accessKey:${k.id}`,
          `inlinePolicy:${u.id}`,
        ]);
        const seqs = mine().map((e) => e.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(seqs.length);
      } finally {
        stop();
      }
    });

    it('publishes trust-relevant changes: trust policy, role boundary, MFA, OIDC provider, tags', async () => {
      const acct = await c.account();
      const { events, stop } = await recorder(c.store);
      try {
        const role = c.b.role(acct, 'trusting');
        const p = c.b.policy(acct, 'rb');
        const u = c.b.user(acct, 'mfa-owner');
        const d = c.b.mfa(acct, 'watched-mfa');
        const arn = `arn:aws:iam::${acct}:oidc-provider/issuer.example`;
        await c.store.transaction(async (tx) => {
          await tx.roles.create(role);
          await tx.policies.create(p);
          await tx.users.create(u);
          await tx.mfaDevices.create(d);
        });
        // Let the setup's own events arrive first (PostgreSQL delivers them asynchronously).
        await waitFor(events, (es) => es.some((e) => e.kind === 'mfa' && e.entity === d.serial));
        const before = events.length;
        await c.store.transaction((tx) => tx.roles.update(acct, role.id, { assumeRolePolicyDocument: '{}' }));
        await c.store.transaction((tx) => tx.roles.update(acct, role.id, { permissionsBoundaryArn: p.arn }));
        await c.store.transaction((tx) => tx.mfaDevices.enable(acct, d.serial, u.id, 1, 1));
        await c.store.transaction((tx) => tx.oidcProviders.create({ accountId: acct, arn, url: 'https://issuer.example', clientIds: [], thumbprints: [], createdAt: 1 }));
        await c.store.transaction((tx) => tx.oidcProviders.update(acct, arn, { clientIds: ['sts.amazonaws.com'] }));
        await c.store.transaction((tx) => tx.tags.put(acct, 'role', role.id, [{ key: 'team', value: 'x' }]));
        await c.store.transaction((tx) => tx.mfaDevices.deactivate(acct, d.serial));
        await waitFor(events, (es) => es.slice(before).filter((e) => e.accountId === acct).length >= 7);
        expect(events.slice(before).filter((e) => e.accountId === acct).map((e) => `${e.kind}:${e.entity}`)).toEqual([
          `trustPolicy:${role.id}`,
          `boundary:${role.id}`,
          `mfa:${d.serial}`,
          `oidcProvider:${arn}`,
          `oidcProvider:${arn}`,
          `tags:${role.id}`,
          `mfa:${d.serial}`,
        ]);
      } finally {
        stop();
      }
    });

    it('publishes nothing for a rolled-back transaction', async () => {
      const acct = await c.account();
      const { events, stop } = await recorder(c.store);
      try {
        const u = c.b.user(acct, 'never');
        await expect(
          c.store.transaction(async (tx) => {
            await tx.users.create(u);
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        // A later committed change acts as a barrier: once it arrives, anything earlier would have too.
        const marker = c.b.user(acct, 'barrier');
        await c.store.transaction((tx) => tx.users.create(marker));
        await waitFor(events, (es) => es.some((e) => e.entity === marker.id));
        expect(events.filter((e) => e.entity === u.id)).toEqual([]);
      } finally {
        stop();
      }
    });

    it('keeps the change log pollable by sequence', async () => {
      const acct = await c.account();
      const before = await c.store.read((r) => r.changeLog.head());
      const u = c.b.user(acct, 'polled');
      await c.store.transaction((tx) => tx.users.create(u));
      await c.store.transaction((tx) => tx.users.update(acct, u.id, { path: '/moved/' }));
      const after = await c.store.read((r) => r.changeLog.since(before));
      expect(after.filter((e) => e.accountId === acct).map((e) => e.kind)).toEqual(['user', 'user']);
      expect(await c.store.read((r) => r.changeLog.head())).toBeGreaterThan(before);
      expect(await c.store.read((r) => r.changeLog.since(before, 1))).toHaveLength(1);
    });

    it('stops delivering after unsubscribe and isolates a throwing listener', async () => {
      const acct = await c.account();
      const received: string[] = [];
      const stopThrowing = await c.store.changes.subscribe(() => {
        throw new Error('bad listener');
      });
      const { events, stop } = await recorder(c.store);
      const stopCounting = await c.store.changes.subscribe((e) => received.push(e.entity));
      stopCounting();
      try {
        const u = c.b.user(acct, 'isolated');
        await c.store.transaction((tx) => tx.users.create(u));
        await waitFor(events, (es) => es.some((e) => e.entity === u.id));
        expect(received).not.toContain(u.id);
      } finally {
        stop();
        stopThrowing();
      }
    });

    it('delivers a change committed through one instance to a subscriber on another', async (t) => {
      if (c.fixture.openPeer === undefined) {
        t.skip();
        return;
      }
      const peer = await c.fixture.openPeer();
      try {
        const { events, stop } = await recorder(peer);
        const acct = await c.account();
        const u = c.b.user(acct, 'remote');
        await c.store.transaction((tx) => tx.users.create(u));
        await c.store.transaction((tx) => tx.users.update(acct, u.id, { path: '/x/' }));
        await waitFor(events, (es) => es.filter((e) => e.entity === u.id).length === 2);
        expect(events.filter((e) => e.entity === u.id).map((e) => e.kind)).toEqual(['user', 'user']);
        stop();
      } finally {
        await peer.close();
      }
    });
  });
}

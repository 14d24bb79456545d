import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessDeniedMessage, Authorizer } from '../src/index.js';
import { ACCOUNT, allow, failure, fixture, putUserPolicy, type Fixture } from './helpers/fixture.js';

describe('Authorizer', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('compiles a principal once and serves it from the cache', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    const authorizer = new Authorizer();
    const first = await f.store.read((r) => authorizer.principal(r, ACCOUNT, bob.identity));
    const second = await f.store.read((r) => authorizer.principal(r, ACCOUNT, bob.identity));
    expect(second).toBe(first);
    expect(first.identity).toHaveLength(1);
  });

  it('drops only the named principal for a user-scoped change, the whole account for a group change', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    const carol = await f.user('carol', allow('iam:ListUsers'));
    const authorizer = new Authorizer();
    const load = () => f.store.read(async (r) => [await authorizer.principal(r, ACCOUNT, bob.identity), await authorizer.principal(r, ACCOUNT, carol.identity)] as const);
    const [b1, c1] = await load();
    authorizer.invalidate({ seq: 1, kind: 'inlinePolicy', accountId: ACCOUNT, entity: bob.identity.kind === 'user' ? bob.identity.id : '' });
    const [b2, c2] = await load();
    expect(b2).not.toBe(b1);
    expect(c2).toBe(c1);
    authorizer.invalidate({ seq: 2, kind: 'attachment', accountId: ACCOUNT, entity: 'AGPAEXAMPLEEXAMPLE12' });
    const [b3, c3] = await load();
    expect(b3).not.toBe(b2);
    expect(c3).not.toBe(c2);
    // Changes that do not touch permissions keep the cache.
    authorizer.invalidate({ seq: 3, kind: 'accessKey', accountId: ACCOUNT, entity: 'AKIAEXAMPLE' });
    const [b4] = await load();
    expect(b4).toBe(b3);
    // Another account's changes keep it too; AWS managed policy changes drop everything.
    authorizer.invalidate({ seq: 4, kind: 'policy', accountId: '999999999999', entity: 'ANPAX' });
    expect(authorizer.cachedPrincipals).toBe(2);
    authorizer.invalidate({ seq: 5, kind: 'policy', accountId: 'aws', entity: 'ANPAX' });
    expect(authorizer.cachedPrincipals).toBe(0);
  });

  it('does not rely on id prefixes: a change naming any uncached entity drops the account', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    const authorizer = new Authorizer();
    const first = await f.store.read((r) => authorizer.principal(r, ACCOUNT, bob.identity));
    authorizer.invalidate({ seq: 1, kind: 'inlinePolicy', accountId: ACCOUNT, entity: 'group-with-a-custom-id' });
    expect(await f.store.read((r) => authorizer.principal(r, ACCOUNT, bob.identity))).not.toBe(first);
  });

  it('keeps at most maxPrincipals compiled principals', async () => {
    const authorizer = new Authorizer({ maxPrincipals: 2 });
    const callers = [await f.user('a'), await f.user('b'), await f.user('c')];
    await f.store.read(async (r) => {
      for (const c of callers) await authorizer.principal(r, ACCOUNT, c.identity);
    });
    expect(authorizer.cachedPrincipals).toBe(2);
  });

  it('does not cache a load that raced an invalidation', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    const authorizer = new Authorizer();
    await f.store.read(async (r) => {
      const pending = authorizer.principal(r, ACCOUNT, bob.identity);
      authorizer.invalidate({ seq: 9, kind: 'group', accountId: ACCOUNT, entity: 'AGPAX' });
      await pending;
    });
    expect(authorizer.cachedPrincipals).toBe(0);
  });

  it('sees a change through the service’s live change feed', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    await f.call('ListUsers', {}, bob);
    await putUserPolicy(f.store, ACCOUNT, 'bob', 'inline', allow('iam:ListGroups'));
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
  });

  it('gives a deleted principal no permissions', async () => {
    const bob = await f.user('bob', allow('iam:ListUsers'));
    await f.store.transaction(async (tx) => {
      const user = await tx.users.getByName(ACCOUNT, 'bob');
      await tx.inlinePolicies.delete(ACCOUNT, 'user', user!.id, 'inline');
      await tx.users.delete(ACCOUNT, user!.id);
    });
    expect((await failure(f.call('ListUsers', {}, bob))).code).toBe('AccessDenied');
  });
});

describe('accessDeniedMessage', () => {
  const base = { missingContextKeys: [], errors: [] };
  const arn = 'arn:aws:iam::1:user/a';
  it('names the failing policy type with AWS article and wording', () => {
    expect(accessDeniedMessage(arn, 'iam:X', '*', { ...base, decision: 'implicitDeny', matchedStatements: [], notAllowedBy: ['session'] })).toBe(
      'User: arn:aws:iam::1:user/a is not authorized to perform: iam:X on resource: * because no session policy allows the iam:X action',
    );
    expect(
      accessDeniedMessage(arn, 'iam:X', '*', { ...base, decision: 'explicitDeny', matchedStatements: [{ policyType: 'scp', policyId: 'p', statementIndex: 0, effect: 'Deny' }], notAllowedBy: [] }),
    ).toBe('User: arn:aws:iam::1:user/a is not authorized to perform: iam:X on resource: * with an explicit deny in a service control policy');
    expect(
      accessDeniedMessage(arn, 'iam:X', '*', { ...base, decision: 'explicitDeny', matchedStatements: [{ policyType: 'session', policyId: 'p', statementIndex: 0, effect: 'Deny' }], notAllowedBy: [] }),
    ).toMatch(/with an explicit deny in a session policy$/);
  });
});

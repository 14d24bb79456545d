import { randomBytes } from 'node:crypto';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
import type { Store } from '@latchkey/store';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openStore } from '@latchkey/store-sql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_MANAGED_POLICIES, IamService, rootCaller, userCaller, type Caller, type RequestEnv } from '../src/index.js';
import { ACCOUNT, allow, failure, params, random, START } from './helpers/fixture.js';
import { localPolicyArn, out, trust } from './helpers/policies-fixture.js';

// The same operations on PostgreSQL, by two service instances sharing one database (as several
// servers do): seeding races, row locks in attach/put, and decisions on one instance following
// changes made through the other. Runs under CI=true (PostgreSQL at 127.0.0.1:5432, database test).

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const candidates = process.env['LATCHKEY_TEST_PG_URL'] !== undefined ? [process.env['LATCHKEY_TEST_PG_URL']] : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
let PG_URL: string | undefined;
for (const url of candidates) {
  if (await reachable(url)) {
    PG_URL = url;
    break;
  }
}
if (PG_URL === undefined && process.env['CI'] === 'true') throw new Error('CI=true but PostgreSQL is not reachable at 127.0.0.1:5432 (database test)');

describe.skipIf(PG_URL === undefined)('policy operations on PostgreSQL, two instances', () => {
  const schema = `latchkey_iam_policies_${randomBytes(6).toString('hex')}`;
  const stores: Store[] = [];
  const services: IamService[] = [];
  let root: Caller;
  let requests = 0;
  const env = (): RequestEnv => ({ requestId: `pg-${++requests}`, now: new Date(START), secureTransport: true, region: 'us-east-1' });
  const call = (i: number, action: string, values: Record<string, string> = {}, caller: Caller = root) => services[i]!.invoke(action, params(action, values), caller, env());

  beforeAll(async () => {
    const keyring = Keyring.fromText(generateMasterKey(random, { id: 'pg1' }), { random });
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ url: `${PG_URL!}?schema=${schema}` });
      stores.push(store);
      services.push(new IamService({ store, keyring, random }));
    }
    // Both instances start (and seed) at once.
    await Promise.all(services.map((s) => s.start()));
    const created = await services[0]!.createAccount({ accountId: ACCOUNT }, new Date(START));
    root = rootCaller(ACCOUNT, created.rootAccessKeyId);
  }, 60_000);

  afterAll(async () => {
    for (const s of services) s.close();
    for (const s of stores) await s.close();
    if (PG_URL !== undefined) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await client.end();
    }
  });

  it('seeds the AWS managed policies exactly once when instances start together', async () => {
    const aws = out(await call(1, 'ListPolicies', { Scope: 'AWS', MaxItems: '1000' })).Policies;
    expect(aws.map((p: { PolicyName: string }) => p.PolicyName).sort()).toEqual(AWS_MANAGED_POLICIES.map((p) => p.name).sort());
    const versions = out(await call(0, 'ListPolicyVersions', { PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })).Versions;
    expect(versions.map((v: { VersionId: string }) => v.VersionId)).toEqual(['v4', 'v3', 'v2', 'v1']);
  });

  it('runs the policy families and enforces limits under row locks', async () => {
    await call(0, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    await call(1, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: allow('s3:*') });
    await call(0, 'AttachRolePolicy', { RoleName: 'r', PolicyArn: localPolicyArn('p') });
    await call(1, 'PutRolePolicy', { RoleName: 'r', PolicyName: 'i', PolicyDocument: allow('sqs:*') });
    expect((await failure(call(0, 'DeleteRole', { RoleName: 'r' }))).code).toBe('DeleteConflict');
    expect((await failure(call(1, 'DeletePolicy', { PolicyArn: localPolicyArn('p') }))).code).toBe('DeleteConflict');
    // Four concurrent new versions on two instances: the 5-version limit holds.
    const results = await Promise.allSettled([0, 1, 0, 1, 0].map((i, n) => call(i, 'CreatePolicyVersion', { PolicyArn: localPolicyArn('p'), PolicyDocument: allow(`s3:Get${n}`) })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(out(await call(0, 'ListPolicyVersions', { PolicyArn: localPolicyArn('p') })).Versions).toHaveLength(5);
    const details = out(await call(1, 'GetAccountAuthorizationDetails', {}));
    expect(details.RoleDetailList[0].AttachedManagedPolicies).toEqual([{ PolicyName: 'p', PolicyArn: localPolicyArn('p') }]);
  });

  it('answers a name race between instances with the name-bearing AWS error', async () => {
    const policies = await Promise.allSettled([0, 1].map((i) => call(i, 'CreatePolicy', { PolicyName: 'race', Path: i === 0 ? '/' : '/x/', PolicyDocument: allow('s3:*') })));
    const lost = policies.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: 'EntityAlreadyExists', message: 'A policy called race already exists. Duplicate names are not allowed.' });
    const roles = await Promise.allSettled([0, 1].map((i) => call(i, 'CreateRole', { RoleName: 'Race', AssumeRolePolicyDocument: trust() })));
    const lostRole = roles.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lostRole).toHaveLength(1);
    expect(lostRole[0]!.reason).toMatchObject({ code: 'EntityAlreadyExists', message: 'Role with name Race already exists.' });
  });

  it('enforces on one instance a change made through the other', async () => {
    await call(0, 'CreateUser', { UserName: 'alice' });
    const user = (await stores[0]!.read((r) => r.users.getByName(ACCOUNT, 'alice')))!;
    const alice = userCaller(user);
    expect((await failure(call(1, 'ListRoles', {}, alice))).code).toBe('AccessDenied');
    await call(0, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    // The other instance learns of the change through the change feed (LISTEN/NOTIFY); wait for it.
    let allowed = false;
    for (let i = 0; i < 100 && !allowed; i++) {
      allowed = await call(1, 'ListRoles', {}, alice).then(
        () => true,
        () => false,
      );
      if (!allowed) await new Promise((r) => setTimeout(r, 50));
    }
    expect(allowed).toBe(true);
  });
});

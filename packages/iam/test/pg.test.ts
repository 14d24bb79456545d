import { randomBytes } from 'node:crypto';
import { generateMasterKey, Keyring } from '@latchkey/keyring';
// pg comes with store-sql (a devDependency); used here only to drop the test schema.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openStore } from '@latchkey/store-sql';
import type { Store } from '@latchkey/store';
import { IamService, rootCaller, userCaller, type Caller } from '../src/index.js';
import { ACCOUNT, allow, params, putUserPolicy, random, START } from './helpers/fixture.js';

// PostgreSQL at 127.0.0.1:5432 (database `test`, trust auth). Under CI=true it must be there;
// elsewhere these tests are skipped with a message when it is not.
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
  console.warn('[iam] PostgreSQL not reachable at 127.0.0.1:5432/test: skipping PostgreSQL tests');
  return undefined;
}

const PG_URL = await findPg();

describe.skipIf(PG_URL === undefined)('IamService on PostgreSQL, two instances', () => {
  const schema = `latchkey_iam_${randomBytes(6).toString('hex')}`;
  const stores: Store[] = [];
  const services: IamService[] = [];
  let root: Caller;

  const env = () => ({ requestId: 'r', now: new Date(START), sourceIp: '203.0.113.7', secureTransport: true, region: 'us-east-1' });
  const call = (i: number, action: string, values: Record<string, string> = {}, caller: Caller = root) => services[i]!.invoke(action, params(action, values), caller, env());

  beforeAll(async () => {
    const keyring = Keyring.fromText(generateMasterKey(random, { id: 'pg1' }), { random });
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ url: PG_URL!, schema, poolSize: 4 });
      const iam = new IamService({ store, keyring, random });
      await iam.start();
      stores.push(store);
      services.push(iam);
    }
    const created = await services[0]!.createAccount({ accountId: ACCOUNT }, new Date(START));
    root = rootCaller(ACCOUNT, created.rootAccessKeyId);
  });

  afterAll(async () => {
    for (const s of services) s.close();
    for (const s of stores) await s.close();
    const client = new pg.Client({ connectionString: PG_URL! });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    } finally {
      await client.end();
    }
  });

  it('lets exactly one of two concurrent CreateUser calls for one name win, with AWS text for the other', async () => {
    const results = await Promise.allSettled([call(0, 'CreateUser', { UserName: 'race' }), call(1, 'CreateUser', { UserName: 'RACE' })]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'EntityAlreadyExists', message: expect.stringMatching(/^User with name (race|RACE) already exists\.$/) });
  });

  it('holds the two-keys-per-user limit under concurrent creation', async () => {
    await call(0, 'CreateUser', { UserName: 'keys' });
    const results = await Promise.allSettled([0, 1, 0, 1].map((i) => call(i, 'CreateAccessKey', { UserName: 'keys' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'LimitExceeded', message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
  });

  it('holds the ten-groups-per-user limit when two instances add at once, and adding twice stays idempotent', async () => {
    await call(0, 'CreateUser', { UserName: 'member' });
    for (let i = 0; i < 12; i++) await call(i % 2, 'CreateGroup', { GroupName: `grp${i}` });
    for (let i = 0; i < 9; i++) await call(i % 2, 'AddUserToGroup', { GroupName: `grp${i}`, UserName: 'member' });
    const results = await Promise.allSettled([9, 10, 11].map((i) => call(i % 2, 'AddUserToGroup', { GroupName: `grp${i}`, UserName: 'member' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'LimitExceeded', message: 'Cannot exceed quota for GroupsPerUser: 10' });
    const same = await Promise.allSettled([call(0, 'AddUserToGroup', { GroupName: 'grp0', UserName: 'member' }), call(1, 'AddUserToGroup', { GroupName: 'grp0', UserName: 'member' })]);
    expect(same.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const groups = (await call(1, 'ListGroupsForUser', { UserName: 'member' })) as { Groups: unknown[] };
    expect(groups.Groups).toHaveLength(10);
  });

  it('enforces on one instance a policy change made through the other', async () => {
    await call(0, 'CreateUser', { UserName: 'bob' });
    await putUserPolicy(stores[0]!, ACCOUNT, 'bob', 'p', allow('iam:ListUsers'));
    const user = await stores[0]!.read((r) => r.users.getByName(ACCOUNT, 'bob'));
    const bob = userCaller(user!);
    await call(1, 'ListUsers', {}, bob); // instance 1 now caches bob's compiled policies
    await putUserPolicy(stores[0]!, ACCOUNT, 'bob', 'p', allow('iam:ListGroups'));
    // The NOTIFY reaches instance 1 asynchronously: poll until it denies (the test timeout bounds the wait).
    for (;;) {
      const outcome = await call(1, 'ListUsers', {}, bob).then(
        () => 'allowed',
        (e: { code: string }) => e.code,
      );
      if (outcome === 'AccessDenied') break;
      expect(outcome).toBe('allowed');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('resolves a deactivated key as inactive on the other instance', async () => {
    await call(0, 'CreateUser', { UserName: 'carol' });
    const { AccessKey } = (await call(0, 'CreateAccessKey', { UserName: 'carol' })) as { AccessKey: { AccessKeyId: string } };
    expect((await services[1]!.resolveAccessKey(AccessKey.AccessKeyId))!.status).toBe('Active');
    await call(0, 'UpdateAccessKey', { UserName: 'carol', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    for (;;) {
      const status = (await services[1]!.resolveAccessKey(AccessKey.AccessKeyId))!.status;
      if (status === 'Inactive') break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});

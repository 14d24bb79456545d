import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, failure, fixture, type Fixture } from './helpers/fixture.js';
import { trust } from './helpers/policies-fixture.js';

// How each kind of stored document is validated, as data: `managed` through CreatePolicy,
// `inline` through PutRolePolicy, `trust` through CreateRole. `code: null` = accepted.
interface Case {
  name: string;
  kind: 'managed' | 'inline' | 'trust';
  document: string;
  code: string | null;
  message: string | null;
}

const cases = JSON.parse(readFileSync(new URL('./cases/policy-documents.json', import.meta.url), 'utf8')) as Case[];

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
  await f.call('CreateRole', { RoleName: 'holder', AssumeRolePolicyDocument: trust() });
  await f.call('CreateRole', { RoleName: 'existing', AssumeRolePolicyDocument: trust() });
});
afterAll(async () => {
  await f.close();
});

let n = 0;
function attempt(c: Case): Promise<unknown> {
  const name = `c${n++}`;
  switch (c.kind) {
    case 'managed':
      return f.call('CreatePolicy', { PolicyName: name, PolicyDocument: c.document });
    case 'inline':
      return f.call('PutRolePolicy', { RoleName: 'holder', PolicyName: name, PolicyDocument: c.document });
    case 'trust':
      return f.call('CreateRole', { RoleName: name, AssumeRolePolicyDocument: c.document });
  }
}

describe('policy documents (test/cases/policy-documents.json)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    if (c.code === null) {
      await attempt(c);
      return;
    }
    const before = await f.store.read(async (r) => [await r.policies.count(ACCOUNT), await r.roles.count(ACCOUNT)]);
    expect(await failure(attempt(c))).toMatchObject({ code: c.code, message: c.message, status: 400 });
    // Nothing is left behind by a refused document.
    expect(await f.store.read(async (r) => [await r.policies.count(ACCOUNT), await r.roles.count(ACCOUNT)])).toEqual(before);
  });
});

import { validatePolicy, type ServiceCatalog } from '@latchkey/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IamService, securityWarnings, type Caller } from '../src/index.js';
import { ACCOUNT, allow, failure, fixture, params, policy, random, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let strict: IamService;
beforeEach(async () => {
  f = await fixture();
  strict = new IamService({ store: f.store, keyring: f.keyring, random, strictPolicies: true });
});
afterEach(async () => {
  strict.close();
  await f.close();
});

const run = (action: string, values: Record<string, string>, caller: Caller = f.root) => strict.invoke(action, params(action, values), caller, f.env());

const notAction = policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
const passRoleStar = policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' });
const publicTrust = policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' });

describe('withStrictPolicies (IamService strictPolicies)', () => {
  it('refuses a managed policy with Allow + NotAction, creating nothing, while the default service accepts it', async () => {
    const err = await failure(run('CreatePolicy', { PolicyName: 'broad', PolicyDocument: notAction }));
    expect(err.code).toBe('MalformedPolicyDocument');
    expect(err.message).toContain('AllowWithNotAction');
    expect((await failure(f.call('GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/broad` }))).code).toBe('NoSuchEntity');
    await f.call('CreatePolicy', { PolicyName: 'broad', PolicyDocument: notAction });
    expect(await f.call('GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/broad` })).toBeDefined();
  });

  it('refuses iam:PassRole on * in inline policies and policy versions, accepts clean documents', async () => {
    await f.call('CreateUser', { UserName: 'u' });
    expect((await failure(run('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: passRoleStar }))).code).toBe('MalformedPolicyDocument');
    expect((await f.store.read(async (r) => r.inlinePolicies.all(ACCOUNT, 'user', (await r.users.getByName(ACCOUNT, 'u'))!.id))).length).toBe(0);
    await run('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: allow('s3:GetObject', 'arn:aws:s3:::b/*') });
    await run('CreatePolicy', { PolicyName: 'ok', PolicyDocument: allow('s3:ListBucket', 'arn:aws:s3:::b') });
    const version = await failure(run('CreatePolicyVersion', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/ok`, PolicyDocument: passRoleStar }));
    expect(version.code).toBe('MalformedPolicyDocument');
  });

  it('refuses a trust policy open to every principal without a condition', async () => {
    const warnings = securityWarnings(publicTrust, 'trust').map((w) => w.code);
    expect(warnings.length).toBeGreaterThan(0);
    const err = await failure(run('CreateRole', { RoleName: 'open', AssumeRolePolicyDocument: publicTrust }));
    expect(err.code).toBe('MalformedPolicyDocument');
    expect(warnings.some((code) => err.message.includes(code))).toBe(true);
    expect((await failure(f.call('GetRole', { RoleName: 'open' }))).code).toBe('NoSuchEntity');
  });

  it('answers AccessDenied before the strict check for an unauthorized caller', async () => {
    const nobody = await f.user('nobody');
    expect((await failure(run('CreatePolicy', { PolicyName: 'x', PolicyDocument: notAction }, nobody))).code).toBe('AccessDenied');
  });

  it('leaves hygiene warnings (a redundant statement) alone', async () => {
    const doc = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    expect(validatePolicy(doc, { type: 'identity' }).diagnostics.map((d) => d.code)).toContain('RedundantStatement');
    expect(securityWarnings(doc, 'identity')).toEqual([]);
    await run('CreatePolicy', { PolicyName: 'dup', PolicyDocument: doc });
    expect(await f.call('GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/dup` })).toBeDefined();
  });
});

describe('withStrictPolicies with registered service catalogs (serviceCatalogs)', () => {
  // A partial catalog as the server builds it from the account's registered catalogs.
  const orders: ServiceCatalog = {
    partial: true,
    hasService: (prefix) => prefix === 'orders',
    hasAction: (action) => action.toLowerCase() === 'orders:getorder',
    conditionKeyType: () => undefined,
    actionsOf: (prefix) => (prefix === 'orders' ? ['GetOrder'] : []),
  };
  const asked: string[] = [];
  let withCatalogs: IamService;
  beforeEach(() => {
    asked.length = 0;
    withCatalogs = new IamService({
      store: f.store,
      keyring: f.keyring,
      random,
      strictPolicies: true,
      serviceCatalogs: async (_repos, accountId) => {
        asked.push(accountId);
        return accountId === ACCOUNT ? orders : undefined;
      },
    });
  });
  afterEach(() => withCatalogs.close());

  it("refuses an undeclared action of a registered service in the caller's account, and nothing else", async () => {
    await f.call('CreateUser', { UserName: 'u' });
    const put = (document: string) => withCatalogs.invoke('PutUserPolicy', params('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: document }), f.root, f.env());
    const err = await failure(put(policy({ Effect: 'Deny', Action: 'orders:GetOrdr', Resource: '*' })));
    expect([err.code, err.message]).toEqual(['MalformedPolicyDocument', '"orders:GetOrdr" is not a known action of orders. [UnknownAction at /Statement/0/Action]']);
    expect(asked).toEqual([ACCOUNT]);
    await put(policy({ Effect: 'Deny', Action: ['orders:GetOrder', 's3:GetObjekt'], Resource: '*' }));
    // The strict checks without a catalog still apply.
    expect((await failure(put(passRoleStar))).code).toBe('MalformedPolicyDocument');
  });

  it('does not look catalogs up for a call refused earlier (AccessDenied first)', async () => {
    const nobody = await f.user('nobody');
    const err = await failure(withCatalogs.invoke('CreatePolicy', params('CreatePolicy', { PolicyName: 'x', PolicyDocument: policy({ Effect: 'Allow', Action: 'orders:Nope', Resource: '*' }) }), nobody, f.env()));
    expect(err.code).toBe('AccessDenied');
    expect(asked).toEqual([]);
  });

  it('securityWarnings reports registered-service typos only with a partial catalog', () => {
    const typo = policy({ Effect: 'Deny', Action: 'orders:GetOrdr', Resource: '*' });
    expect(securityWarnings(typo, 'identity')).toEqual([]);
    expect(securityWarnings(typo, 'identity', false, orders).map((w) => w.code)).toEqual(['UnknownAction']);
    // A full catalog's unknown names stay hygiene (the CLI's AWS service data): only partial ones are registered services.
    expect(securityWarnings(typo, 'identity', false, { ...orders, partial: false }).map((w) => w.code)).toEqual([]);
  });
});

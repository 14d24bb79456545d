import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, failure, fixture, type Fixture } from './helpers/fixture.js';
import { buildRequestContext } from '@latchkey/iam';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.close();
});

async function deniedMessage(): Promise<{ encoded: string; callerArn: string }> {
  const bob = await f.user('bob', JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }] }));
  const action = 'iam:DeleteUser';
  const resource = `arn:aws:iam::${ACCOUNT}:user/carol`;
  const env = f.env();
  const decision = await f.store.read((r) => f.iam.authorizer.decide(r, bob, env, action, resource));
  const context = buildRequestContext(bob, env, [], action);
  return { encoded: await f.sts.encodeAuthorizationMessage(decision, { caller: bob, action, resource, context }), callerArn: bob.arn };
}

describe('DecodeAuthorizationMessage', () => {
  it('decodes for a principal allowed sts:DecodeAuthorizationMessage, with AWS decoded shape', async () => {
    const { encoded, callerArn } = await deniedMessage();
    const auditor = await f.user('auditor', allow('sts:DecodeAuthorizationMessage'));
    const out = (await f.sts_('DecodeAuthorizationMessage', { EncodedMessage: encoded }, auditor)) as { DecodedMessage: string };
    const decoded = JSON.parse(out.DecodedMessage);
    expect(decoded.allowed).toBe(false);
    expect(decoded.explicitDeny).toBe(true);
    expect(decoded.matchedStatements.items).toEqual([{ statementId: 'NoDelete', effect: 'DENY', policyType: 'identity', policyId: 'user/bob/inline', statementIndex: 0 }]);
    expect(decoded.context.principal.arn).toBe(callerArn);
    expect(decoded.context.action).toBe('iam:DeleteUser');
    expect(decoded.context.conditions.items).toContainEqual({ key: 'aws:username', values: { items: [{ value: 'bob' }] } });
  });

  it('denies principals without the permission, before looking at the message', async () => {
    const { encoded } = await deniedMessage();
    const nobody = await f.user('nobody');
    const err = await failure(f.sts_('DecodeAuthorizationMessage', { EncodedMessage: encoded }, nobody));
    expect(err.code).toBe('AccessDenied');
    expect((await failure(f.sts_('DecodeAuthorizationMessage', { EncodedMessage: 'garbage' }, nobody))).code).toBe('AccessDenied');
  });

  it('refuses altered or foreign messages with InvalidAuthorizationMessageException', async () => {
    const { encoded } = await deniedMessage();
    const auditor = await f.user('auditor', allow('sts:DecodeAuthorizationMessage'));
    const altered = encoded.slice(0, -3) + (encoded.endsWith('A') ? 'BBB' : 'AAA');
    for (const bad of [altered, 'garbage', encoded.split('.').slice(0, 3).join('.')]) {
      expect(await failure(f.sts_('DecodeAuthorizationMessage', { EncodedMessage: bad }, auditor))).toMatchObject({ code: 'InvalidAuthorizationMessageException', status: 400 });
    }
    const other = await fixture();
    try {
      const theirs = await other.sts.encodeAuthorizationMessage(
        { decision: 'implicitDeny', matchedStatements: [], notAllowedBy: ['identity'], missingContextKeys: [], errors: [] },
        { caller: other.root(), action: 'iam:GetUser', resource: '*', context: {} },
      );
      expect((await failure(f.sts_('DecodeAuthorizationMessage', { EncodedMessage: theirs }, auditor))).code).toBe('InvalidAuthorizationMessageException');
    } finally {
      await other.close();
    }
  });
});

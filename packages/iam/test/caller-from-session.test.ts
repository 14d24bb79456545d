import type { Session } from '@latchkey/keyring';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callerFromSession } from '../src/index.js';
import { ACCOUNT, allow, failure, fixture, role, START, type Fixture } from './helpers/fixture.js';

const base = { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', secretAccessKey: 'secret', accountId: ACCOUNT, issuedAt: START / 1000, expiresAt: START / 1000 + 3600 };

describe('callerFromSession', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('maps an AssumeRole session to the role identity with the session ARN, policies, tags and MFA time', () => {
    const session: Session = {
      ...base,
      type: 'AssumedRole',
      principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s1`,
      principalId: 'AROAEXAMPLEEXAMPLE123:s1',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/ops/Admin`,
      sessionPolicy: allow('iam:List*'),
      sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      tags: [{ key: 'team', value: 'core' }],
      sourceIdentity: 'alice',
      mfaAuthenticatedAt: START / 1000 - 60,
    };
    expect(callerFromSession(session)).toEqual({
      kind: 'assumed-role',
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s1`,
      userId: 'AROAEXAMPLEEXAMPLE123:s1',
      identity: { kind: 'role', id: 'AROAEXAMPLEEXAMPLE123', name: 'Admin', arn: `arn:aws:iam::${ACCOUNT}:role/ops/Admin` },
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      session: {
        issuedAt: new Date(START),
        expiresAt: new Date(START + 3600_000),
        mfaAuthenticatedAt: new Date(START - 60_000),
        policies: [allow('iam:List*')],
        policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        tags: [{ key: 'team', value: 'core' }],
        sourceIdentity: 'alice',
      },
    });
  });

  it('gives a role session the role’s permissions narrowed by its session policy', async () => {
    const admin = await role(f.store, ACCOUNT, 'Admin', { all: allow('iam:*') });
    const caller = callerFromSession({ ...base, type: 'AssumedRole', principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s1`, principalId: `${admin.id}:s1`, roleArn: admin.arn, sessionPolicy: allow('iam:ListUsers') });
    await f.call('ListUsers', {}, caller);
    expect((await failure(f.call('ListGroups', {}, caller))).message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s1 is not authorized to perform: iam:ListGroups on resource: arn:aws:iam::${ACCOUNT}:group/ because no session policy allows the iam:ListGroups action`,
    );
  });

  it('maps GetSessionToken sessions to the user or root that minted them', () => {
    const user = callerFromSession({ ...base, type: 'IAMUser', principalArn: `arn:aws:iam::${ACCOUNT}:user/eng/bob`, principalId: 'AIDAEXAMPLE' });
    expect(user).toMatchObject({ kind: 'user', identity: { kind: 'user', id: 'AIDAEXAMPLE', name: 'bob' } });
    const root = callerFromSession({ ...base, type: 'Root', principalArn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT });
    expect(root).toMatchObject({ kind: 'root', identity: { kind: 'root' }, userId: ACCOUNT });
  });

  it('fails closed for a federated session that names no minting user', async () => {
    const fed = callerFromSession({ ...base, type: 'FederatedUser', principalArn: `arn:aws:sts::${ACCOUNT}:federated-user/x`, principalId: `${ACCOUNT}:x`, sessionPolicy: allow('*') });
    expect(fed.identity).toEqual({ kind: 'user', id: '', name: '', arn: '' });
    const decision = await f.store.read((r) => f.iam.authorizer.decide(r, fed, f.env(), 's3:GetObject', 'arn:aws:s3:::b/k'));
    expect(decision.decision).toBe('implicitDeny');
    const bob = await f.user('bob', allow('s3:*'));
    const minted = callerFromSession({
      ...base,
      type: 'FederatedUser',
      principalArn: `arn:aws:sts::${ACCOUNT}:federated-user/x`,
      principalId: `${ACCOUNT}:x`,
      sessionPolicy: allow('s3:GetObject'),
      attributes: { sourceUserId: bob.identity.kind === 'user' ? bob.identity.id : '', sourceUserName: 'bob', sourceUserArn: bob.arn },
    });
    expect((await f.store.read((r) => f.iam.authorizer.decide(r, minted, f.env(), 's3:GetObject', 'arn:aws:s3:::b/k'))).decision).toBe('allowed');
    expect((await f.store.read((r) => f.iam.authorizer.decide(r, minted, f.env(), 's3:PutObject', 'arn:aws:s3:::b/k'))).notAllowedBy).toEqual(['session']);
  });
});

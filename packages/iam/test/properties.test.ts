import fc from 'fast-check';
import { isAwsError } from '@latchkey/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './helpers/fixture.js';

// The actions this helper serves and the parameter names they read.
const ACTIONS: Record<string, string[]> = {
  CreateUser: ['UserName', 'Path', 'PermissionsBoundary', 'Tags.member.1.Key', 'Tags.member.1.Value'],
  GetUser: ['UserName'],
  UpdateUser: ['UserName', 'NewUserName', 'NewPath'],
  DeleteUser: ['UserName'],
  ListUsers: ['PathPrefix', 'Marker', 'MaxItems'],
  CreateGroup: ['GroupName', 'Path'],
  GetGroup: ['GroupName', 'Marker', 'MaxItems'],
  UpdateGroup: ['GroupName', 'NewGroupName', 'NewPath'],
  DeleteGroup: ['GroupName'],
  ListGroups: ['PathPrefix', 'Marker', 'MaxItems'],
  AddUserToGroup: ['GroupName', 'UserName'],
  RemoveUserFromGroup: ['GroupName', 'UserName'],
  ListGroupsForUser: ['UserName', 'Marker', 'MaxItems'],
  CreateAccessKey: ['UserName'],
  ListAccessKeys: ['UserName', 'Marker', 'MaxItems'],
  UpdateAccessKey: ['UserName', 'AccessKeyId', 'Status'],
  DeleteAccessKey: ['UserName', 'AccessKeyId'],
  GetAccessKeyLastUsed: ['AccessKeyId'],
  GetAccountSummary: [],
  CreateAccountAlias: ['AccountAlias'],
  DeleteAccountAlias: ['AccountAlias'],
  ListAccountAliases: ['Marker', 'MaxItems'],
};

// Values that are valid, borderline or hostile for IAM parameters.
const value = fc.oneof(
  fc.constantFrom('alice', 'bob', 'ALICE', 'g1', '/', '/a/', '/a/b/', '1', '0', '1000', '1001', '-1', 'Active', 'Inactive', 'Expired', 'team', 'aws:x', 'example-alias'),
  fc.stringMatching(/^[\w+=,.@-]{1,70}$/),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '<script>', '%', '\u0000', '\uD800', 'x'.repeat(600), 'lk1.eyJ9', 'AKIAAAAAAAAAAAAAAAAA', 'arn:aws:iam::111122223333:policy/x'),
);

const command = fc.constantFrom(...Object.keys(ACTIONS)).chain((action) =>
  fc.record({ action: fc.constant(action), values: fc.dictionary(fc.constantFrom(...(ACTIONS[action]!.length > 0 ? ACTIONS[action]! : ['Unused'])), value, { maxKeys: 4 }) }),
);

describe('IamService properties', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('answers any parameters with a result or a client (4xx) AWS error, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        for (const { action, values } of commands) {
          try {
            await f.call(action, values);
          } catch (err) {
            expect(isAwsError(err)).toBe(true);
            const e = err as { status: number; code: string; detail?: string };
            expect(e.status, `${action} ${JSON.stringify(values)} → ${e.code} ${e.detail ?? ''}`).toBeLessThan(500);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never shows a secret access key outside the CreateAccessKey response that made it', async () => {
    const g = await fixture();
    try {
      await g.call('CreateUser', { UserName: 'alice' });
      await g.call('CreateUser', { UserName: 'bob' });
      const secrets = [g.rootSecret];
      const keyIds: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              action: fc.constantFrom('CreateAccessKey', 'ListAccessKeys', 'GetAccessKeyLastUsed', 'UpdateAccessKey', 'DeleteAccessKey', 'GetUser', 'DeleteUser', 'ListUsers', 'GetAccountSummary'),
              user: fc.constantFrom('alice', 'bob', undefined),
              key: fc.nat(),
              status: fc.constantFrom('Active', 'Inactive', 'Expired', 'Bogus'),
            }),
            { minLength: 1, maxLength: 10 },
          ),
          async (steps) => {
            for (const step of steps) {
              const values: Record<string, string> = {};
              if (step.user !== undefined) values['UserName'] = step.user;
              if (keyIds.length > 0) values['AccessKeyId'] = keyIds[step.key % keyIds.length]!;
              values['Status'] = step.status;
              let shown: string;
              try {
                const out = await g.call(step.action, values);
                if (step.action === 'CreateAccessKey') {
                  const key = (out as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } }).AccessKey;
                  secrets.push(key.SecretAccessKey);
                  keyIds.push(key.AccessKeyId);
                  continue;
                }
                shown = String(JSON.stringify(out));
              } catch (err) {
                const e = err as { message: string; detail?: string };
                shown = `${JSON.stringify(err)} ${e.message} ${e.detail ?? ''}`;
              }
              for (const secret of secrets) expect(shown).not.toContain(secret);
            }
          },
        ),
        { numRuns: 60 },
      );
      const stored = await g.store.read(async (r) => [...(await r.accessKeys.listForOwner('111122223333', null, { maxItems: 10 })).items]);
      for (const k of stored) for (const secret of secrets) expect(k.secret.ciphertext).not.toContain(secret);
    } finally {
      await g.close();
    }
  });
});

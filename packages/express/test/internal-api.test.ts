import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerInternalApi, callerFromJson, InternalApiValidationError, type GetServiceSigningKeyResponse } from '../src/index.js';
import { doc, fixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(async () => {
  await f?.close();
});

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

describe('answerInternalApi', () => {
  it('derives keys only for yesterday, today and tomorrow', async () => {
    const u = await f.user('kim', doc({ Effect: 'Allow', Action: '*', Resource: '*' }));
    const ask = (date: string) => answerInternalApi(f.source, 'GetServiceSigningKey', { AccessKeyId: u.credentials.accessKeyId, Date: date, Region: 'us-east-1', Service: 'orders' }, f.clock.now);
    for (const offset of [-86_400_000, 0, 86_400_000]) expect(((await ask(day(f.clock.now + offset))) as GetServiceSigningKeyResponse).Result).toBe('Found');
    for (const date of [day(f.clock.now + 2 * 86_400_000), day(f.clock.now - 2 * 86_400_000), '2026-11-27', '']) {
      await expect(ask(date)).rejects.toBeInstanceOf(InternalApiValidationError);
    }
  });

  it('answers NotFound for unknown keys and Rejected for bad session tokens, never a secret', async () => {
    const base = { Date: day(f.clock.now), Region: 'us-east-1', Service: 'orders' };
    expect(await answerInternalApi(f.source, 'GetServiceSigningKey', { ...base, AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' }, f.clock.now)).toEqual({ Result: 'NotFound' });
    const rejected = await answerInternalApi(f.source, 'GetServiceSigningKey', { ...base, AccessKeyId: 'ASIAUNKNOWNUNKNOWN00', SessionToken: 'not.a.token' }, f.clock.now);
    expect(rejected).toMatchObject({ Result: 'Rejected', Code: 'InvalidClientTokenId' });
    await expect(answerInternalApi(f.source, 'GetServiceSigningKey', { ...base }, f.clock.now)).rejects.toThrow('AccessKeyId must be a non-empty string');
    await expect(answerInternalApi(f.source, 'GetServiceSigningKey', 'x', f.clock.now)).rejects.toThrow('the body must be a JSON object');
  });

  it('returns a principal policy set that round-trips, and refuses a malformed principal', async () => {
    const u = await f.user('lee', doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }));
    await f.iamCall('TagUser', { UserName: 'lee', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue' });
    const found = (await answerInternalApi(f.source, 'GetServiceSigningKey', { AccessKeyId: u.credentials.accessKeyId, Date: day(f.clock.now), Region: 'us-east-1', Service: 'orders' }, f.clock.now)) as Extract<GetServiceSigningKeyResponse, { Result: 'Found' }>;
    expect(callerFromJson(found.Principal)).toEqual(u.caller);
    const policies = await answerInternalApi(f.source, 'GetPrincipalPolicies', { Service: 'orders', Principal: found.Principal }, f.clock.now);
    expect(policies).toEqual({ Identity: [{ Id: 'user/lee/inline', Document: doc({ Effect: 'Allow', Action: 'orders:GetOrder', Resource: '*' }), Inline: true }], Tags: [{ Key: 'team', Value: 'blue' }] });
    await expect(answerInternalApi(f.source, 'GetPrincipalPolicies', { Service: 'orders', Principal: { kind: 'wizard' } }, f.clock.now)).rejects.toBeInstanceOf(InternalApiValidationError);
  });
});

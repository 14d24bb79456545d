import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allow, failure, fixture, type Fixture } from './helpers/fixture.js';
import { listParams, localPolicyArn, out, tagParams, trust } from './helpers/policies-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
  await f.call('CreateUser', { UserName: 'u' });
  await f.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
  await f.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: allow('s3:*') });
});
afterEach(async () => {
  await f.close();
});

const KINDS = [
  { noun: 'User', id: { UserName: 'u' }, ghost: { UserName: 'ghost' }, caseInsensitive: true },
  { noun: 'Role', id: { RoleName: 'r' }, ghost: { RoleName: 'ghost' }, caseInsensitive: true },
  { noun: 'Policy', id: { PolicyArn: localPolicyArn('p') }, ghost: { PolicyArn: localPolicyArn('ghost') }, caseInsensitive: false },
] as const;

const keys = (r: unknown) => out(r).Tags.map((t: { Key: string; Value: string }) => `${t.Key}=${t.Value}`);

describe.each(KINDS)('Tag/Untag/List $noun tags', ({ noun, id, ghost, caseInsensitive }) => {
  it('adds, replaces and removes tags', async () => {
    await f.call(`Tag${noun}`, { ...id, ...tagParams({ team: 'core', env: 'dev' }) });
    await f.call(`Tag${noun}`, { ...id, ...tagParams({ env: 'prod' }) });
    expect(keys(await f.call(`List${noun}Tags`, id))).toEqual(['env=prod', 'team=core']);
    await f.call(`Untag${noun}`, { ...id, ...listParams('TagKeys', ['team', 'absent']) });
    expect(keys(await f.call(`List${noun}Tags`, id))).toEqual(['env=prod']);
  });

  it(caseInsensitive ? 'treats keys case-insensitively, the new spelling replacing the old' : 'keeps keys that differ only in case apart', async () => {
    await f.call(`Tag${noun}`, { ...id, ...tagParams({ Department: 'finance' }) });
    await f.call(`Tag${noun}`, { ...id, ...tagParams({ department: 'hr' }) });
    expect(keys(await f.call(`List${noun}Tags`, id))).toEqual(caseInsensitive ? ['department=hr'] : ['Department=finance', 'department=hr']);
  });

  it('allows 50 tags and refuses the 51st, leaving the tags unchanged', async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']));
    await f.call(`Tag${noun}`, { ...id, ...tagParams(fifty) });
    const e = await failure(f.call(`Tag${noun}`, { ...id, ...tagParams({ extra: 'v' }) }));
    expect(e).toMatchObject({ code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for TagsPerResource: 50' });
    // Re-tagging an existing key does not count as a new tag.
    await f.call(`Tag${noun}`, { ...id, ...tagParams({ k00: 'changed' }) });
    const page1 = out(await f.call(`List${noun}Tags`, { ...id, MaxItems: '30' }));
    const page2 = out(await f.call(`List${noun}Tags`, { ...id, MaxItems: '30', Marker: page1.Marker }));
    expect(page1.IsTruncated).toBe(true);
    expect(page1.Tags.length + page2.Tags.length).toBe(50);
    expect(page1.Tags[0]).toEqual({ Key: 'k00', Value: 'changed' });
  });

  it('refuses the reserved aws: prefix, duplicate keys, and invalid characters', async () => {
    expect((await failure(f.call(`Tag${noun}`, { ...id, ...tagParams({ 'aws:team': 'x' }) }))).code).toBe('InvalidInput');
    expect((await failure(f.call(`Tag${noun}`, { ...id, 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'a', 'Tags.member.2.Value': '2' }))).code).toBe('InvalidInput');
    expect((await failure(f.call(`Tag${noun}`, { ...id, ...tagParams({ 'bad#key': 'x' }) }))).code).toBe('ValidationError');
    expect((await failure(f.call(`Tag${noun}`, { ...id, ...tagParams(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))) }))).code).toBe('ValidationError');
    expect(out(await f.call(`List${noun}Tags`, id)).Tags).toEqual([]);
  });

  it('answers NoSuchEntity for unknown resources', async () => {
    for (const action of [`Tag${noun}`, `Untag${noun}`, `List${noun}Tags`]) {
      const params = action.startsWith('Tag') ? { ...ghost, ...tagParams({ a: 'b' }) } : action.startsWith('Untag') ? { ...ghost, ...listParams('TagKeys', ['a']) } : ghost;
      expect((await failure(f.call(action, params))).code).toBe('NoSuchEntity');
    }
  });
});

describe('TagPolicy', () => {
  it('cannot tag AWS managed policies, but lists their (empty) tags', async () => {
    const arn = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
    expect((await failure(f.call('TagPolicy', { PolicyArn: arn, ...tagParams({ a: 'b' }) }))).code).toBe('AccessDenied');
    expect(out(await f.call('ListPolicyTags', { PolicyArn: arn })).Tags).toEqual([]);
  });

  it('tags show up in GetPolicy', async () => {
    await f.call('TagPolicy', { PolicyArn: localPolicyArn('p'), ...tagParams({ a: 'b' }) });
    expect(out(await f.call('GetPolicy', { PolicyArn: localPolicyArn('p') })).Policy.Tags).toEqual([{ Key: 'a', Value: 'b' }]);
  });
});

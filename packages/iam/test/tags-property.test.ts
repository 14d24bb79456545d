import fc from 'fast-check';
import { mergeTags, removeTags, type Tag } from '@latchkey/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allow, failure, fixture, type Fixture } from './helpers/fixture.js';
import { listParams, localPolicyArn, out, tagParams } from './helpers/policies-fixture.js';

// Any sequence of Tag/Untag calls leaves the tags AWS's rules give: keys case-insensitive on
// users (the latest spelling wins), case-sensitive on policies; a call that would pass 50 tags
// fails and changes nothing.

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(async () => {
  await f.close();
});

const key = fc.constantFrom('a', 'A', 'b', 'B', 'team', 'Team', 'x1', 'X1');
const value = fc.constantFrom('', '1', 'v', 'core');
const step = fc.oneof(
  fc.record({ op: fc.constant('tag' as const), tags: fc.uniqueArray(fc.record({ Key: key, Value: value }), { selector: (t) => t.Key.toLowerCase(), minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant('untag' as const), keys: fc.uniqueArray(key, { minLength: 1, maxLength: 3 }) }),
);

const sorted = (tags: readonly Tag[]) => tags.map((t) => `${t.Key}=${t.Value}`).sort();

describe.each([
  { noun: 'User', caseInsensitive: true },
  { noun: 'Policy', caseInsensitive: false },
])('Tag$noun / Untag$noun sequences', ({ noun, caseInsensitive }) => {
  let n = 0;
  it('match the model of AWS tagging rules', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 6 }), async (steps) => {
        const name = `t${noun}${n++}`;
        const id = noun === 'User' ? { UserName: name } : { PolicyArn: localPolicyArn(name) };
        if (noun === 'User') await f.call('CreateUser', { UserName: name });
        else await f.call('CreatePolicy', { PolicyName: name, PolicyDocument: allow('s3:*') });
        let model: Tag[] = [];
        for (const s of steps) {
          if (s.op === 'tag') {
            await f.call(`Tag${noun}`, { ...id, ...tagParams(Object.fromEntries(s.tags.map((t) => [t.Key, t.Value]))) });
            model = mergeTags(model, s.tags, caseInsensitive);
          } else {
            await f.call(`Untag${noun}`, { ...id, ...listParams('TagKeys', s.keys) });
            model = removeTags(model, s.keys, caseInsensitive);
          }
        }
        expect(sorted(out(await f.call(`List${noun}Tags`, id)).Tags)).toEqual(sorted(model));
      }),
      { numRuns: 25 },
    );
  });

  it('refuse a call that would pass 50 tags and keep the tags as they were', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 40, max: 50 }), fc.integer({ min: 1, max: 15 }), async (have, add) => {
        const name = `q${noun}${n++}`;
        const id = noun === 'User' ? { UserName: name } : { PolicyArn: localPolicyArn(name) };
        if (noun === 'User') await f.call('CreateUser', { UserName: name });
        else await f.call('CreatePolicy', { PolicyName: name, PolicyDocument: allow('s3:*') });
        const existing = Object.fromEntries(Array.from({ length: have }, (_, i) => [`k${i}`, 'v']));
        await f.call(`Tag${noun}`, { ...id, ...tagParams(existing) });
        const extra = Object.fromEntries(Array.from({ length: add }, (_, i) => [`n${i}`, 'v']));
        if (have + add > 50) {
          expect((await failure(f.call(`Tag${noun}`, { ...id, ...tagParams(extra) }))).code).toBe('LimitExceeded');
          expect(out(await f.call(`List${noun}Tags`, { ...id, MaxItems: '100' })).Tags).toHaveLength(have);
        } else {
          await f.call(`Tag${noun}`, { ...id, ...tagParams(extra) });
          expect(out(await f.call(`List${noun}Tags`, { ...id, MaxItems: '100' })).Tags).toHaveLength(have + add);
        }
      }),
      { numRuns: 10 },
    );
  });
});

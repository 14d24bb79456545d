import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AwsError, MalformedInput } from '@latchkey/errors';
import samples from './cases/wire-samples.json' with { type: 'json' };
import { parseQueryParams } from '../src/index.js';

describe('parseQueryParams', () => {
  for (const e of samples.exchanges) {
    it(`decodes the ${e.file} request body`, () => {
      const parsed = parseQueryParams(e.requestBody);
      const expected = new URLSearchParams(e.requestBody);
      expect(parsed.action).toBe(expected.get('Action'));
      expect(parsed.version).toBe(expected.get('Version'));
      expect(Object.fromEntries(parsed.params)).toEqual(Object.fromEntries(expected));
    });
  }

  it('decodes + and %20 as a space, and raw UTF-8 bytes', () => {
    expect(parseQueryParams('A=a+b%20c%2Bd').params.get('A')).toBe('a b c+d');
    expect(parseQueryParams(new TextEncoder().encode('A=é%C3%A9')).params.get('A')).toBe('éé');
    expect(parseQueryParams('A=%E2%82%AC').params.get('A')).toBe('€');
  });

  it('treats a name without = as an empty value and skips empty pairs', () => {
    const p = parseQueryParams('Tags&&Action=X&=v&');
    expect(p.params.get('Tags')).toBe('');
    expect(p.params.get('')).toBe('v');
    expect(p.action).toBe('X');
  });

  it('keeps the first occurrence of a name (AWS: the first Action/Version/DurationSeconds wins)', () => {
    const p = parseQueryParams('Action=GetCallerIdentity&Action=NoSuchAction&Version=2011-06-15&Version=2000-01-01');
    expect(p.action).toBe('GetCallerIdentity');
    expect(p.version).toBe('2011-06-15');
  });

  it('merges the query string before the body', () => {
    const p = parseQueryParams('Action=FromBody&UserName=bob', '?Action=FromQuery&Version=2010-05-08');
    expect(p.action).toBe('FromQuery');
    expect(p.version).toBe('2010-05-08');
    expect(p.params.get('UserName')).toBe('bob');
    expect(parseQueryParams(undefined, 'Action=GetCallerIdentity').action).toBe('GetCallerIdentity');
  });

  it('distinguishes a missing Action from an empty one', () => {
    expect(parseQueryParams('Version=2011-06-15').action).toBeUndefined();
    expect(parseQueryParams('Action=&Version=2011-06-15').action).toBe('');
  });

  for (const bad of ['A=%', 'A=%4', 'A=%zz', 'A=%C3', 'A=%ED%A0%80', '%=x', 'A=ok&B=%GG']) {
    it(`rejects malformed escapes with MalformedInput (400): ${bad}`, () => {
      expect(() => parseQueryParams(bad)).toThrow(MalformedInput);
      try {
        parseQueryParams(bad);
      } catch (e) {
        expect((e as AwsError).status).toBe(400);
      }
    });
  }

  it('rejects bodies that are not UTF-8', () => {
    expect(() => parseQueryParams(Uint8Array.from([0x41, 0x3d, 0xff, 0xfe]))).toThrow(MalformedInput);
  });

  it('never throws anything but an AwsError on arbitrary bytes or text', () => {
    const check = (body: string | Uint8Array, query: string) => {
      try {
        parseQueryParams(body, query);
      } catch (e) {
        expect(e).toBeInstanceOf(AwsError);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 40 }), check), { numRuns: 500 });
    const formish = fc.string({ unit: fc.constantFrom('%', '+', '&', '=', 'A', '4', 'f', 'G', 'é', '\u0000', '\uD800'), maxLength: 60 });
    fc.assert(fc.property(formish, formish, check), { numRuns: 500 });
  });

  it('round-trips anything URLSearchParams encodes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.string({ unit: 'grapheme', maxLength: 20 })), { maxLength: 8 }), (pairs) => {
        const body = new URLSearchParams(pairs).toString();
        const first = new Map<string, string>();
        for (const [k, v] of pairs) if (!first.has(k)) first.set(k, v);
        expect(parseQueryParams(body).params).toEqual(first);
      }),
    );
  });
});

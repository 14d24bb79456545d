import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/index.js';

describe('parseJson', () => {
  it('parses what JSON.parse parses, to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        const r = parseJson(text);
        expect(r.error).toBeUndefined();
        expect(JSON.stringify(r.value)).toBe(JSON.stringify(JSON.parse(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and agrees with JSON.parse on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', 'e', '-', ' ', '\\', 'u', 'n', 't', 'a') })), (text) => {
        const r = parseJson(text);
        let jsonOk = true;
        try {
          JSON.parse(text);
        } catch {
          jsonOk = false;
        }
        expect(r.error === undefined).toBe(jsonOk);
      }),
      { numRuns: 500 },
    );
  });

  it('reports the line and column of a syntax error', () => {
    const r = parseJson('{\n  "a": 1,\n  "b": tru\n}');
    expect(r.value).toBeUndefined();
    expect(r.error?.position).toMatchObject({ line: 3, column: 8 });
  });

  it('reports a missing comma where the next member starts', () => {
    const r = parseJson('{"a": 1\n "b": 2}');
    expect(r.error?.message).toMatch(/Expected ','/);
    expect(r.error?.position).toMatchObject({ line: 2, column: 2 });
  });

  it('counts CRLF and CR line ends as one line each', () => {
    const r = parseJson('{\r\n"a":\r1,\r\n"b": x}');
    expect(r.error?.position).toMatchObject({ line: 4, column: 6 });
  });

  it('rejects what JSON forbids: trailing commas, single quotes, comments, leading zeros, raw control characters', () => {
    for (const text of ['[1,]', "{'a':1}", '{"a":1 /* c */}', '01', '"a\u0001"', '{"a":1}}', '', '   ', '[1 2]', '{"a" 1}', '"\\x41"', 'NaN', '-', '1.', '.5']) {
      expect(parseJson(text).error, text).toBeDefined();
    }
  });

  it('decodes escapes', () => {
    expect(parseJson('"\\u0041\\n\\"\\/\\\\"').value).toBe('A\n"/\\');
  });

  it('records the position of each member name and array element', () => {
    const r = parseJson('{\n  "Statement": [\n    {"Effect": "Allow"},\n    {"Effect": "Deny"}\n  ]\n}');
    expect(r.positionOf('')).toMatchObject({ line: 1, column: 1 });
    expect(r.positionOf('/Statement')).toMatchObject({ line: 2, column: 3 });
    expect(r.positionOf('/Statement/0')).toMatchObject({ line: 3, column: 5 });
    expect(r.positionOf('/Statement/1/Effect')).toMatchObject({ line: 4, column: 6 });
  });

  it('escapes ~ and / in pointers', () => {
    const r = parseJson('{"a/b": {"c~d": 1}}');
    expect(r.positionOf('/a~1b/c~0d')).toBeDefined();
  });

  it('reports duplicate keys with the position of the repeat, and keeps the last value', () => {
    const r = parseJson('{"a": 1,\n "b": {"x": 1, "x": 2},\n "a": 3}');
    expect(r.value).toEqual({ a: 3, b: { x: 2 } });
    expect(r.duplicates.map((d) => [d.pointer, d.position.line, d.position.column])).toEqual([
      ['/b/x', 2, 16],
      ['/a', 3, 2],
    ]);
  });

  it('treats __proto__ as an ordinary member', () => {
    const r = parseJson('{"__proto__": {"polluted": true}, "constructor": 1}');
    const v = r.value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('limits nesting without recursion, even for very deep input', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const r = parseJson(deep);
    expect(r.error?.message).toMatch(/Nesting deeper than 64/);
    expect(parseJson('['.repeat(64) + ']'.repeat(64)).error).toBeUndefined();
    expect(parseJson('['.repeat(10) + ']'.repeat(10), { maxDepth: 5 }).error).toBeDefined();
  });

  it('parses a large document', () => {
    const doc = { Statement: Array.from({ length: 20_000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' })) };
    const r = parseJson(JSON.stringify(doc));
    expect((r.value as { Statement: unknown[] }).Statement).toHaveLength(20_000);
    expect(r.positionOf('/Statement/19999/Resource')).toBeDefined();
  });
});

describe('parseJson positionOf', () => {
  it('is undefined for pointers that name nothing', () => {
    const r = parseJson('{"a": [1, {"b": 2}]}');
    expect(r.positionOf('/a/1/b')).toMatchObject({ line: 1, column: 12 });
    for (const p of ['/x', '/a/2', '/a/01', '/a/-', '/a/0/z', 'a', '/a/1/b/c']) expect(r.positionOf(p), p).toBeUndefined();
  });
});

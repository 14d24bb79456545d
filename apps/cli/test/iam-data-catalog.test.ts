import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch, IamDataCatalog } from '../src/validate/iam-data-catalog.js';

describe('IamDataCatalog', () => {
  it('answers provisionally, records the question, and answers from AWS data once resolved', async () => {
    const catalog = new IamDataCatalog();
    expect(catalog.hasAction('iam:CreateUsr')).toBe(true); // not loaded yet: no false warning
    expect(await catalog.resolvePending()).toBe(true);
    expect(catalog.hasAction('iam:CreateUsr')).toBe(false);
    expect(catalog.hasAction('IAM:createuser')).toBe(true);
    expect(await catalog.resolvePending()).toBe(false);
  });

  it('knows services and rejects unknown ones', async () => {
    const catalog = new IamDataCatalog();
    catalog.hasService('s3');
    await catalog.resolvePending();
    expect(catalog.hasService('s3')).toBe(true);
    expect(catalog.hasService('S3')).toBe(true);
    expect(catalog.hasService('frobnicator')).toBe(false);
    expect(catalog.hasAction('frobnicator:Run')).toBe(false);
    expect(catalog.hasAction('no-colon')).toBe(false);
  });

  it('matches wildcard actions against the service action list', async () => {
    const catalog = new IamDataCatalog();
    catalog.hasAction('s3:Get*');
    await catalog.resolvePending();
    await catalog.resolvePending();
    expect(catalog.hasAction('s3:Get*')).toBe(true);
    expect(catalog.hasAction('s3:GetObj?ct')).toBe(true);
    expect(catalog.hasAction('s3:Frob*')).toBe(false);
  });

  it('gives condition key types for global, service and tag-pattern keys', async () => {
    const catalog = new IamDataCatalog();
    const keys = ['aws:SourceIp', 's3:prefix', 'aws:PrincipalTag/team', 'aws:TagKeys', 'iam:NoSuchKey'];
    for (const key of keys) catalog.conditionKeyType(key);
    await catalog.resolvePending();
    expect(keys.map((k) => catalog.conditionKeyType(k))).toEqual(['IPAddress', 'String', 'String', 'ArrayOfString', undefined]);
    expect(catalog.conditionKeyType('AWS:SOURCEIP')).toBe('IPAddress');
  });
});

describe('globMatch', () => {
  it('matches * (any run) and ? (one character)', () => {
    expect(globMatch('get*', 'getobject')).toBe(true);
    expect(globMatch('*object', 'getobject')).toBe(true);
    expect(globMatch('g?t*t', 'getobject')).toBe(true);
    expect(globMatch('get?', 'getobject')).toBe(false);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('?', '')).toBe(false);
  });

  it('agrees with an anchored regular expression on arbitrary patterns', () => {
    const chars = fc.constantFrom('a', 'b', '*', '?');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b'), { maxLength: 10 }), (p, t) => {
        const pattern = p.join('');
        const text = t.join('');
        const re = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
        expect(globMatch(pattern, text)).toBe(re.test(text));
      }),
      { numRuns: 500 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/conditions/date.js';
import { cidrContains, parseCidr, parseIp } from '../../src/conditions/ip.js';
import { parseOperator } from '../../src/conditions/operator.js';

describe('parseDate', () => {
  it.each<[string | number, number | undefined]>([
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
    ['2026-01-01', Date.UTC(2026, 0, 1)],
    ['2026-01', Date.UTC(2026, 0, 1)],
    ['2026-01-01T10:30Z', Date.UTC(2026, 0, 1, 10, 30)],
    ['2026-01-01T10:30:15.250Z', Date.UTC(2026, 0, 1, 10, 30, 15, 250)],
    ['2026-01-01T12:00:00+02:00', Date.UTC(2026, 0, 1, 10)],
    ['2026-01-01T12:00:00-0130', Date.UTC(2026, 0, 1, 13, 30)],
    ['2026-01-01T12:00:00', Date.UTC(2026, 0, 1, 12)],
    ['1767225600', Date.UTC(2026, 0, 1)],
    [1767225600, Date.UTC(2026, 0, 1)],
    ['2026-02-30', undefined],
    ['2026-13-01', undefined],
    ['yesterday', undefined],
    ['', undefined],
  ])('%j → %s', (input, want) => {
    expect(parseDate(input)).toBe(want);
  });
  it('rejects booleans', () => {
    expect(parseDate(true)).toBeUndefined();
  });
});

describe('parseIp / parseCidr / cidrContains', () => {
  it.each(['1.2.3.4', '0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1'])('parses %s', (ip) => {
    expect(parseIp(ip)).toBeDefined();
  });
  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', 'a.b.c.d', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', ''])('rejects %s', (ip) => {
    expect(parseIp(ip)).toBeUndefined();
  });
  it('rejects prefixes beyond the address size', () => {
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('2001:db8::/129')).toBeUndefined();
    expect(parseCidr('10.0.0.0/x')).toBeUndefined();
  });
  it('matches prefixes bit by bit', () => {
    const net = parseCidr('10.0.0.0/15')!;
    expect(cidrContains(net, parseIp('10.1.255.255')!)).toBe(true);
    expect(cidrContains(net, parseIp('10.2.0.0')!)).toBe(false);
    const v6 = parseCidr('2001:db8:8000::/33')!;
    expect(cidrContains(v6, parseIp('2001:db8:ffff::1')!)).toBe(true);
    expect(cidrContains(v6, parseIp('2001:db8:7fff::1')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0')!, parseIp('1.2.3.4')!)).toBe(false);
  });
});

describe('parseOperator', () => {
  it('splits set prefixes and IfExists', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toMatchObject({ set: 'any', ifExists: true, base: { name: 'StringLike', wildcards: true } });
    expect(parseOperator('ForAllValues:ArnNotEquals')).toMatchObject({ set: 'all', ifExists: false, base: { name: 'ArnNotEquals', negated: true } });
    expect(parseOperator('NumericGreaterThanEquals')).toMatchObject({ base: { family: 'numeric', comparison: 'gte' } });
  });
  it('rejects unknown names, wrong case, and IfExists or set prefixes on Null', () => {
    for (const name of ['stringequals', 'StringEquality', 'ForSomeValues:StringEquals', 'NullIfExists', 'ForAllValues:Null', '']) {
      expect(parseOperator(name)).toBeUndefined();
    }
  });
});

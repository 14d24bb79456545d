import { validatePolicy } from '@latchkey/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineService, parseServiceCatalogDocument, registeredServiceCatalog, serviceCatalogDocument } from '../src/index.js';

const orders = defineService({
  name: 'orders',
  actions: {
    ListOrders: { description: 'Lists orders' },
    GetOrder: { resourceTypes: ['order'], conditionKeys: ['orders:Priority'] },
  },
  resourceTypes: { order: { arn: 'arn:${Partition}:orders:${Region}:${Account}:order/${OrderId}' } },
  conditionKeys: { 'orders:Priority': 'Numeric' },
});
const billing = defineService({ name: 'billing', actions: { GetInvoice: {} } });

describe('serviceCatalogDocument / parseServiceCatalogDocument', () => {
  it('round-trips a definition through JSON', () => {
    const document = serviceCatalogDocument(orders);
    expect(document).toEqual({
      name: 'orders',
      actions: { ListOrders: { description: 'Lists orders' }, GetOrder: { resourceTypes: ['order'], conditionKeys: ['orders:Priority'] } },
      resourceTypes: { order: { arn: 'arn:${Partition}:orders:${Region}:${Account}:order/${OrderId}' } },
      conditionKeys: { 'orders:Priority': 'Numeric' },
    });
    const parsed = parseServiceCatalogDocument(JSON.parse(JSON.stringify(document)), 'orders');
    expect(serviceCatalogDocument(parsed)).toEqual(document);
    expect(parsed.canonicalAction('orders:getorder')).toBe('orders:GetOrder');
  });

  const INVALID: readonly [string, unknown, string][] = [
    ['null', null, 'must be a JSON object'],
    ['an array', [], 'must be a JSON object'],
    ['no actions', { name: 'orders' }, 'actions must be a JSON object'],
    ['a bad name', { name: 'Orders!', actions: {} }, 'name must be a lower-case service prefix'],
    ['resourceTypes of an action not a list', { name: 'orders', actions: { GetOrder: { resourceTypes: 'order' } } }, 'must be a list of strings'],
    ['a description that is not a string', { name: 'orders', actions: { GetOrder: { description: 7 } } }, 'description must be a string'],
    ['a long description', { name: 'orders', actions: { GetOrder: { description: 'x'.repeat(1001) } } }, 'at most 1000 characters'],
    ['an unknown member of an action', { name: 'orders', actions: { GetOrder: { effect: 'Allow' } } }, 'unknown member "effect"'],
    ['an unknown member of a resource type', { name: 'orders', actions: {}, resourceTypes: { order: { arn: 'arn:aws:orders:::order/*', id: 1 } } }, 'unknown member "id"'],
    ['an undeclared condition key', { name: 'orders', actions: { GetOrder: { conditionKeys: ['orders:Prio'] } } }, 'undeclared condition key "orders:Prio"'],
    ['a key type that is not a string', { name: 'orders', actions: {}, conditionKeys: { 'orders:Priority': 1 } }, 'the type must be one of'],
    ['an action named __proto__', JSON.parse('{"name":"orders","actions":{"__proto__":{}}}'), 'must be an AWS-style name'],
    ['a resource type named __proto__', JSON.parse('{"name":"orders","actions":{},"resourceTypes":{"__proto__":{"arn":"arn:aws:orders:::x"}}}'), 'resource type "__proto__" must be a name'],
    ['a condition key named __proto__', JSON.parse('{"name":"orders","actions":{},"conditionKeys":{"__proto__":"String"}}'), 'must be "orders:<Name>"'],
  ];

  it.each(INVALID)('refuses %s with a TypeError saying what is wrong', (_, value, message) => {
    expect(() => parseServiceCatalogDocument(value)).toThrow(TypeError);
    expect(() => parseServiceCatalogDocument(value)).toThrow(message);
  });

  it('throws nothing but TypeError for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.record({ name: fc.constantFrom('orders', 'x', ''), actions: fc.jsonValue(), resourceTypes: fc.jsonValue(), conditionKeys: fc.jsonValue() }, { requiredKeys: ['name'] }), (a, b) => {
        for (const value of [a, b]) {
          try {
            parseServiceCatalogDocument(value);
          } catch (err) {
            expect(err).toBeInstanceOf(TypeError);
          }
        }
      }),
    );
  });
});

describe('registeredServiceCatalog', () => {
  const catalog = registeredServiceCatalog([orders, billing]);
  const diagnostics = (statement: unknown): string[][] =>
    validatePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statement }), { type: 'identity', catalog }).diagnostics.map((d) => [d.code, d.pointer]);

  it('answers for the registered services only, and is partial', () => {
    expect(catalog.partial).toBe(true);
    expect([catalog.hasService('orders'), catalog.hasService('BILLING'), catalog.hasService('s3')]).toEqual([true, true, false]);
    expect([catalog.hasAction('orders:getorder'), catalog.hasAction('billing:GetInvoice'), catalog.hasAction('orders:GetInvoice'), catalog.hasAction('s3:GetObject')]).toEqual([true, true, false, false]);
    expect([catalog.conditionKeyType('orders:priority'), catalog.conditionKeyType('billing:Priority'), catalog.conditionKeyType('aws:SourceIp')]).toEqual(['Numeric', undefined, undefined]);
    expect(catalog.actionsOf?.('orders')).toEqual(['ListOrders', 'GetOrder']);
    expect(catalog.actionsOf?.('s3')).toEqual([]);
  });

  it('lets validation report typos in registered services and nothing about the others', () => {
    expect(diagnostics({ Effect: 'Deny', Action: ['billing:GetInvoices', 'orders:Get*', 'orders:Put*', 'ec2:RunInstancez'], Resource: '*', Condition: { NumericEquals: { 'orders:Priority': 1, 'ec2:Whatever': 2 } } })).toEqual([
      ['UnknownAction', '/Statement/Action/0'],
      ['UnknownAction', '/Statement/Action/2'],
    ]);
  });
});

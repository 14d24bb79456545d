import { describe, expect, it } from 'vitest';
import { defineService, latchkey, type CredentialSource } from '../src/index.js';
import { orders } from './helpers/fixture.js';

const source: CredentialSource = { getSigningKey: async () => undefined, getPrincipalPolicies: async () => ({ identity: [], tags: [] }) };
const make = (extra: Record<string, unknown>) => () => latchkey({ service: orders, credentials: source, ...extra } as never);

describe('latchkey options', () => {
  it('accepts the minimal options', () => {
    expect(typeof latchkey({ service: orders, credentials: source })).toBe('function');
  });

  it.each([
    [{ cacheTTLMs: 1000 }, 'unknown option "cacheTTLMs" (did you mean "cacheTtlMs"?)'],
    [{ trustProxies: true }, 'unknown option "trustProxies" (did you mean "trustProxy"?)'],
    [{ route: {} }, 'unknown option "route" (did you mean "routes"?)'],
    [{ onDecison: () => undefined }, 'unknown option "onDecison" (did you mean "onDecision"?)'],
    [{ zzzzzzzzzzzz: 1 }, 'unknown option "zzzzzzzzzzzz"'],
    [{ cacheTtlMs: -1 }, 'cacheTtlMs must be an integer from 0 to 3600000 (got -1)'],
    [{ maxBodyBytes: 1.5 }, 'maxBodyBytes must be an integer'],
    [{ trustProxy: 'yes' }, 'trustProxy must be true, false or a number of trusted proxy hops'],
    [{ explain: true }, 'explain must be false or "encoded" (got true)'],
    [{ explain: 'encoded' }, 'explain: "encoded" needs a credential source that can encode authorization messages'],
    [{ regions: ['us-east1'] }, 'regions: "us-east1" is not a region name'],
    [{ regions: [] }, 'regions must be a non-empty list'],
    [{ account: '12345' }, 'account must be a 12-digit account id'],
    [{ onDecision: 'log' }, 'onDecision must be a function'],
    [{ allowUnsignedPayload: 'no' }, 'allowUnsignedPayload must be true or false'],
    [{ watchChanges: 'yes' }, 'watchChanges must be true or false'],
    [{ unmappedRoutes: 'dney' }, 'unmappedRoutes must be "deny" or "next" (did you mean "deny"?)'],
    [{ routes: { 'GET orders': { action: 'orders:GetOrder' } } }, 'route "GET orders" must be "METHOD /path"'],
    [{ routes: { 'GET /orders/:id': { action: 'orders:GetOrdr' } } }, 'routes["GET /orders/:id"]: action "orders:GetOrdr" is not declared by service "orders" (did you mean "orders:GetOrder"?)'],
    [{ routes: { 'GET /x': { action: 'orders:GetOrder', resorce: '*' } } }, 'routes["GET /x"]: unknown property "resorce" (did you mean "resource"?)'],
  ])('refuses %j at construction', (extra, message) => {
    expect(make(extra)).toThrow(TypeError);
    expect(make(extra)).toThrow(message);
  });

  it('requires service and credentials, saying what to pass', () => {
    expect(() => latchkey({ credentials: source } as never)).toThrow('option "service" is required: pass the result of defineService');
    expect(() => latchkey({ service: orders } as never)).toThrow('option "credentials" is required');
    expect(() => latchkey(undefined as never)).toThrow('options must be an object');
  });

  it('refuses authorize() for an undeclared action, naming the closest one', () => {
    const mw = latchkey({ service: orders, credentials: source });
    expect(() => mw.authorize({ action: 'orders:DeleteOrders' })).toThrow('action "orders:DeleteOrders" is not declared by service "orders" (did you mean "orders:DeleteOrder"?)');
    expect(() => mw.authorize({ action: 'billing:GetOrder' })).toThrow('is not declared by service "orders"');
    expect(typeof mw.authorize({ action: 'orders:getorder' })).toBe('function'); // actions are case-insensitive, as in IAM
  });
});

describe('defineService', () => {
  it('builds resource ARNs from the declared formats', () => {
    expect(orders.arn('order', { Region: 'eu-west-1', Account: '111122223333', OrderId: '42' })).toBe('arn:aws:orders:eu-west-1:111122223333:order/42');
    expect(() => orders.arn('order', { Region: 'eu-west-1' })).toThrow('no value for ${Account}');
  });

  it('gives the policy validator a catalog of its actions and keys', () => {
    const catalog = orders.catalog();
    expect(catalog.hasService('orders')).toBe(true);
    expect(catalog.hasService('billing')).toBe(false);
    expect(catalog.hasAction('orders:getorder')).toBe(true);
    expect(catalog.hasAction('orders:Refund')).toBe(false);
    expect(catalog.conditionKeyType('orders:priority')).toBe('String');
    expect(catalog.conditionKeyType('orders:Unknown')).toBeUndefined();
    expect(catalog.actionsOf?.('orders')).toEqual(['ListOrders', 'GetOrder', 'CreateOrder', 'DeleteOrder']);
  });

  it('refuses inconsistent definitions', () => {
    expect(() => defineService({ name: 'Orders', actions: {} })).toThrow('name must be a lower-case service prefix');
    expect(() => defineService({ name: 'orders', actions: { 'Get-Order': {} } })).toThrow('must be an AWS-style name');
    expect(() => defineService({ name: 'orders', actions: { GetOrder: { resourceTypes: ['ordr'] } }, resourceTypes: { order: { arn: 'arn:aws:orders:::order/${Id}' } } })).toThrow(
      'names undeclared resource type "ordr" (did you mean "order"?)',
    );
    expect(() => defineService({ name: 'orders', actions: {}, conditionKeys: { 'billing:Key': 'String' } })).toThrow('must be "orders:<Name>"');
    expect(() => defineService({ name: 'orders', actions: {}, resourceTypes: { order: { arn: 'order/*' } } })).toThrow('needs an ARN format starting with "arn:"');
    expect(() => defineService({ name: 'orders', actions: { GetOrder: {}, getOrder: {} } })).toThrow('action "getOrder" is declared twice (action names are case-insensitive)');
  });
});

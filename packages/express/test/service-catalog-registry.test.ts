import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SERVICE_CATALOGS_PER_ACCOUNT, serviceCatalogDocument, storeServiceCatalogRegistry } from '../src/index.js';
import { ACCOUNT, fixture, orders, type Fixture } from './helpers/fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(async () => f?.close());

describe('storeServiceCatalogRegistry', () => {
  it('stores the canonical document, answers it, and gives the account one partial catalog', async () => {
    const registry = storeServiceCatalogRegistry(f.store);
    expect(await f.store.read((repos) => registry.catalogOf(repos, ACCOUNT))).toBeUndefined();
    const stored = await registry.put(ACCOUNT, JSON.parse(JSON.stringify(serviceCatalogDocument(orders))), 1_000, 'orders');
    expect(stored).toEqual({ service: 'orders', document: serviceCatalogDocument(orders), updatedAt: 1_000 });
    expect(await registry.get(ACCOUNT, 'orders')).toEqual(stored);
    const catalog = await f.store.read((repos) => registry.catalogOf(repos, ACCOUNT));
    expect(catalog?.partial).toBe(true);
    expect([catalog?.hasAction('orders:GetOrder'), catalog?.hasAction('orders:GetOrdr'), catalog?.hasService('s3')]).toEqual([true, false, false]);
    await registry.delete(ACCOUNT, 'orders');
    await expect(registry.delete(ACCOUNT, 'orders')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('refuses an invalid document with a TypeError and stores nothing', async () => {
    const registry = storeServiceCatalogRegistry(f.store);
    await expect(registry.put(ACCOUNT, { name: 'orders', actions: { GetOrder: { resourceTypes: ['nope'] } } }, 1, 'orders')).rejects.toThrow(TypeError);
    await expect(registry.put(ACCOUNT, { name: 'billing', actions: {} }, 1, 'orders')).rejects.toThrow(`the catalog's name must be the service's name "orders"`);
    expect(await registry.get(ACCOUNT, 'orders')).toBeUndefined();
  });

  it('leaves out a stored document that no longer passes the rules instead of failing validation', async () => {
    const registry = storeServiceCatalogRegistry(f.store);
    await registry.put(ACCOUNT, { name: 'billing', actions: { GetInvoice: {} } }, 1);
    await f.store.transaction((tx) => tx.serviceCatalogs.put({ accountId: ACCOUNT, service: 'legacy', document: '{"name":"legacy","actions":{"Bad-Name":{}}}', updatedAt: 1 }));
    const catalog = await f.store.read((repos) => registry.catalogOf(repos, ACCOUNT));
    expect([catalog?.hasService('billing'), catalog?.hasService('legacy')]).toEqual([true, false]);
  });

  it(`allows ${MAX_SERVICE_CATALOGS_PER_ACCOUNT} services per account, and replacing one at the limit`, async () => {
    const registry = storeServiceCatalogRegistry(f.store);
    const account = '444455556666';
    await f.store.transaction((tx) => tx.accounts.create({ id: account, alias: null, createdAt: 1 }));
    for (let i = 0; i < MAX_SERVICE_CATALOGS_PER_ACCOUNT; i++) await registry.put(account, { name: `svc${i}`, actions: {} }, 1);
    await expect(registry.put(account, { name: 'one-more', actions: {} }, 1)).rejects.toMatchObject({ code: 'LimitExceededException' });
    await registry.put(account, { name: 'svc0', actions: { Read: {} } }, 2);
    expect((await registry.get(account, 'svc0'))?.document.actions).toEqual({ Read: {} });
  });
});

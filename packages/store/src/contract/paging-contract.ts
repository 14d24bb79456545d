import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidMarkerError } from '../errors.js';
import type { Page } from '../paging.js';
import type { ContractContext } from './context.js';

async function collect<T>(fetch: (marker: string | undefined) => Promise<Page<T>>): Promise<{ pages: T[][]; all: T[] }> {
  const pages: T[][] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await fetch(marker);
    pages.push(page.items);
    if (!page.isTruncated) {
      expect(page.marker).toBeUndefined();
      break;
    }
    expect(typeof page.marker).toBe('string');
    marker = page.marker;
  }
  return { pages, all: pages.flat() };
}

export function pagingContract(c: ContractContext): void {
  describe('paging', () => {
    it('lists by name case-insensitively, in pages that cover every item exactly once', async () => {
      const acct = await c.account();
      const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'foxtrot', 'Golf'];
      await c.store.transaction(async (tx) => {
        for (const n of names) await tx.users.create(c.b.user(acct, n));
      });
      const { pages, all } = await collect((marker) => c.store.read((r) => r.users.list(acct, { maxItems: 3, ...(marker === undefined ? {} : { marker }) })));
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(all.map((u) => u.name)).toEqual(['Alpha', 'Bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'Golf']);
    });

    it('says a page is not truncated when it ends exactly at the last item', async () => {
      const acct = await c.account();
      await c.store.transaction(async (tx) => {
        for (const n of ['a', 'b']) await tx.users.create(c.b.user(acct, n));
      });
      const page = await c.store.read((r) => r.users.list(acct, { maxItems: 2 }));
      expect(page).toMatchObject({ isTruncated: false });
      expect(page.items).toHaveLength(2);
      expect(page.marker).toBeUndefined();
    });

    it('keeps a marker valid while items before and after it change', async () => {
      const acct = await c.account();
      await c.store.transaction(async (tx) => {
        for (const n of ['b', 'd', 'f', 'h']) await tx.users.create(c.b.user(acct, n));
      });
      const first = await c.store.read((r) => r.users.list(acct, { maxItems: 2 }));
      expect(first.items.map((u) => u.name)).toEqual(['b', 'd']);
      await c.store.transaction(async (tx) => {
        await tx.users.create(c.b.user(acct, 'a'));
        await tx.users.create(c.b.user(acct, 'e'));
        const d = await tx.users.getByName(acct, 'd');
        await tx.users.delete(acct, d!.id);
      });
      const second = await c.store.read((r) => r.users.list(acct, { maxItems: 10, marker: first.marker! }));
      expect(second.items.map((u) => u.name)).toEqual(['e', 'f', 'h']);
    });

    it('filters by path prefix, treating % and _ literally', async () => {
      const acct = await c.account();
      await c.store.transaction(async (tx) => {
        await tx.users.create(c.b.user(acct, 'u1', '/eng/'));
        await tx.users.create(c.b.user(acct, 'u2', '/eng/web/'));
        await tx.users.create(c.b.user(acct, 'u3', '/engineering/'));
        await tx.users.create(c.b.user(acct, 'u4', '/e_g/'));
        await tx.users.create(c.b.user(acct, 'u5', '/'));
      });
      const names = async (pathPrefix: string) => (await c.store.read((r) => r.users.list(acct, { maxItems: 100, pathPrefix }))).items.map((u) => u.name);
      expect(await names('/eng/')).toEqual(['u1', 'u2']);
      expect(await names('/eng')).toEqual(['u1', 'u2', 'u3']);
      expect(await names('/e_g/')).toEqual(['u4']);
      expect(await names('/e%')).toEqual([]);
      expect(await names('/')).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    });

    it('pages through a path-filtered list', async () => {
      const acct = await c.account();
      await c.store.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) await tx.roles.create(c.b.role(acct, `svc${i}`, '/svc/'));
        for (let i = 0; i < 3; i++) await tx.roles.create(c.b.role(acct, `other${i}`, '/x/'));
      });
      const { all } = await collect((marker) =>
        c.store.read((r) => r.roles.list(acct, { maxItems: 2, pathPrefix: '/svc/', ...(marker === undefined ? {} : { marker }) })),
      );
      expect(all.map((x) => x.name)).toEqual(['svc0', 'svc1', 'svc2', 'svc3', 'svc4']);
    });

    it('pages any set of AWS-valid names in bytewise case-insensitive order, for any page size', async () => {
      // AWS name alphabet `[\w+=,.@-]`: punctuation sorts differently under locale collations.
      const alphabet = 'aAbBzZ09_+=,.@-'.split('');
      const name = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(name, { minLength: 1, maxLength: 12, selector: (n) => n.toLowerCase() }), fc.integer({ min: 1, max: 5 }), async (names, size) => {
          const acct = await c.account();
          await c.store.transaction(async (tx) => {
            for (const n of names) await tx.groups.create(c.b.group(acct, n));
          });
          const { pages, all } = await collect((marker) => c.store.read((r) => r.groups.list(acct, { maxItems: size, ...(marker === undefined ? {} : { marker }) })));
          const expected = [...names].sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1));
          expect(all.map((g) => g.name)).toEqual(expected);
          expect(pages.slice(0, -1).every((p) => p.length === size)).toBe(true);
        }),
        { numRuns: 12, seed: 20261127 },
      );
    });

    it('rejects a marker it did not issue', async () => {
      const acct = await c.account();
      for (const marker of ['garbage', 'lk1.!!!', 'lk1.WzEsMl0']) {
        await expect(c.store.read((r) => r.users.list(acct, { maxItems: 10, marker }))).rejects.toBeInstanceOf(InvalidMarkerError);
      }
    });

    it('clamps maxItems to 1..1000', async () => {
      const acct = await c.account();
      await c.store.transaction(async (tx) => {
        for (const n of ['a', 'b']) await tx.groups.create(c.b.group(acct, n));
      });
      const page = await c.store.read((r) => r.groups.list(acct, { maxItems: 0 }));
      expect(page.items).toHaveLength(1);
      expect(page.isTruncated).toBe(true);
    });
  });
}

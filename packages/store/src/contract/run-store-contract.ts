import { afterAll, beforeAll, describe } from 'vitest';
import type { Store } from '../store.js';
import { auditContract } from './audit-contract.js';
import { authorizationContract } from './authorization-contract.js';
import { Builders } from './builders.js';
import { changesContract } from './changes-contract.js';
import type { ContractContext } from './context.js';
import { credentialsContract } from './credentials-contract.js';
import type { MakeStore, StoreFixture } from './fixture.js';
import { groupsRolesContract } from './groups-roles-contract.js';
import { pagingContract } from './paging-contract.js';
import { policiesContract } from './policies-contract.js';
import { transactionsContract } from './transactions-contract.js';
import { usersContract } from './users-contract.js';

/**
 * Registers the adapter contract: every `Store` implementation must pass it unchanged. One
 * fixture (one fresh database) serves the whole suite; each test works in accounts of its own,
 * so tests do not depend on each other's data.
 */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  describe(name, () => {
    let fixture: StoreFixture | undefined;
    const b = new Builders(1);

    beforeAll(async () => {
      fixture = await makeStore();
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    const need = (): StoreFixture => {
      if (fixture === undefined) throw new Error('store fixture not opened');
      return fixture;
    };
    const c: ContractContext = {
      get store(): Store {
        return need().store;
      },
      get fixture(): StoreFixture {
        return need();
      },
      b,
      async account() {
        const id = b.accountId();
        await need().store.transaction((tx) => tx.accounts.create({ id, alias: null, createdAt: 1_700_000_000_000 }));
        return id;
      },
    };

    usersContract(c);
    groupsRolesContract(c);
    policiesContract(c);
    authorizationContract(c);
    credentialsContract(c);
    pagingContract(c);
    transactionsContract(c);
    changesContract(c);
    auditContract(c);
  });
}

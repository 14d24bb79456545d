import type { Store } from '../store.js';

/** What an adapter hands the contract suite: a fresh, empty store, and how to dispose of it. */
export interface StoreFixture {
  store: Store;
  /**
   * Opens a second instance on the same database, for the cross-instance tests (change
   * notification, limits under racing instances). Omit it where instances cannot share a
   * database (SQLite `:memory:`); those tests are then skipped.
   */
  openPeer?: () => Promise<Store>;
  dispose(): Promise<void>;
}

export type MakeStore = () => Promise<StoreFixture>;

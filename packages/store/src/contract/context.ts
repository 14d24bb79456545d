import type { Store } from '../store.js';
import type { Builders } from './builders.js';
import type { StoreFixture } from './fixture.js';

export interface ContractContext {
  readonly store: Store;
  readonly fixture: StoreFixture;
  readonly b: Builders;
  /** Creates a fresh account, so each test works on its own slice of the shared store. */
  account(): Promise<string>;
}

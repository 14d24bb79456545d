export { runStoreContract } from './run-store-contract.js';
export type { MakeStore, StoreFixture } from './fixture.js';
export { Builders, POLICY_DOCUMENT, TRUST_POLICY } from './builders.js';
export type { ContractContext } from './context.js';

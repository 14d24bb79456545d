export { openStore, parseStoreUrl } from './open-store.js';
export type { OpenStoreOptions, StoreLocation } from './open-store.js';
export { SqlStore } from './sql-store.js';
export type { StoreHealth } from './sql-store.js';
export { MIGRATIONS, migrate } from './migrations.js';
export type { Migration } from './migrations.js';
export { auditHash } from './audit-hash.js';
export { verifyAuditChain } from './verify-audit-chain.js';
export type { AuditChainVerdict } from './verify-audit-chain.js';

import { hash } from 'node:crypto';
import { LimitExceededException, ResourceNotFoundException } from '@latchkey/errors';
import type { ServiceCatalog } from '@latchkey/policy';
import type { Repositories, Store } from '@latchkey/store';
import { MAX_SERVICE_CATALOG_BYTES, parseServiceCatalogDocument, registeredServiceCatalog, serviceCatalogDocument, type ServiceCatalogDocument } from './service-catalog-document.js';
import type { ServiceDefinition } from './service-definition.js';

/** Most services one account may register catalogs for. */
export const MAX_SERVICE_CATALOGS_PER_ACCOUNT = 100;

/** A registered catalog as the registry answers it. */
export interface RegisteredServiceCatalog {
  readonly service: string;
  readonly document: ServiceCatalogDocument;
  /** Epoch ms of the last registration. */
  readonly updatedAt: number;
}

/** In-house services' catalogs, per account, over the store (the server's side of `PutServiceCatalog`). */
export interface ServiceCatalogRegistry {
  /**
   * Validates and stores (creates or replaces) a catalog. Throws a `TypeError` saying what is
   * wrong with the document, or `LimitExceededException` beyond
   * `MAX_SERVICE_CATALOGS_PER_ACCOUNT`; nothing is stored then.
   */
  put(accountId: string, document: unknown, now: number, service?: string): Promise<RegisteredServiceCatalog>;
  get(accountId: string, service: string): Promise<RegisteredServiceCatalog | undefined>;
  /** Throws `ResourceNotFoundException` when the service has no catalog. */
  delete(accountId: string, service: string): Promise<void>;
  /** The account's registered catalogs as one partial `ServiceCatalog` (undefined: none registered), read through `repos`. */
  catalogOf(repos: Repositories, accountId: string): Promise<ServiceCatalog | undefined>;
}

// Parsed definitions by the document's digest: validation reads every catalog of the account on
// each policy write, and parsing (defineService's checks) is the costly part. Bounded by the
// documents' total size, not their number: one catalog may be up to 256 KiB.
const PARSED_CACHE_BYTES = 8 * 1024 * 1024;

/** The registry over a store (both SQL dialects: the `service_catalogs` table). */
export function storeServiceCatalogRegistry(store: Store): ServiceCatalogRegistry {
  const parsed = new Map<string, { readonly definition: ServiceDefinition | null; readonly bytes: number }>();
  let cachedBytes = 0;
  const definitionOf = (text: string): ServiceDefinition | undefined => {
    const digest = hash('sha256', text, 'base64');
    let hit = parsed.get(digest);
    if (hit === undefined) {
      let definition: ServiceDefinition | null;
      try {
        definition = parseServiceCatalogDocument(JSON.parse(text));
      } catch {
        // Stored documents passed these checks when they were stored; one that no longer does
        // (rules tightened by an upgrade) is left out rather than failing every policy write.
        definition = null;
      }
      hit = { definition, bytes: text.length };
      // Oldest first out until the new one fits.
      while (parsed.size > 0 && cachedBytes + hit.bytes > PARSED_CACHE_BYTES) {
        const [oldest, entry] = parsed.entries().next().value as [string, { bytes: number }];
        parsed.delete(oldest);
        cachedBytes -= entry.bytes;
      }
      parsed.set(digest, hit);
      cachedBytes += hit.bytes;
    }
    return hit.definition ?? undefined;
  };
  return {
    async put(accountId, input, now, service) {
      const definition = parseServiceCatalogDocument(input, service);
      // Stored in the canonical form: members in a fixed order, nothing the parser dropped.
      const document = serviceCatalogDocument(definition);
      const text = JSON.stringify(document);
      if (Buffer.byteLength(text) > MAX_SERVICE_CATALOG_BYTES) throw new TypeError(`the catalog is larger than ${MAX_SERVICE_CATALOG_BYTES} bytes`);
      await store.transaction(async (tx) => {
        // Locks the account row: two instances registering at once cannot both pass the limit.
        await tx.accounts.get(accountId, { forUpdate: true });
        const existing = await tx.serviceCatalogs.get(accountId, definition.name);
        if (existing === undefined && (await tx.serviceCatalogs.count(accountId)) >= MAX_SERVICE_CATALOGS_PER_ACCOUNT) {
          throw new LimitExceededException(`Cannot exceed quota for ServiceCatalogsPerAccount: ${MAX_SERVICE_CATALOGS_PER_ACCOUNT}`);
        }
        await tx.serviceCatalogs.put({ accountId, service: definition.name, document: text, updatedAt: now });
      });
      return { service: definition.name, document, updatedAt: now };
    },
    async get(accountId, service) {
      const record = await store.read((repos) => repos.serviceCatalogs.get(accountId, service));
      return record && { service: record.service, document: JSON.parse(record.document) as ServiceCatalogDocument, updatedAt: record.updatedAt };
    },
    async delete(accountId, service) {
      const gone = await store.transaction((tx) => tx.serviceCatalogs.delete(accountId, service));
      if (!gone) throw new ResourceNotFoundException(noCatalog(service));
    },
    async catalogOf(repos, accountId) {
      const records = await repos.serviceCatalogs.list(accountId);
      const definitions = records.map((r) => definitionOf(r.document)).filter((d): d is ServiceDefinition => d !== undefined);
      return definitions.length === 0 ? undefined : registeredServiceCatalog(definitions);
    },
  };
}

export const noCatalog = (service: string): string => `No service catalog is registered for service ${service}.`;

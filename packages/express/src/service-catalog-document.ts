import type { ConditionKeyType, ServiceCatalog } from '@latchkey/policy';
import { defineService, type ActionDefinition, type ResourceTypeDefinition, type ServiceDefinition } from './service-definition.js';

/**
 * A service definition as plain JSON: what `PutServiceCatalog` sends and the server stores.
 * The same shape as `defineService`'s input.
 */
export interface ServiceCatalogDocument {
  readonly name: string;
  readonly actions: Readonly<Record<string, ActionDefinition>>;
  readonly resourceTypes?: Readonly<Record<string, ResourceTypeDefinition>>;
  readonly conditionKeys?: Readonly<Record<string, ConditionKeyType>>;
}

/** Largest catalog document, as JSON text (bytes of UTF-8). */
export const MAX_SERVICE_CATALOG_BYTES = 262_144;
/** Most actions, resource types or condition keys one catalog declares. */
export const MAX_SERVICE_CATALOG_ENTRIES = 1000;
const MAX_DESCRIPTION = 1000;
const MAX_ARN_FORMAT = 1011;

const KEY_TYPES: ReadonlySet<string> = new Set<ConditionKeyType>([
  'String',
  'ARN',
  'Bool',
  'Numeric',
  'Date',
  'IPAddress',
  'Binary',
  'ArrayOfString',
  'ArrayOfARN',
  'ArrayOfBool',
  'ArrayOfNumeric',
  'ArrayOfDate',
  'ArrayOfIPAddress',
  'ArrayOfBinary',
]);

/** The JSON form of a definition (what `lk.registerCatalog()` sends). */
export function serviceCatalogDocument(definition: ServiceDefinition): ServiceCatalogDocument {
  const actions: Record<string, ActionDefinition> = {};
  for (const [name, def] of Object.entries(definition.actions as Record<string, ActionDefinition>)) {
    actions[name] = {
      ...(def.resourceTypes === undefined ? {} : { resourceTypes: [...def.resourceTypes] }),
      ...(def.conditionKeys === undefined ? {} : { conditionKeys: [...def.conditionKeys] }),
      ...(def.description === undefined ? {} : { description: def.description }),
    };
  }
  const resourceTypes: Record<string, ResourceTypeDefinition> = {};
  for (const [name, def] of Object.entries(definition.resourceTypes as Record<string, ResourceTypeDefinition>)) resourceTypes[name] = { arn: def.arn };
  return { name: definition.name, actions, resourceTypes, conditionKeys: { ...(definition.conditionKeys as Record<string, ConditionKeyType>) } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function only(where: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new TypeError(`${where}: unknown member "${key.slice(0, 64)}" (expected ${allowed.join(', ')})`);
  }
}

function entries(where: string, value: unknown): [string, unknown][] {
  if (!isRecord(value)) throw new TypeError(`${where} must be a JSON object`);
  const list = Object.entries(value);
  if (list.length > MAX_SERVICE_CATALOG_ENTRIES) throw new TypeError(`${where} has ${list.length} members; at most ${MAX_SERVICE_CATALOG_ENTRIES} are allowed`);
  return list;
}

function stringList(where: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new TypeError(`${where} must be a list of strings`);
  if (value.length > MAX_SERVICE_CATALOG_ENTRIES) throw new TypeError(`${where} has more than ${MAX_SERVICE_CATALOG_ENTRIES} entries`);
  return [...(value as string[])];
}

/**
 * Reads a catalog document (parsed JSON) strictly: only the members `defineService` knows, of
 * the right types and within the limits above, then `defineService`'s own checks (names,
 * references between actions, resource types and keys). Throws a `TypeError` whose message
 * says what is wrong. `service`, when given, is the name the document must carry.
 */
export function parseServiceCatalogDocument(value: unknown, service?: string): ServiceDefinition {
  if (!isRecord(value)) throw new TypeError('the catalog must be a JSON object');
  only('the catalog', value, ['name', 'actions', 'resourceTypes', 'conditionKeys']);
  if (service !== undefined && value.name !== service) throw new TypeError(`the catalog's name must be the service's name "${service}"`);
  // Null-prototype records: a member named "__proto__" is then a member like any other (and
  // refused by the name rules below), not a prototype silently swapped in.
  const actions: Record<string, ActionDefinition> = Object.create(null) as Record<string, ActionDefinition>;
  for (const [name, raw] of entries('actions', value.actions)) {
    const where = `action ${name.slice(0, 64)}`;
    if (!isRecord(raw)) throw new TypeError(`${where} must be a JSON object`);
    only(where, raw, ['resourceTypes', 'conditionKeys', 'description']);
    if (raw.description !== undefined && (typeof raw.description !== 'string' || raw.description.length > MAX_DESCRIPTION)) {
      throw new TypeError(`${where}: description must be a string of at most ${MAX_DESCRIPTION} characters`);
    }
    actions[name] = {
      ...(raw.resourceTypes === undefined ? {} : { resourceTypes: stringList(`${where}: resourceTypes`, raw.resourceTypes) }),
      ...(raw.conditionKeys === undefined ? {} : { conditionKeys: stringList(`${where}: conditionKeys`, raw.conditionKeys) }),
      ...(raw.description === undefined ? {} : { description: raw.description as string }),
    };
  }
  const resourceTypes: Record<string, ResourceTypeDefinition> = Object.create(null) as Record<string, ResourceTypeDefinition>;
  for (const [name, raw] of value.resourceTypes === undefined ? [] : entries('resourceTypes', value.resourceTypes)) {
    const where = `resource type ${name.slice(0, 64)}`;
    if (!isRecord(raw)) throw new TypeError(`${where} must be a JSON object`);
    only(where, raw, ['arn']);
    if (typeof raw.arn !== 'string' || raw.arn.length > MAX_ARN_FORMAT) throw new TypeError(`${where}: arn must be a string of at most ${MAX_ARN_FORMAT} characters`);
    resourceTypes[name] = { arn: raw.arn };
  }
  const conditionKeys: Record<string, ConditionKeyType> = Object.create(null) as Record<string, ConditionKeyType>;
  for (const [key, type] of value.conditionKeys === undefined ? [] : entries('conditionKeys', value.conditionKeys)) {
    if (typeof type !== 'string' || !KEY_TYPES.has(type)) throw new TypeError(`condition key ${key.slice(0, 64)}: the type must be one of ${[...KEY_TYPES].join(', ')}`);
    conditionKeys[key] = type as ConditionKeyType;
  }
  return defineService({ name: value.name as string, actions, resourceTypes, conditionKeys });
}

/**
 * One `ServiceCatalog` over the registered catalogs of an account, for policy validation. It is
 * partial: services that are not registered (AWS's, or in-house ones that never registered) are
 * not reported as unknown; only the registered services' actions and keys are checked.
 */
export function registeredServiceCatalog(definitions: readonly ServiceDefinition[]): ServiceCatalog {
  const byName = new Map(definitions.map((d) => [d.name, d.catalog()]));
  const of = (prefix: string): ServiceCatalog | undefined => byName.get(prefix.toLowerCase());
  const prefixOf = (name: string): string => name.slice(0, Math.max(0, name.indexOf(':')));
  return {
    partial: true,
    hasService: (prefix) => byName.has(prefix.toLowerCase()),
    hasAction: (action) => of(prefixOf(action))?.hasAction(action) ?? false,
    conditionKeyType: (key) => of(prefixOf(key))?.conditionKeyType(key),
    actionsOf: (prefix) => of(prefix)?.actionsOf?.(prefix) ?? [],
  };
}

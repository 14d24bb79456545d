import type { ConditionKeyType, ServiceCatalog } from '@latchkey/policy';
import { didYouMean } from './did-you-mean.js';

/** One action of a service: the resource types it acts on and the condition keys it sets. */
export interface ActionDefinition {
  /** Keys of `resourceTypes`; empty or absent for actions on `*` (list, create). */
  readonly resourceTypes?: readonly string[];
  /** Service condition keys (declared in `conditionKeys`) this action's requests carry. */
  readonly conditionKeys?: readonly string[];
  readonly description?: string;
}

/** A resource type's ARN format, AWS style: `arn:${Partition}:orders:${Region}:${Account}:order/${OrderId}`. */
export interface ResourceTypeDefinition {
  readonly arn: string;
}

export interface ServiceDefinitionInput<N extends string, A extends string, R extends string, K extends string> {
  /** The service prefix and SigV4 signing name: lower case letters, digits and hyphens (`orders`). */
  readonly name: N;
  readonly actions: Readonly<Record<A, ActionDefinition>>;
  readonly resourceTypes?: Readonly<Record<R, ResourceTypeDefinition>>;
  /** Full key names (`orders:Priority`) and their types. */
  readonly conditionKeys?: Readonly<Record<K, ConditionKeyType>>;
}

/** A validated service definition; `Action` is the union of `name:Action` strings. */
export interface ServiceDefinition<A extends string = string, R extends string = string, K extends string = string, N extends string = string> {
  readonly name: N;
  readonly actions: Readonly<Record<A, ActionDefinition>>;
  readonly resourceTypes: Readonly<Record<R, ResourceTypeDefinition>>;
  readonly conditionKeys: Readonly<Record<K, ConditionKeyType>>;
  /** `orders:GetOrder` for a declared action, case-insensitively; undefined otherwise. */
  canonicalAction(action: string): string | undefined;
  /** Throws a TypeError naming the closest declared action when `action` is not declared. */
  assertAction(action: string): string;
  /** The policy engine's catalog view (validation warns about unknown actions and keys). */
  catalog(): ServiceCatalog;
  /** `arn:aws:orders:us-east-1:123456789012:order/42` from a resource type's ARN format. */
  arn(resourceType: R, values: Readonly<Record<string, string>>): string;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const ACTION = /^[A-Za-z][A-Za-z0-9]*$/;
const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const KEY = /^[A-Za-z0-9-]+:[A-Za-z0-9_./-]+$/;
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/**
 * Declares an in-house service's actions, resource types (ARN formats) and condition keys, as
 * AWS's service authorization reference does for its own services. The middleware refuses
 * routes naming actions that are not declared here.
 */
export function defineService<const N extends string, const A extends string, const R extends string = never, const K extends string = never>(
  input: ServiceDefinitionInput<N, A, R, K>,
): ServiceDefinition<A, R, K, N> {
  const { name } = input;
  if (typeof name !== 'string' || !NAME.test(name)) throw new TypeError(`defineService: name must be a lower-case service prefix such as "orders" (got ${JSON.stringify(name)})`);
  const resourceTypes = (input.resourceTypes ?? {}) as Record<R, ResourceTypeDefinition>;
  const conditionKeys = (input.conditionKeys ?? {}) as Record<K, ConditionKeyType>;
  const byLower = new Map<string, string>();
  for (const action of Object.keys(input.actions)) {
    if (!ACTION.test(action)) throw new TypeError(`defineService(${name}): action "${action}" must be an AWS-style name such as "GetOrder" (letters and digits)`);
    const def = (input.actions as Record<string, ActionDefinition>)[action] as ActionDefinition;
    for (const type of def.resourceTypes ?? []) {
      if (!Object.hasOwn(resourceTypes, type)) throw new TypeError(`defineService(${name}): action ${action} names undeclared resource type "${type}"${didYouMean(type, Object.keys(resourceTypes))}`);
    }
    for (const key of def.conditionKeys ?? []) {
      if (!Object.hasOwn(conditionKeys, key)) throw new TypeError(`defineService(${name}): action ${action} names undeclared condition key "${key}"${didYouMean(key, Object.keys(conditionKeys))}`);
    }
    // Policies match actions case-insensitively: two spellings would be one action.
    if (byLower.has(`${name}:${action}`.toLowerCase())) throw new TypeError(`defineService(${name}): action "${action}" is declared twice (action names are case-insensitive)`);
    byLower.set(`${name}:${action}`.toLowerCase(), `${name}:${action}`);
  }
  for (const [type, def] of Object.entries(resourceTypes) as [string, ResourceTypeDefinition][]) {
    if (!RESOURCE_TYPE.test(type)) throw new TypeError(`defineService(${name}): resource type "${type.slice(0, 64)}" must be a name such as "order" or "access-point" (letters, digits, dashes)`);
    if (typeof def?.arn !== 'string' || !def.arn.startsWith('arn:')) throw new TypeError(`defineService(${name}): resource type ${type} needs an ARN format starting with "arn:"`);
  }
  for (const key of Object.keys(conditionKeys)) {
    if (!KEY.test(key) || key.slice(0, key.indexOf(':')).toLowerCase() !== name) throw new TypeError(`defineService(${name}): condition key "${key}" must be "${name}:<Name>"`);
  }
  const declared = [...byLower.values()];
  const keyTypes = new Map(Object.entries(conditionKeys as Record<string, ConditionKeyType>).map(([k, t]) => [k.toLowerCase(), t]));
  const actionNames = Object.keys(input.actions);

  const definition: ServiceDefinition<A, R, K, N> = {
    name,
    actions: input.actions,
    resourceTypes,
    conditionKeys,
    canonicalAction: (action) => byLower.get(action.toLowerCase()),
    assertAction(action) {
      const found = byLower.get(String(action).toLowerCase());
      if (found === undefined) throw new TypeError(`latchkey: action "${action}" is not declared by service "${name}"${didYouMean(String(action), declared)}`);
      return found;
    },
    catalog: () => ({
      hasService: (prefix) => prefix.toLowerCase() === name,
      hasAction: (action) => byLower.has(action.toLowerCase()),
      conditionKeyType: (key) => keyTypes.get(key.toLowerCase()),
      actionsOf: (prefix) => (prefix.toLowerCase() === name ? actionNames : []),
    }),
    arn(resourceType, values) {
      const format = (resourceTypes as Record<string, ResourceTypeDefinition>)[resourceType]?.arn;
      if (format === undefined) throw new TypeError(`latchkey: resource type "${resourceType}" is not declared by service "${name}"`);
      return format.replace(PLACEHOLDER, (_, key: string) => {
        const value = values[key] ?? (key === 'Partition' ? 'aws' : undefined);
        if (value === undefined) throw new TypeError(`latchkey: no value for \${${key}} in ${format}`);
        return value;
      });
    },
  };
  return definition;
}

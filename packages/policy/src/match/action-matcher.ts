import { parseTemplate } from '../variables/template.js';
import { compileGlob, type StringMatcher } from './glob.js';

/**
 * `Action` / `NotAction` patterns, matched case-insensitively with `*` and `?`. Patterns with a
 * literal service prefix are grouped by that prefix so the compiled policy can index its
 * statements by service; patterns with a wildcard in the prefix (or `*`) are "global".
 */
export interface ActionMatcher {
  /** Lower-cased service prefix → matchers of the lower-cased action name. */
  readonly byService: ReadonlyMap<string, readonly StringMatcher[]>;
  /** Matchers of the whole lower-cased `service:action`. */
  readonly global: readonly StringMatcher[];
}

/** Action names are short and mostly `Name` or `Prefix*`: those skip the general compiler. */
function compileName(pattern: string): StringMatcher {
  const star = pattern.indexOf('*');
  if (pattern.indexOf('?') < 0) {
    if (star < 0) return (text) => text === pattern;
    if (star === pattern.length - 1) {
      const prefix = pattern.slice(0, -1);
      return (text) => text.startsWith(prefix);
    }
  }
  return compileGlob(parseTemplate(pattern, { wildcards: true, variables: false }).tokens, false);
}

export function compileActions(patterns: readonly string[]): ActionMatcher {
  const byService = new Map<string, StringMatcher[]>();
  const global: StringMatcher[] = [];
  for (const raw of patterns) {
    const pattern = raw.toLowerCase();
    const colon = pattern.indexOf(':');
    const service = colon < 0 ? undefined : pattern.slice(0, colon);
    if (service === undefined || service.includes('*') || service.includes('?')) {
      global.push(compileGlob(parseTemplate(pattern, { wildcards: true, variables: false }).tokens, false));
      continue;
    }
    const name = compileName(pattern.slice(colon + 1));
    const list = byService.get(service);
    if (list) list.push(name);
    else byService.set(service, [name]);
  }
  return { byService, global };
}

/** `service` and `name` lower-cased; `full` is `service:name`. */
export function actionMatches(m: ActionMatcher, service: string, name: string, full: string): boolean {
  const names = m.byService.get(service);
  if (names !== undefined) for (const n of names) if (n(name)) return true;
  for (const g of m.global) if (g(full)) return true;
  return false;
}

import type { Collector } from './collector.js';
import type { DiagnosticCode } from './diagnostic-code.js';
import { globalConditionKeyType } from './global-condition-keys.js';
import type { Json } from './json-value.js';
import * as M from './messages.js';
import { findVariables } from './policy-variables.js';
import type { PolicyType } from '../policy-type.js';
import type { ServiceCatalog } from './service-catalog.js';

export interface StatementContext {
  readonly c: Collector;
  readonly type: PolicyType;
  readonly catalog: ServiceCatalog | undefined;
  readonly principalExists: ((arn: string) => boolean) | undefined;
  readonly variablesActive: boolean;
  /** Sid → pointer of its first statement. */
  readonly sids: Map<string, string>;
  /** Canonical statement text → pointer of its first statement. */
  readonly seen: Map<string, string>;
}

/** Reads a string-or-array-of-strings element, reporting entries of the wrong shape.
 * Returns undefined when the element itself has the wrong shape, else its string entries
 * (so that they are checked too: every problem is reported). */
export function stringList(value: Json, pointer: string, c: Collector, badCode: DiagnosticCode): { value: string; pointer: string }[] | undefined {
  if (typeof value === 'string') return [{ value, pointer }];
  if (!Array.isArray(value)) {
    c.add(badCode, M.MSG_SYNTAX, pointer);
    return undefined;
  }
  const out: { value: string; pointer: string }[] = [];
  value.forEach((v: Json, i: number) => {
    const p = `${pointer}/${i}`;
    if (typeof v === 'string') out.push({ value: v, pointer: p });
    else c.add(badCode, M.MSG_SYNTAX, p);
  });
  return out;
}

export function warnDuplicates(entries: readonly { value: string; pointer: string }[], c: Collector, caseInsensitive: boolean): void {
  const seen = new Set<string>();
  for (const e of entries) {
    const k = caseInsensitive ? e.value.toLowerCase() : e.value;
    if (seen.has(k)) c.add('RedundantValue', `"${e.value}" is listed more than once.`, e.pointer);
    seen.add(k);
  }
}

export function checkVariables(value: string, pointer: string, ctx: StatementContext, allowed: boolean): void {
  if (!value.includes('${')) return;
  if (!ctx.variablesActive) {
    ctx.c.add('VariableInLegacyVersion', `"${value}" contains "\${": with Version 2008-10-17 (or none) it is literal text, not a policy variable.`, pointer);
    return;
  }
  if (!allowed) {
    ctx.c.add('VariableNotAllowedHere', `Policy variables are not substituted here; "${value}" is compared as literal text.`, pointer);
    return;
  }
  for (const use of findVariables(value)) {
    if (use.invalid !== undefined) {
      ctx.c.add('InvalidVariable', `"${use.text}" is not a valid policy variable (${use.invalid}); it is compared as literal text.`, pointer);
      continue;
    }
    const t = globalConditionKeyType(use.key) ?? ctx.catalog?.conditionKeyType(use.key);
    if (t !== undefined && t.startsWith('ArrayOf')) {
      ctx.c.add('MultiValuedVariable', `"${use.key}" is multivalued; only single-valued keys can be policy variables.`, pointer);
    }
  }
}

import type { VariableLookup } from '../variables/template.js';
import { parseTemplate } from '../variables/template.js';
import { compileArnPattern, type ArnPattern } from './arn-pattern.js';
import { compileTemplateMatcher, type TemplateMatcher } from './template-matcher.js';

/**
 * `Resource` / `NotResource` entries, case-sensitive. `*` matches everything; ARN patterns are
 * matched per segment (see `compileArnPattern`); a request resource that is not an ARN (e.g.
 * `*` for actions without resource-level permissions) is compared with the whole pattern.
 */
export type ResourceMatcher = (arn: string, parts: readonly string[] | undefined, lookup: VariableLookup) => boolean | null;

interface Entry {
  readonly arn: ArnPattern;
  readonly whole: TemplateMatcher;
}

export function compileResources(patterns: readonly string[], variables: boolean): ResourceMatcher {
  if (patterns.includes('*')) return () => true;
  const entries: Entry[] = patterns.map((p) => {
    const template = parseTemplate(p, { wildcards: true, variables });
    return { arn: compileArnPattern(template), whole: compileTemplateMatcher(template, false) };
  });
  return (arn, parts, lookup) => {
    let unresolved = false;
    for (const e of entries) {
      const r = parts === undefined ? e.whole(arn, lookup) : e.arn.match(parts, lookup);
      if (r === true) return true;
      if (r === null) unresolved = true;
    }
    return unresolved ? null : false;
  };
}

import type { Template, VariableLookup } from '../variables/template.js';
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

const NEVER: TemplateMatcher = () => false;

function literalColons(template: Template): number {
  let n = 0;
  for (const t of template.tokens) if (t.kind === 'text') for (const c of t.text) if (c === ':') n++;
  return n;
}

export function compileResources(patterns: readonly string[], variables: boolean): ResourceMatcher {
  if (patterns.includes('*')) return () => true;
  const entries: Entry[] = patterns.map((p) => {
    const template = parseTemplate(p, { wildcards: true, variables });
    // A pattern with five literal colons can never match text with fewer (a non-ARN resource):
    // only shorter patterns need the whole-string matcher.
    const whole = literalColons(template) >= 5 ? NEVER : compileTemplateMatcher(template, false);
    return { arn: compileArnPattern(template), whole };
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

import type { Template, VariableLookup } from '../variables/template.js';
import { resolveTemplate } from '../variables/template.js';
import { compileGlob, matchTokens } from './glob.js';

/**
 * Matches request text against a compiled policy string. Returns `null` when a policy variable
 * has no value (and no default): AWS's "null" value, which matches nothing; the caller decides
 * what that means for negated operators and `NotResource`.
 */
export type TemplateMatcher = (text: string, lookup: VariableLookup) => boolean | null;

/** With `ignoreCase`, the caller must pass lower-cased request text. */
export function compileTemplateMatcher(template: Template, ignoreCase: boolean): TemplateMatcher {
  if (!template.hasVariables) {
    // Same call shape: the lookup argument is simply ignored.
    return compileGlob(template.tokens, ignoreCase);
  }
  return (text, lookup) => {
    const tokens = resolveTemplate(template, lookup);
    if (tokens === undefined) return null;
    return matchTokens(tokens, text, ignoreCase);
  };
}

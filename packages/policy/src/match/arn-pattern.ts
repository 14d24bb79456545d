import type { Template, TemplateToken, VariableLookup } from '../variables/template.js';
import { compileTemplateMatcher, type TemplateMatcher } from './template-matcher.js';

/**
 * An ARN pattern (Resource / NotResource entries, Arn* condition values) compiled segment by
 * segment: `*` and `?` never cross the five separating colons, while the resource segment
 * (after the fifth colon) matches colons and slashes too. A pattern with fewer than six segments
 * whose last segment ends in `*` (`arn:aws:myapp:*`) absorbs the rest of the ARN, as AWS does.
 */
export interface ArnPattern {
  /** `parts` is the request ARN split by `splitArn`. */
  match(parts: readonly string[], lookup: VariableLookup): boolean | null;
}

function splitTokensAtColons(tokens: readonly TemplateToken[]): TemplateToken[][] {
  const segments: TemplateToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind !== 'text' || segments.length === 6) {
      segments[segments.length - 1]!.push(token);
      continue;
    }
    const pieces = token.text.split(':');
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) {
        if (segments.length === 6) {
          // The resource segment keeps its colons as literal text.
          segments[5]!.push({ kind: 'text', text: ':' });
        } else {
          segments.push([]);
        }
      }
      if (pieces[i] !== '') segments[segments.length - 1]!.push({ kind: 'text', text: pieces[i]! });
    }
  }
  return segments;
}

function segmentTemplate(source: string, tokens: TemplateToken[]): Template {
  return {
    source,
    tokens,
    hasVariables: tokens.some((t) => t.kind === 'var'),
    hasWildcards: tokens.some((t) => t.kind === 'star' || t.kind === 'one'),
  };
}

export function compileArnPattern(template: Template): ArnPattern {
  const segments = splitTokensAtColons(template.tokens);
  const n = segments.length;
  if (n < 6) {
    const matchers = segments.map((tokens) => compileTemplateMatcher(segmentTemplate(template.source, tokens), false));
    return {
      match(parts, lookup) {
        let unresolved = false;
        for (let i = 0; i < n; i++) {
          // Fewer than six segments: the last one is matched against the rest of the ARN.
          const text = i === n - 1 ? parts.slice(i).join(':') : parts[i]!;
          const r = matchers[i]!(text, lookup);
          if (r === false) return false;
          if (r === null) unresolved = true;
        }
        return unresolved ? null : true;
      },
    };
  }
  // Six segments: literal segments are compared first, `*` segments skipped, the rest matched.
  const literalAt: number[] = [];
  const literals: string[] = [];
  const matcherAt: number[] = [];
  const matchers: TemplateMatcher[] = [];
  segments.forEach((tokens, i) => {
    const t = segmentTemplate(template.source, tokens);
    if (tokens.length === 1 && tokens[0]!.kind === 'star') return;
    if (!t.hasVariables && !t.hasWildcards) {
      literalAt.push(i);
      literals.push(tokens.map((x) => (x.kind === 'text' ? x.text : '')).join(''));
      return;
    }
    matcherAt.push(i);
    matchers.push(compileTemplateMatcher(t, false));
  });
  const nl = literalAt.length;
  const nm = matcherAt.length;
  return {
    match(parts, lookup) {
      for (let i = 0; i < nl; i++) if (parts[literalAt[i]!] !== literals[i]) return false;
      let unresolved = false;
      for (let i = 0; i < nm; i++) {
        const r = matchers[i]!(parts[matcherAt[i]!]!, lookup);
        if (r === false) return false;
        if (r === null) unresolved = true;
      }
      return unresolved ? null : true;
    },
  };
}

/**
 * Policy strings that may hold policy variables (`${aws:username}`), AWS's special escapes
 * (`${*}`, `${?}`, `${$}`) and, in glob contexts, the wildcards `*` and `?`. A template is parsed
 * once at compile time into tokens; at request time only the variables are resolved.
 *
 * Substituted values are always literal text: a `*` inside a tag value never acts as a wildcard,
 * which is why wildcards and substituted text are kept as distinct tokens until matching.
 */

export type TemplateToken =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'star' }
  | { readonly kind: 'one' }
  | { readonly kind: 'var'; readonly key: string; readonly keyLower: string; readonly fallback?: string };

export interface Template {
  readonly source: string;
  readonly tokens: readonly TemplateToken[];
  readonly hasVariables: boolean;
  readonly hasWildcards: boolean;
}

export interface TemplateOptions {
  /** `*` and `?` are wildcards (Like operators, Resource, Arn operators). */
  readonly wildcards: boolean;
  /** Policy variables are substituted (2012-10-17 and a place where AWS allows them). */
  readonly variables: boolean;
}

// `${key}` or `${key, 'default'}` (AWS documents "a comma and a space"; extra spaces tolerated).
const VARIABLE_BODY = /^\s*([^,'}\s][^,'}]*?)\s*(?:,\s*'([^']*)'\s*)?$/;

export function parseTemplate(source: string, options: TemplateOptions): Template {
  const tokens: TemplateToken[] = [];
  let text = '';
  let hasVariables = false;
  let hasWildcards = false;
  const flush = (): void => {
    if (text !== '') tokens.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (options.variables && c === '$' && source[i + 1] === '{') {
      const close = source.indexOf('}', i + 2);
      if (close > 0) {
        const body = source.slice(i + 2, close);
        if (body === '*' || body === '?' || body === '$') {
          text += body; // literal character, never a wildcard
          i = close + 1;
          continue;
        }
        const m = VARIABLE_BODY.exec(body);
        if (m) {
          flush();
          const key = m[1]!;
          const token: TemplateToken =
            m[2] === undefined
              ? { kind: 'var', key, keyLower: key.toLowerCase() }
              : { kind: 'var', key, keyLower: key.toLowerCase(), fallback: m[2] };
          tokens.push(token);
          hasVariables = true;
          i = close + 1;
          continue;
        }
      }
    }
    if (options.wildcards && (c === '*' || c === '?')) {
      flush();
      tokens.push(c === '*' ? { kind: 'star' } : { kind: 'one' });
      hasWildcards = true;
      i++;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return { source, tokens, hasVariables, hasWildcards };
}

/** Looks a condition key up (lower-case name) in the request context; undefined when absent
 * or not single-valued (AWS: only single-valued keys can be variables). An object rather than
 * a function so the prepared request itself serves, with no closure per request. */
export interface VariableLookup {
  variable(keyLower: string, key: string): string | undefined;
}

/**
 * Replaces variables by their values (as literal `text` tokens). Returns undefined when a
 * variable has neither a value nor a default: AWS then treats the value as null, which
 * matches nothing.
 */
export function resolveTemplate(template: Template, lookup: VariableLookup): TemplateToken[] | undefined {
  const out: TemplateToken[] = [];
  for (const token of template.tokens) {
    if (token.kind !== 'var') {
      out.push(token);
      continue;
    }
    const value = lookup.variable(token.keyLower, token.key) ?? token.fallback;
    if (value === undefined) return undefined;
    if (value !== '') out.push({ kind: 'text', text: value });
  }
  return out;
}

/** The literal text of a template without wildcards (after resolution). */
export function tokensToText(tokens: readonly TemplateToken[]): string {
  let s = '';
  for (const t of tokens) {
    if (t.kind === 'text') s += t.text;
    else if (t.kind === 'star') s += '*';
    else if (t.kind === 'one') s += '?';
  }
  return s;
}

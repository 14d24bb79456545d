/**
 * Wildcard (`*` = any run, `?` = exactly one character) matching over template tokens.
 * Patterns without variables are turned into the cheapest matcher at compile time (equality,
 * prefix, suffix, substring, or a RegExp built once); patterns with variables are matched by
 * a small backtracking matcher after substitution, so no RegExp is ever built per request.
 */
import type { TemplateToken } from '../variables/template.js';

export type StringMatcher = (text: string) => boolean;

export const ALWAYS: StringMatcher = () => true;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles variable-free tokens. With `ignoreCase` the caller passes lower-cased text. */
export function compileGlob(tokens: readonly TemplateToken[], ignoreCase: boolean): StringMatcher {
  const norm = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const texts: string[] = [];
  let stars = 0;
  let ones = 0;
  for (const t of tokens) {
    if (t.kind === 'star') stars++;
    else if (t.kind === 'one') ones++;
    else if (t.kind === 'text') texts.push(t.text);
  }
  if (stars === 0 && ones === 0) {
    const literal = norm(texts.join(''));
    return (text) => text === literal;
  }
  if (ones === 0) {
    // Shapes that cover nearly every real policy: `*`, `abc*`, `*abc`, `*abc*`.
    const nonEmpty = tokens.filter((t) => !(t.kind === 'text' && t.text === ''));
    if (nonEmpty.every((t) => t.kind === 'star')) return ALWAYS;
    const first = nonEmpty[0]!;
    const last = nonEmpty[nonEmpty.length - 1]!;
    if (stars === 1 && nonEmpty.length === 2) {
      if (last.kind === 'star' && first.kind === 'text') {
        const prefix = norm(first.text);
        return (text) => text.startsWith(prefix);
      }
      if (first.kind === 'star' && last.kind === 'text') {
        const suffix = norm(last.text);
        return (text) => text.endsWith(suffix);
      }
    }
    if (stars === 2 && nonEmpty.length === 3 && first.kind === 'star' && last.kind === 'star') {
      const middle = nonEmpty[1]!;
      if (middle.kind === 'text') {
        const inner = norm(middle.text);
        return (text) => text.includes(inner);
      }
    }
  }
  if (ones === 0) {
    // Star-only pattern: literal pieces found left to right (greedy is exact for `*` alone).
    const pieces: string[] = [];
    let current = '';
    for (const t of tokens) {
      if (t.kind === 'star') {
        pieces.push(norm(current));
        current = '';
      } else if (t.kind === 'text') current += t.text;
    }
    pieces.push(norm(current));
    const head = pieces[0]!;
    const tail = pieces[pieces.length - 1]!;
    const middle = pieces.slice(1, -1).filter((m) => m !== '');
    const minLength = pieces.reduce((n, m) => n + m.length, 0);
    return (text) => {
      if (text.length < minLength || !text.startsWith(head) || !text.endsWith(tail)) return false;
      let at = head.length;
      const end = text.length - tail.length;
      for (const m of middle) {
        const found = text.indexOf(m, at);
        if (found < 0 || found + m.length > end) return false;
        at = found + m.length;
      }
      return true;
    };
  }
  let source = '^';
  for (const t of tokens) {
    if (t.kind === 'star') source += '[\\s\\S]*';
    else if (t.kind === 'one') source += '[\\s\\S]';
    else if (t.kind === 'text') source += escapeRegExp(norm(t.text));
  }
  const re = new RegExp(source + '$');
  return (text) => re.test(text);
}

const STAR = -1;
const ONE = -2;

/** Matches already-resolved tokens (substituted values are `text`, hence literal). */
export function matchTokens(tokens: readonly TemplateToken[], text: string, ignoreCase: boolean): boolean {
  const units: number[] = [];
  for (const t of tokens) {
    if (t.kind === 'star') units.push(STAR);
    else if (t.kind === 'one') units.push(ONE);
    else if (t.kind === 'text') {
      const s = ignoreCase ? t.text.toLowerCase() : t.text;
      for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
    }
  }
  return matchUnits(units, text);
}

function matchUnits(p: readonly number[], s: string): boolean {
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const u = pi < p.length ? p[pi]! : undefined;
    if (u !== undefined && (u === ONE || u === s.charCodeAt(si))) {
      pi++;
      si++;
    } else if (u === STAR) {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === STAR) pi++;
  return pi === p.length;
}

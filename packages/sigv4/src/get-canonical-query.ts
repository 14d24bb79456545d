import { canonicalizeComponent, isUnreservedByte } from './uri-escape.js';

/** One query parameter: raw text as received, and its canonical (re-encoded) form. */
export interface QueryParameter {
  rawKey: string;
  rawValue: string;
  key: string;
  value: string;
}

/**
 * Splits a raw query string (the text after `?`) into parameters. A piece without `=` has an
 * empty value; empty pieces (`a=1&&b=2`) are skipped, as smithy does. Returns undefined when a
 * percent escape is malformed.
 */
export function parseQuery(rawQuery: string): QueryParameter[] | undefined {
  const params: QueryParameter[] = [];
  if (rawQuery === '') return params;
  let start = 0;
  while (start <= rawQuery.length) {
    let end = rawQuery.indexOf('&', start);
    if (end === -1) end = rawQuery.length;
    if (end > start) {
      const eq = rawQuery.indexOf('=', start);
      const hasEq = eq !== -1 && eq < end;
      const rawKey = rawQuery.slice(start, hasEq ? eq : end);
      const rawValue = hasEq ? rawQuery.slice(eq + 1, end) : '';
      const key = canonicalizeComponent(rawKey);
      const value = canonicalizeComponent(rawValue);
      if (key === undefined || value === undefined) return undefined;
      params.push({ rawKey, rawValue, key, value });
    }
    start = end + 1;
  }
  return params;
}

function compare(a: QueryParameter, b: QueryParameter): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}

/**
 * The canonical query string: parameters sorted by encoded key, then encoded value (byte order;
 * canonical forms are ASCII so UTF-16 order is byte order), joined as `key=value` with `&`.
 * Parameters for which `exclude` returns true are left out (the presigned `X-Amz-Signature`).
 */
export function getCanonicalQuery(params: readonly QueryParameter[], exclude?: (p: QueryParameter) => boolean): string {
  if (params.length === 0) return '';
  if (params.length === 1 && exclude === undefined) return params[0]!.key + '=' + params[0]!.value;
  const kept = exclude === undefined ? params.slice() : params.filter((p) => !exclude(p));
  kept.sort(compare);
  let out = '';
  for (let i = 0; i < kept.length; i++) {
    const p = kept[i]!;
    out += (i === 0 ? '' : '&') + p.key + '=' + p.value;
  }
  return out;
}

/** Compares `s[a0, a1)` with `s[b0, b1)` in UTF-16 code-unit order (as `<` on strings). */
function compareRange(s: string, a0: number, a1: number, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(a0 + i) - s.charCodeAt(b0 + i);
    if (d !== 0) return d;
  }
  return a1 - a0 - (b1 - b0);
}

/**
 * `rawQuery` itself when it is already its own canonical query string: every piece `key=value`
 * of unreserved characters only (so nothing to decode or re-encode, no empty piece, no
 * value-less key) and the pieces already sorted by key, then value. What SDKs send for query
 * APIs usually is. Undefined otherwise: the caller then parses and sorts (`parseQuery`,
 * `getCanonicalQuery`), which give the same string whenever this one does.
 */
export function canonicalQueryIfCanonical(rawQuery: string): string | undefined {
  const n = rawQuery.length;
  let pieceStart = 0;
  let eq = -1;
  let prevStart = -1;
  let prevEq = -1;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 0x26 : rawQuery.charCodeAt(i);
    if (c === 0x26 /* & */) {
      if (eq === -1) return undefined; // empty piece, or a key without '='
      if (prevStart !== -1) {
        const byKey = compareRange(rawQuery, prevStart, prevEq, pieceStart, eq);
        if (byKey > 0 || (byKey === 0 && compareRange(rawQuery, prevEq + 1, pieceStart - 1, eq + 1, i) > 0)) return undefined;
      }
      prevStart = pieceStart;
      prevEq = eq;
      pieceStart = i + 1;
      eq = -1;
    } else if (c === 0x3d /* = */) {
      if (eq !== -1) return undefined; // a second '=' is data, encoded as %3D canonically
      eq = i;
    } else if (c > 0x7f || !isUnreservedByte(c)) return undefined;
  }
  return rawQuery;
}

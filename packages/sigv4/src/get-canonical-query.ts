import { canonicalizeComponent } from './uri-escape.js';

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

import type { HeaderLookup } from './header-lookup.js';

/**
 * One header value in canonical form: obs-folded line breaks become spaces, runs of spaces and
 * tabs collapse to one space, both ends are trimmed. Only SP, HTAB, CR and LF count as white
 * space (as in smithy and aws-c-auth; botocore's `str.split()` would also eat U+00A0).
 */
export function canonicalHeaderValue(value: string): string {
  const n = value.length;
  if (n === 0) return value;
  // the usual value has nothing to trim or collapse: four native searches beat a character loop
  if (
    value.charCodeAt(0) !== 0x20 &&
    value.charCodeAt(n - 1) !== 0x20 &&
    value.indexOf('  ') === -1 &&
    value.indexOf('\t') === -1 &&
    value.indexOf('\n') === -1 &&
    value.indexOf('\r') === -1
  ) {
    return value;
  }
  let clean = true;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x20) continue; // the usual character: one comparison
    if (c === 0x20) {
      if (i === 0 || i === n - 1 || isWs(value.charCodeAt(i + 1))) {
        clean = false;
        break;
      }
    } else if (c === 0x09 || c === 0x0d || c === 0x0a) {
      clean = false;
      break;
    }
  }
  if (clean) return value;
  // slow path: something to trim or collapse
  let out = '';
  let pendingSpace = false;
  for (let j = 0; j < n; j++) {
    const c = value.charCodeAt(j);
    if (isWs(c)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += value[j];
  }
  return out;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function canonicalValue(value: string | readonly string[]): string {
  if (typeof value === 'string') return canonicalHeaderValue(value);
  let out = '';
  for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalHeaderValue(value[i]!);
  return out;
}

/**
 * The canonical headers block: one `name:value\n` line per signed header name, in the order of
 * `signedHeaders` (which the caller has checked to be sorted). Repeated headers are joined with
 * `,` in arrival order. Returns `{ missing }` for a signed name the request does not carry.
 */
export function getCanonicalHeaders(
  signedHeaders: readonly string[],
  lookup: HeaderLookup,
): { canonical: string; missing?: undefined } | { canonical?: undefined; missing: string } {
  let out = '';
  for (let i = 0; i < signedHeaders.length; i++) {
    const name = signedHeaders[i]!;
    let value = lookup.get(name);
    // HTTP/2: the authority arrives as `:authority`; a client may have signed it as `host`, or the reverse
    if (value === undefined && name === 'host') value = lookup.get(':authority');
    else if (value === undefined && name === ':authority') value = lookup.get('host');
    if (value === undefined) return { missing: name };
    out += name + ':' + canonicalValue(value) + '\n';
  }
  return { canonical: out };
}

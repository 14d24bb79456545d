import { MalformedInput } from '@latchkey/errors';

/** The decoded parameters of one Query request. */
export interface QueryParams {
  /** `Action`, or `undefined` when the request has none (an empty `Action=` is the empty string). */
  readonly action: string | undefined;
  /** `Version`, or `undefined` when absent. */
  readonly version: string | undefined;
  /** Every parameter by name, first occurrence only (AWS's rule, see below). Includes Action and Version. */
  readonly params: ReadonlyMap<string, string>;
}

const MALFORMED = 'The request could not be parsed: malformed application/x-www-form-urlencoded data.';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeComponent(raw: string): string {
  const spaced = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    // Rejects `%`, `%4`, `%zz`, and escapes that do not form valid UTF-8 (including encoded surrogates).
    return decodeURIComponent(spaced);
  } catch {
    throw new MalformedInput(MALFORMED);
  }
}

function addPairs(text: string, into: Map<string, string>): void {
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('&', start);
    if (end < 0) end = n;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const hasValue = eq >= 0 && eq < end;
      const name = decodeComponent(text.slice(start, hasValue ? eq : end));
      const value = hasValue ? decodeComponent(text.slice(eq + 1, end)) : '';
      // First occurrence wins: AWS answers `Action=GetCallerIdentity&Action=NoSuchAction`
      // and `DurationSeconds=900&DurationSeconds=899` with the first value (observed).
      if (!into.has(name)) into.set(name, value);
    }
    start = end + 1;
  }
}

/**
 * Decodes an AWS Query request: the query string and the form body (`application/x-www-form-urlencoded`,
 * `+` or `%20` for spaces), merged with the query string first, first occurrence of a name winning.
 * Malformed percent-escapes or bytes that are not UTF-8 throw `MalformedInput` (400); nothing else is thrown.
 */
export function parseQueryParams(body: string | Uint8Array | undefined, query = ''): QueryParams {
  const params = new Map<string, string>();
  const q = query.startsWith('?') ? query.slice(1) : query;
  if (q.length > 0) addPairs(q, params);
  let text: string;
  if (body === undefined) text = '';
  else if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      throw new MalformedInput(MALFORMED);
    }
  }
  if (text.length > 0) addPairs(text, params);
  return { action: params.get('Action'), version: params.get('Version'), params };
}

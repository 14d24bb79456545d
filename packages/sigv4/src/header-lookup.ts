/**
 * Headers as a request carries them: node's `IncomingHttpHeaders`-style record (names in any
 * case; repeated headers as an array), or `rawHeaders`-style `[name, value, name, value, ...]`
 * pairs in arrival order. Node joins most repeated headers in `req.headers` with `", "` and drops
 * duplicates of others, which loses what the client signed: pass `rawHeaders` where headers can
 * repeat.
 */
export type HeaderInput = Readonly<Record<string, string | readonly string[] | undefined>> | readonly string[];

/** Header access by lower-case name. */
export interface HeaderLookup {
  /** Values of a header in arrival order; undefined when absent. */
  get(lowerName: string): string | readonly string[] | undefined;
  /** Every lower-case header name present. */
  names(): Iterable<string>;
}

export function createHeaderLookup(headers: HeaderInput): HeaderLookup {
  if (Array.isArray(headers)) return rawHeadersLookup(headers as readonly string[]);
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let lowercase = true;
  for (const name in record) {
    if (hasUpper(name)) {
      lowercase = false;
      break;
    }
  }
  // node's req.headers has lower-case names already: use it as is
  if (lowercase) return new RecordHeaders(record);
  const map = new Map<string, string[]>();
  for (const name in record) {
    const value = record[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    let list = map.get(lower);
    if (list === undefined) map.set(lower, (list = []));
    if (typeof value === 'string') list.push(value);
    else list.push(...value);
  }
  return new MapHeaders(map);
}

function rawHeadersLookup(pairs: readonly string[]): HeaderLookup {
  const map = new Map<string, string | string[]>();
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const name = pairs[i]!;
    const lower = hasUpper(name) ? name.toLowerCase() : name;
    const value = pairs[i + 1]!;
    const prev = map.get(lower);
    if (prev === undefined) map.set(lower, value);
    else if (typeof prev === 'string') map.set(lower, [prev, value]);
    else prev.push(value);
  }
  return new MapHeaders(map);
}

const hasOwn = Object.prototype.hasOwnProperty;

// Classes rather than closures: one small allocation per request on the hot path.
class RecordHeaders implements HeaderLookup {
  constructor(private readonly record: Readonly<Record<string, string | readonly string[] | undefined>>) {}
  get(name: string): string | readonly string[] | undefined {
    // own properties only: a header named `constructor` must not find Object.prototype's
    return hasOwn.call(this.record, name) ? this.record[name] : undefined;
  }
  names(): Iterable<string> {
    return Object.keys(this.record).filter((n) => this.record[n] !== undefined);
  }
}

class MapHeaders implements HeaderLookup {
  constructor(private readonly map: Map<string, string | readonly string[]>) {}
  get(name: string): string | readonly string[] | undefined {
    return this.map.get(name);
  }
  names(): Iterable<string> {
    return this.map.keys();
  }
}

function hasUpper(name: string): boolean {
  // V8's toLowerCase returns the string itself, natively, when nothing changes: the usual case
  if (name.toLowerCase() === name) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/**
 * The first value of a header, without surrounding white space (HTTP's optional white space is
 * not part of a value). A repeated `Authorization`, date or token header uses the first.
 */
export function firstHeaderValue(lookup: HeaderLookup, lowerName: string): string | undefined {
  const value = lookup.get(lowerName);
  const first = value === undefined || typeof value === 'string' ? value : value[0];
  return first === undefined ? undefined : trimOws(first);
}

function trimOws(value: string): string {
  const n = value.length;
  if (n === 0) return value;
  const a = value.charCodeAt(0);
  const b = value.charCodeAt(n - 1);
  return a === 0x20 || a === 0x09 || b === 0x20 || b === 0x09 || a === 0x0a || b === 0x0a || a === 0x0d || b === 0x0d ? value.trim() : value;
}

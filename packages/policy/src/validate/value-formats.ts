// Save-time checks of condition values by operator family. Only the Date check is AWS's own
// documented save-time behaviour ("The policy failed legacy parsing"); AWS's reaction to a
// non-numeric Numeric value, a bad CIDR, a non-boolean Bool/Null value, a bad ARN or bad
// base64 is unknown. The safe reading rejects them: such a condition can never match, so a
// Deny carrying it would silently never deny.

/** Python-style `int()` of a string (what AWS's legacy date parser accepts): optional
 * surrounding whitespace, optional sign, digits with single underscores between them. */
function pyInt(s: string): bigint | undefined {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(s);
  if (m === null) return undefined;
  const v = BigInt(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -v : v;
}

function inRange(s: string | undefined, lo: number, hi: number): boolean {
  if (s === undefined) return false;
  const v = pyInt(s);
  return v !== undefined && v >= BigInt(lo) && v <= BigInt(hi);
}

const MAX_EPOCH = 9223372036854775807n;

/**
 * A date as AWS's legacy parser accepts it: integer epoch seconds (0 … 2^63-1), or a W3C
 * ISO 8601 profile date/date-time (`2019-07-01`, `2019-07-01T13:20:15Z`,
 * `2016-12-13T21:20:37.593194+00:00`). The field ranges follow the checks moto reproduces
 * from AWS; a negative UTC offset (`-05:00`) is accepted too (AWS documents ISO 8601 zones).
 */
export function isValidDateValue(value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return false;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  const lower = value.toLowerCase();
  if (!lower.includes('t') && !lower.includes('-')) {
    const v = pyInt(value);
    return v !== undefined && v >= 0n && v <= MAX_EPOCH;
  }
  const tIndex = lower.indexOf('t');
  const datePart = tIndex < 0 ? lower : lower.slice(0, tIndex);
  const timePart = tIndex < 0 ? '' : lower.slice(tIndex + 1);
  const negative = datePart.startsWith('-');
  const dateParts = (negative ? datePart.slice(1) : datePart).split('-');
  if (!inRange((negative ? '-' : '') + (dateParts[0] ?? ''), -292275054, 292278993)) return false;
  if (dateParts.length > 1 && !inRange(dateParts[1], 1, 12)) return false;
  if (dateParts.length > 2 && !inRange(dateParts[2], 1, 31)) return false;
  if (dateParts.length > 3) return false;
  if (timePart === '') return true;
  // Split off a zone designator: z, +hh[:mm], -hh[:mm].
  let clock = timePart;
  let zone = '';
  const zoneAt = clock.search(/[z+-]/);
  if (zoneAt >= 0) {
    zone = clock.slice(zoneAt);
    clock = clock.slice(0, zoneAt);
  }
  const timeParts = clock.split(':');
  if (timeParts.length > 3) return false;
  if (timeParts[0] !== '' && !inRange(timeParts[0], 0, 23)) return false;
  if (timeParts.length > 1 && !inRange(timeParts[1], 0, 59)) return false;
  if (timeParts.length > 2) {
    const [seconds, fraction] = (timeParts[2] ?? '').split('.', 2) as [string, string | undefined];
    if (!inRange(seconds, 0, 59)) return false;
    if (fraction !== undefined && !inRange(fraction, 0, 999999999)) return false;
  }
  if (zone === '' || zone === 'z') return true;
  const zm = /^[+-](\d\d)(?::(\d\d))?$/.exec(zone);
  if (zm === null) return false;
  return Number(zm[1]) <= 23 && (zm[2] === undefined || Number(zm[2]) <= 59);
}

export function isValidNumericValue(value: string | number | boolean): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'boolean') return false;
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(value.trim());
}

export function isValidBoolValue(value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return false;
  const v = value.toLowerCase();
  return v === 'true' || v === 'false';
}

export function isValidBinaryValue(value: string | number | boolean): boolean {
  if (typeof value !== 'string') return false;
  return value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return false;
  let head = s;
  let groupsFromV4 = 0;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    if (!isIpv4(s.slice(lastColon + 1))) return false;
    head = s.slice(0, lastColon + 1) + '0'; // placeholder group, adjusted below
    groupsFromV4 = 1;
  }
  const doubles = head.split('::').length - 1;
  if (doubles > 1) return false;
  const hex = /^[0-9a-fA-F]{1,4}$/;
  if (doubles === 1) {
    const [left, right] = head.split('::') as [string, string];
    const l = left === '' ? [] : left.split(':');
    const r = right === '' ? [] : right.split(':');
    if (![...l, ...r].every((g) => hex.test(g))) return false;
    return l.length + r.length + groupsFromV4 <= 8;
  }
  const groups = head.split(':');
  return groups.every((g) => hex.test(g)) && groups.length + groupsFromV4 === 8;
}

/** IPv4 or IPv6 address, optionally with a CIDR prefix length (C8). */
export function isValidIpValue(value: string | number | boolean): boolean {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const prefix = slash < 0 ? undefined : value.slice(slash + 1);
  if (isIpv4(address)) return prefix === undefined || (/^\d{1,2}$/.test(prefix) && Number(prefix) <= 32);
  if (isIpv6(address)) return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
  return false;
}

/** A value for an Arn* operator: `*`, or text of the form `arn:…` with the six colon-separated
 * parts (the last may be absent when an earlier part ends in a wildcard, as in
 * `arn:aws:iam::*`). Values that are entirely wildcards are accepted. */
export function isValidArnValue(value: string | number | boolean): boolean {
  if (typeof value !== 'string') return false;
  if (/^[*?]+$/.test(value)) return true;
  if (!value.startsWith('arn:')) return false;
  const parts = value.split(':');
  if (parts.length >= 6) return true;
  // Fewer parts: acceptable only when the last one ends in `*` (it absorbs the rest).
  return value.endsWith('*');
}

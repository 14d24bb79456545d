const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function digits(s: string, start: number, len: number): number {
  let n = 0;
  for (let i = start; i < start + len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function fromParts(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  // rejects 20150231 and the like, which Date.UTC would roll over
  if (d > daysInMonth(y, mo)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Epoch ms of an ISO 8601 basic-format time (`20150830T123600Z`); undefined if malformed. */
export function parseAmzDate(value: string): number | undefined {
  if (value.length !== 16 || value.charCodeAt(8) !== 0x54 /* T */ || value.charCodeAt(15) !== 0x5a /* Z */) return undefined;
  return fromParts(
    digits(value, 0, 4),
    digits(value, 4, 2),
    digits(value, 6, 2),
    digits(value, 9, 2),
    digits(value, 11, 2),
    digits(value, 13, 2),
  );
}

/** The ISO 8601 basic form of an epoch-ms time, whole seconds. */
export function formatAmzDate(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2015-08-30T12:36:00.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}

/**
 * Epoch ms of an HTTP `Date` header in the IMF-fixdate / RFC 2822 form SDKs send
 * (`Wed, 01 May 2024 10:00:00 GMT`, botocore's `... -0000`). Only UTC offsets are accepted:
 * the string to sign needs a UTC time and no SDK sends another zone.
 */
export function parseHttpDate(value: string): number | undefined {
  if (value.length > 64) return undefined;
  const m = /^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC|Z|[+-]0000)$/.exec(value);
  if (m === null) return undefined;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  if (month < 0) return undefined;
  return fromParts(Number(m[3]), month + 1, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
}

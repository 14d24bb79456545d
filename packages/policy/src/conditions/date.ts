/**
 * Date values for the Date* operators: the W3C profile of ISO 8601 (`2026-01-01`,
 * `2026-01-01T12:00Z`, `2026-01-01T12:00:00.5+02:00`) or integer/decimal epoch seconds, on
 * either side of the comparison. A date-time without a zone designator is read as UTC.
 */

const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const EPOCH = /^[+-]?\d+(?:\.\d+)?$/;

/** Milliseconds since the epoch, or undefined when the text is not a date. */
export function parseDate(value: string | number | boolean): number | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  const text = value.trim();
  // All-digit text is epoch seconds (AWS's integer form), not a bare ISO year.
  if (EPOCH.test(text)) return Number(text) * 1000;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined; // e.g. 2026-02-30
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    ms -= sign * offset * 60_000;
  }
  return ms;
}

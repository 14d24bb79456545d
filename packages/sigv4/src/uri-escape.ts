// RFC 3986 percent-encoding as SigV4 uses it: unreserved = A-Z a-z 0-9 - . _ ~, uppercase hex.

const HEX = '0123456789ABCDEF';

/** 1 = emit as is. Index by byte value. */
const UNRESERVED = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  UNRESERVED[c] =
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e
      ? 1
      : 0;
}

export function isUnreservedByte(c: number): boolean {
  return UNRESERVED[c] === 1;
}

/** Percent-encode the bytes of `bytes`, keeping unreserved characters (and `/` if asked). */
export function escapeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (UNRESERVED[b] === 1 || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

/**
 * Percent-encodes the UTF-8 encoding of `value`, keeping unreserved characters (and `/` if asked).
 * Returns `value` itself when nothing needs encoding, the common case, without allocating.
 */
export function uriEscape(value: string, keepSlash: boolean): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f || (UNRESERVED[c] !== 1 && !(keepSlash && c === 0x2f))) {
      return value.slice(0, i) + escapeBytes(Buffer.from(value.slice(i), 'utf8'), keepSlash);
    }
  }
  return value;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Decodes `%XX` escapes of `value` to bytes (other characters as their UTF-8 bytes; `+` stays a
 * literal plus, never a space) and re-encodes them canonically. Returns undefined on a malformed
 * escape. Working on bytes keeps escapes that are not valid UTF-8 (such as `%FF`) intact.
 */
export function canonicalizeComponent(value: string): string | undefined {
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f || UNRESERVED[c] !== 1) break;
  }
  if (i === value.length) return value;
  const bytes = Buffer.from(value, 'utf8');
  let out = value.slice(0, i);
  for (let j = i; j < bytes.length; j++) {
    let b = bytes[j]!;
    if (b === 0x25) {
      if (j + 2 >= bytes.length) return undefined;
      const hi = hexValue(bytes[j + 1]!);
      const lo = hexValue(bytes[j + 2]!);
      if (hi < 0 || lo < 0) return undefined;
      b = (hi << 4) | lo;
      j += 2;
    }
    if (UNRESERVED[b] === 1) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

/** Percent-decodes to a string (UTF-8), `+` kept literal. Undefined on a malformed escape. */
export function percentDecode(value: string): string | undefined {
  if (value.indexOf('%') === -1) return value;
  const bytes = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let j = 0; j < bytes.length; j++) {
    let b = bytes[j]!;
    if (b === 0x25) {
      if (j + 2 >= bytes.length) return undefined;
      const hi = hexValue(bytes[j + 1]!);
      const lo = hexValue(bytes[j + 2]!);
      if (hi < 0 || lo < 0) return undefined;
      b = (hi << 4) | lo;
      j += 2;
    }
    out[n++] = b;
  }
  return out.toString('utf8', 0, n);
}

import { uriEscape } from './uri-escape.js';

export type CanonicalizationMode = 'default' | 's3';

/**
 * Removes empty and `.` segments and resolves `..` on the still-encoded path, without decoding
 * (`%2E%2E` is an ordinary segment, `%2F` is not a separator). Keeps a trailing slash.
 */
export function normalizePath(path: string): string {
  if (path === '' || path === '/') return '/';
  if (!needsNormalization(path)) return path;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const joined = '/' + out.join('/');
  return joined !== '/' && path.endsWith('/') ? joined + '/' : joined;
}

function needsNormalization(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2f) return true;
  let prevSlash = true;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x2f) {
      if (prevSlash) return true;
      prevSlash = true;
    } else if (c === 0x2e && prevSlash) {
      // a segment starting with '.': '.' or '..' needs work, '.x' does not
      const next = path.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 0x2f) return true;
      if (next === 0x2e) {
        const after = path.charCodeAt(i + 2);
        if (Number.isNaN(after) || after === 0x2f) return true;
      }
      prevSlash = false;
    } else prevSlash = false;
  }
  return false;
}

/**
 * The canonical URI of a raw (still percent-encoded) request path. Default mode normalises the
 * path and percent-encodes it once more (so `%` becomes `%25`: the "double encoding" every SDK
 * applies outside S3). S3 mode uses the path as sent; only characters that cannot appear on the
 * wire at all (space, controls, non-ASCII) are encoded, so a harness can pass unencoded text.
 */
export function getCanonicalUri(rawPath: string, mode: CanonicalizationMode = 'default'): string {
  if (mode === 's3') {
    if (rawPath === '') return '/';
    return escapeNonWire(rawPath);
  }
  return uriEscape(normalizePath(rawPath), true);
}

function escapeNonWire(path: string): string {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) {
      let out = path.slice(0, i);
      for (const b of Buffer.from(path.slice(i), 'utf8')) {
        out += b <= 0x20 || b >= 0x7f ? '%' + b.toString(16).toUpperCase().padStart(2, '0') : String.fromCharCode(b);
      }
      return out;
    }
  }
  return path;
}

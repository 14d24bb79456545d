import { InvalidMarkerError } from './errors.js';

export interface PageRequest {
  /** Keep only entities whose path starts with this prefix (default `/`, everything). */
  pathPrefix?: string;
  /** Opaque marker from a previous page's `marker`. */
  marker?: string;
  /** 1..1000; AWS's default is 100. */
  maxItems: number;
}

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  /** Present exactly when `isTruncated`. */
  marker?: string;
}

/** The default `MaxItems` AWS applies when a caller gives none. */
export const DEFAULT_MAX_ITEMS = 100;

const PREFIX = 'lk1.';

/**
 * Markers carry the sort key of the last item returned, so a page boundary stays stable while
 * entities are added or removed. They are opaque to callers (base64url of a JSON array) and
 * versioned so the encoding can change.
 */
export function encodeMarker(key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeMarker(marker: string, arity: number): (string | number)[] {
  if (!marker.startsWith(PREFIX)) throw new InvalidMarkerError();
  try {
    const b64 = marker.slice(PREFIX.length).replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (
      Array.isArray(parsed) &&
      parsed.length === arity &&
      parsed.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      return parsed as (string | number)[];
    }
  } catch {
    // fall through: any decoding failure is the caller's bad marker
  }
  throw new InvalidMarkerError();
}

import { decodeMarker, encodeMarker, InvalidMarkerError } from '@latchkey/store';
import type { Page } from '@latchkey/store';
import { sql } from 'kysely';
import type { Expression, SqlBool } from 'kysely';

export const MAX_ITEMS_LIMIT = 1000;

/** Clamps to AWS's 1..1000 (validation with AWS errors is the service's job). */
export function pageSize(maxItems: number): number {
  if (!Number.isFinite(maxItems)) return MAX_ITEMS_LIMIT;
  return Math.min(MAX_ITEMS_LIMIT, Math.max(1, Math.floor(maxItems)));
}

/** Rows were fetched with `limit + 1`; the extra row only says whether there is more. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => (string | number)[], map: (row: R) => T): Page<T> {
  if (rows.length <= limit) return { items: rows.map(map), isTruncated: false };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1] as R;
  return { items: kept.map(map), isTruncated: true, marker: encodeMarker(keyOf(last)) };
}

export function markerString(marker: string | undefined, arity: number): string[] | undefined {
  if (marker === undefined) return undefined;
  const key = decodeMarker(marker, arity);
  if (!key.every((k) => typeof k === 'string')) throw new InvalidMarkerError();
  return key as string[];
}

export function markerNumber(marker: string | undefined): number | undefined {
  if (marker === undefined) return undefined;
  const [n] = decodeMarker(marker, 1);
  if (typeof n !== 'number') throw new InvalidMarkerError();
  return n;
}

/** `path` starts with `prefix`, without LIKE (paths may contain `%` and `_`). */
export function pathStartsWith(column: string, prefix: string): Expression<SqlBool> {
  return sql<SqlBool>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`;
}

export function hasPathFilter(prefix: string | undefined): prefix is string {
  return prefix !== undefined && prefix !== '' && prefix !== '/';
}

export const bool = (v: boolean): number => (v ? 1 : 0);
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const affected = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint | undefined }): boolean =>
  (r.numUpdatedRows ?? r.numDeletedRows ?? r.numInsertedOrUpdatedRows ?? 0n) > 0n;

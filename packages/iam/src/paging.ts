import { DEFAULT_MAX_ITEMS, type Page, type PageRequest } from '@latchkey/store';

/** The store's page request for AWS's `Marker`/`MaxItems` (default 100) and an optional path prefix. */
export function pageRequest(input: { Marker?: string; MaxItems?: number }, pathPrefix?: string): PageRequest {
  return {
    maxItems: input.MaxItems ?? DEFAULT_MAX_ITEMS,
    ...(input.Marker === undefined ? {} : { marker: input.Marker }),
    ...(pathPrefix === undefined ? {} : { pathPrefix }),
  };
}

/** `IsTruncated` always, `Marker` exactly when truncated, as AWS pages. */
export function pageOutput(page: Page<unknown>): { IsTruncated: boolean; Marker?: string } {
  return page.isTruncated && page.marker !== undefined ? { IsTruncated: true, Marker: page.marker } : { IsTruncated: false };
}

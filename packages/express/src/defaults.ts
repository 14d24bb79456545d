import { randomFillSync } from 'node:crypto';
import { createRequestIds } from './request-id.js';

// The library's only default clock and id source; tests and apps inject their own.
export const systemClock = (): number => Date.now();
export const randomRequestId: () => string = createRequestIds((bytes) => randomFillSync(bytes));

export const DEFAULT_CACHE_TTL_MS = 5_000;
export const DEFAULT_MAX_CACHE_ENTRIES = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

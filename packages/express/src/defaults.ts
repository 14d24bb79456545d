import { randomUUID } from 'node:crypto';

// The library's only default clock and id source; tests and apps inject their own.
export const systemClock = (): number => Date.now();
export const randomRequestId = (): string => randomUUID();

export const DEFAULT_CACHE_TTL_MS = 5_000;
export const DEFAULT_MAX_CACHE_ENTRIES = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

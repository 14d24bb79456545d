// Slows down guessing of MFA codes and passwords. After `freeAttempts` consecutive failures on
// one key (an MFA device, a user's password) every further failure locks the key for
// `baseDelayMs * 2^(failures - freeAttempts)`, capped at `maxDelayMs`; while locked, attempts are
// refused without checking the secret at all. A success clears the key; a key quiet for
// `forgetAfterMs` starts over.
//
// This class keeps the state in this process: an optional extra layer for callers such as STS.
// The lockout that counts is the persistent one in the store (failure-lockout.ts, same policy),
// shared by every instance on one database and committed even when the failing call rolls back.

export interface BackoffPolicy {
  /** Consecutive failures allowed before any lockout (typos, a clock a step off). */
  readonly freeAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A key with no failure for this long is forgotten. */
  readonly forgetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  freeAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

/** How long the key is locked after its `failures`-th consecutive failure (0 while under the free allowance). */
export function backoffDelay(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures < policy.freeAttempts) return 0;
  const exponent = failures - policy.freeAttempts;
  // 2^exponent overflows nothing before the cap matters: clamp the exponent first.
  return Math.min(policy.baseDelayMs * 2 ** Math.min(exponent, 40), policy.maxDelayMs);
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class AttemptThrottle {
  readonly policy: BackoffPolicy;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  /** `maxEntries` bounds memory: beyond it the least recently failed key is dropped. */
  constructor(policy: Partial<BackoffPolicy> = {}, maxEntries = 10_000) {
    this.policy = { ...DEFAULT_BACKOFF, ...policy };
    this.#maxEntries = maxEntries;
  }

  /** When `key` may be tried again (epoch ms), or undefined when it may be tried now. */
  retryAt(key: string, now: number): number | undefined {
    const entry = this.#current(key, now);
    return entry !== undefined && entry.lockedUntil > now ? entry.lockedUntil : undefined;
  }

  /** Consecutive failures currently counted for `key`. */
  failures(key: string, now: number): number {
    return this.#current(key, now)?.failures ?? 0;
  }

  /** Records a failure; returns the consecutive failure count. */
  failure(key: string, now: number): number {
    const entry = this.#current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const delay = backoffDelay(entry.failures, this.policy);
    if (delay > 0) entry.lockedUntil = now + delay;
    // Re-insert so Map order is least-recently-failed first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry.failures;
  }

  success(key: string): void {
    this.#entries.delete(key);
  }

  #current(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.lastFailureAt >= this.policy.forgetAfterMs && entry.lockedUntil <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

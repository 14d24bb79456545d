import type { RandomBytes } from '@latchkey/model';
import type * as Argon2 from 'argon2';

/**
 * How login-profile passwords are hashed. The service takes it injected so tests can use a
 * cheap hasher where hashing cost is irrelevant; production uses `Argon2idHasher`.
 */
export interface PasswordHasher {
  /** A self-describing hash (PHC string) of `password`. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`; false (never a throw) for a hash it cannot read. */
  verify(hash: string, password: string): Promise<boolean>;
}

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 degree of parallelism. */
export const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface Argon2idOptions {
  readonly memoryCost?: number;
  readonly timeCost?: number;
  readonly parallelism?: number;
  /** Salt source (16 bytes per hash); argon2's own CSPRNG salt when omitted. */
  readonly random?: RandomBytes;
}

type Argon2Module = typeof Argon2;

/**
 * argon2id through the `argon2` native module, which hashes on libuv's thread pool: the event
 * loop keeps serving while a hash is computed. The module is loaded on first use, so processes
 * that never hash never load native code.
 */
export class Argon2idHasher implements PasswordHasher {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
  readonly #random: RandomBytes | undefined;
  #module: Promise<Argon2Module> | undefined;

  constructor(options: Argon2idOptions = {}) {
    this.memoryCost = options.memoryCost ?? OWASP_ARGON2ID.memoryCost;
    this.timeCost = options.timeCost ?? OWASP_ARGON2ID.timeCost;
    this.parallelism = options.parallelism ?? OWASP_ARGON2ID.parallelism;
    this.#random = options.random;
  }

  async hash(password: string): Promise<string> {
    const argon2 = await this.#load();
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.memoryCost,
      timeCost: this.timeCost,
      parallelism: this.parallelism,
      ...(this.#random === undefined ? {} : { salt: Buffer.from(this.#random(16)) }),
    });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    if (!hash.startsWith('$argon2')) return false;
    const argon2 = await this.#load();
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** True when `hash` was made with weaker parameters than this hasher's (rehash on next sign-in). */
  async needsRehash(hash: string): Promise<boolean> {
    const argon2 = await this.#load();
    try {
      return argon2.needsRehash(hash, { memoryCost: this.memoryCost, timeCost: this.timeCost, parallelism: this.parallelism });
    } catch {
      return true;
    }
  }

  #load(): Promise<Argon2Module> {
    this.#module ??= import('argon2');
    return this.#module;
  }
}

import { generateAccessKeyId, generateSecretAccessKey, generateUniqueId, type IdKind, type RandomBytes } from '@latchkey/model';

/** Identifiers for one account, drawn from the injected random source (AWS shapes, account encoded). */
export interface IdGenerator {
  /** `AIDA…`, `AGPA…`, `AROA…`, `ANPA…`: 21 characters. */
  uniqueId(kind: IdKind): string;
  /** `AKIA…`: 20 characters. */
  accessKeyId(): string;
  /** 40 characters of `[A-Za-z0-9+/]`. */
  secretAccessKey(): string;
}

export function idGenerator(accountId: string, random: RandomBytes): IdGenerator {
  return {
    uniqueId: (kind) => generateUniqueId(kind, accountId, random),
    accessKeyId: () => generateAccessKeyId(accountId, random),
    secretAccessKey: () => generateSecretAccessKey(random),
  };
}

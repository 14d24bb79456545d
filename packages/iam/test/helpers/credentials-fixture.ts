import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Decode } from '@latchkey/model';
import { AttemptThrottle } from '../../src/attempt-throttle.js';
import { credentialServices, withCredentialServices, type CredentialServices } from '../../src/credential-services.js';
import { IamService, iamOperations, type Caller, type OperationOutput, type RequestEnv } from '../../src/index.js';
import type { PasswordHasher } from '../../src/password-hasher.js';
import { totpCode, totpStep } from '../../src/totp.js';
import { fixture, params, random, type Fixture } from './fixture.js';

/**
 * A salted SHA-256 hasher for tests where hashing cost is irrelevant (argon2id has its own
 * tests). It records every password it sees, so tests can scan outputs and errors for them.
 */
export class FastHasher implements PasswordHasher {
  readonly seen = new Set<string>();
  hashes = 0;
  async hash(password: string): Promise<string> {
    this.seen.add(password);
    this.hashes++;
    const salt = randomBytes(8).toString('hex');
    return `$test$${salt}$${createHash('sha256').update(salt).update(password).digest('hex')}`;
  }
  async verify(hash: string, password: string): Promise<boolean> {
    this.seen.add(password);
    const [, kind, salt, digest] = hash.split('$');
    if (kind !== 'test' || salt === undefined || digest === undefined) return false;
    const actual = createHash('sha256').update(salt).update(password).digest();
    const expected = Buffer.from(digest, 'hex');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

export interface CredentialsFixture extends Fixture {
  services: CredentialServices;
  hasher: FastHasher;
  /** The service with the credential operations over `services` (use instead of `iam`). */
  creds: IamService;
  /** Like `call`, through `creds`. */
  run(action: string, values?: Record<string, string>, caller?: Caller, env?: Partial<RequestEnv>): Promise<OperationOutput>;
}

export async function credentialsFixture(overrides: Partial<CredentialServices> = {}): Promise<CredentialsFixture> {
  const f = await fixture();
  const hasher = new FastHasher();
  const services = credentialServices({ passwordHasher: hasher, mfaThrottle: new AttemptThrottle(), passwordThrottle: new AttemptThrottle(), ...overrides });
  const creds = new IamService({ store: f.store, keyring: f.keyring, random, operations: withCredentialServices(iamOperations, services) });
  await creds.start();
  const close = f.close;
  return Object.assign(f, {
    services,
    hasher,
    creds,
    run: (action: string, values: Record<string, string> = {}, caller: Caller = f.root, env: Partial<RequestEnv> = {}) => creds.invoke(action, params(action, values), caller, f.env(env)),
    async close() {
      creds.close();
      await close();
    },
  });
}

/** The raw seed bytes of a `Base32StringSeed` blob (base64-decoded by the XML layer: here the bytes of the base32 text). */
export function seedOf(blob: Uint8Array): Uint8Array {
  const bytes = base32Decode(new TextDecoder().decode(blob));
  if (bytes === undefined) throw new Error('not base32');
  return bytes;
}

/** The code of `seed` at `at` (epoch ms) shifted by `offset` steps. */
export function codeAt(seed: Uint8Array, at: number, offset = 0): string {
  return totpCode(seed, totpStep(at) + offset);
}

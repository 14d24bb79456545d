import fc from 'fast-check';
import { CompactEncrypt, SignJWT, compactDecrypt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  Keyring,
  KeyringError,
  MAX_SESSION_TOKEN_LENGTH,
  MasterKey,
  decodeSessionToken,
  encodeSessionToken,
  isSessionExpired,
  sessionTokenError,
  type Session,
  type SessionTokenFailure,
} from '../src/index.js';
import { subkey } from './independent.js';
import { BASE64URL_ALPHABET, T0, assumedRoleSession, fullSession, seededRandom, singleCharacterEdits } from './support.js';

const material1 = seededRandom('token-material-1')(32);
const material2 = seededRandom('token-material-2')(32);
const k1 = new MasterKey('k1', material1);
const k2 = new MasterKey('k2', material2);
const ring = (keys: MasterKey[], seed = 'iv') => new Keyring(keys, { random: seededRandom(seed) });
const keyring = ring([k1]);
const during = () => (T0 + 10) * 1000;
const tokenKey = (material: Uint8Array) => subkey(material, 'latchkey/session-token/v1');

async function failureOf(token: string, options = { keyring, now: during }): Promise<SessionTokenFailure | 'ok'> {
  const result = await decodeSessionToken(token, options);
  return result.ok ? 'ok' : result.failure;
}

/** A token made with jose directly under our derived key: authentic, but with chosen contents. */
async function craft(payload: unknown, header = { alg: 'dir', enc: 'A256GCM', kid: 'k1' }, material = material1): Promise<string> {
  const bytes = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return new CompactEncrypt(bytes).setProtectedHeader(header).encrypt(tokenKey(material));
}

async function encodeError(session: unknown): Promise<KeyringError> {
  try {
    await encodeSessionToken(session as Session, { keyring });
  } catch (error) {
    if (error instanceof KeyringError) return error;
    throw error;
  }
  throw new Error('expected a KeyringError');
}

describe('encodeSessionToken', () => {
  it('round-trips a minimal and a full session', async () => {
    for (const session of [assumedRoleSession, fullSession]) {
      const token = await encodeSessionToken(session, { keyring });
      expect(await decodeSessionToken(token, { keyring, now: during })).toEqual({ ok: true, session });
    }
  });

  it('round-trips every principal type', async () => {
    for (const type of ['AssumedRole', 'FederatedUser', 'IAMUser', 'Root'] as const) {
      const session = { ...assumedRoleSession, type };
      const result = await decodeSessionToken(await encodeSessionToken(session, { keyring }), { keyring, now: during });
      expect(result).toEqual({ ok: true, session });
    }
  });

  it('writes a compact JWE (dir, A256GCM, kid) that jose opens with the HKDF-derived key', async () => {
    const token = await encodeSessionToken(assumedRoleSession, { keyring: ring([k2, k1]) });
    expect(token.split('.')).toHaveLength(5);
    expect(token.split('.')[1]).toBe('');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'dir', enc: 'A256GCM', kid: 'k2' });
    const { plaintext } = await compactDecrypt(token, tokenKey(material2));
    const claims = JSON.parse(new TextDecoder().decode(plaintext));
    expect(claims).toMatchObject({ v: 1, t: 'r', a: assumedRoleSession.accessKeyId, ia: T0, ex: T0 + 3600 });
    // Not the raw master key, and not the envelope key: each purpose has its own subkey.
    await expect(compactDecrypt(token, material2)).rejects.toThrow();
    await expect(compactDecrypt(token, subkey(material2, 'latchkey/envelope/v1'))).rejects.toThrow();
  });

  it('takes the IV from the injected random source, so tokens replay exactly', async () => {
    const a = await encodeSessionToken(assumedRoleSession, { keyring: ring([k1], 'replay') });
    const b = await encodeSessionToken(assumedRoleSession, { keyring: ring([k1], 'replay') });
    expect(a).toBe(b);
    expect(Buffer.from(a.split('.')[2]!, 'base64url')).toEqual(Buffer.from(seededRandom('replay')(12)));
    const keyringWithSource = ring([k1], 'fresh');
    expect(await encodeSessionToken(assumedRoleSession, { keyring: keyringWithSource })).not.toBe(await encodeSessionToken(assumedRoleSession, { keyring: keyringWithSource }));
  });

  it("mints exactly the token jose's CompactEncrypt makes from the same header, key, IV and payload", async () => {
    // The minting path uses node:crypto (see encodeSessionToken); jose is the reference.
    const statement = '{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/*"}';
    const large: Session = { ...fullSession, sessionPolicy: `{"Version":"2012-10-17","Statement":[${Array.from({ length: 12 }, () => statement).join(',')}]}` };
    const zipped: boolean[] = [];
    for (const session of [assumedRoleSession, fullSession, large]) {
      const ours = await encodeSessionToken(session, { keyring: ring([k2, k1], 'same-iv') });
      const [headerText, , ivText, ciphertextText] = ours.split('.') as [string, string, string, string];
      const header = decodeProtectedHeader(ours) as { alg: string; enc: string; kid: string; zip?: string };
      const { plaintext } = await compactDecrypt(ours, tokenKey(material2));
      zipped.push(header.zip !== undefined);
      if (header.zip === undefined) {
        const theirs = await new CompactEncrypt(plaintext).setProtectedHeader(header).setInitializationVector(Buffer.from(ivText, 'base64url')).encrypt(tokenKey(material2));
        expect(ours).toBe(theirs);
      } else {
        // Compressed: the same header text and IV, and jose inflates our raw DEFLATE to the claims.
        expect(headerText).toBe(Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: 'k2', zip: 'DEF' })).toString('base64url'));
        expect(Buffer.from(ciphertextText, 'base64url').length).toBeLessThan(plaintext.length);
        expect(JSON.parse(new TextDecoder().decode(plaintext))).toMatchObject({ v: 1, a: session.accessKeyId });
      }
    }
    expect(zipped).toEqual([false, false, true]);
  });

  it('keeps tokens AWS-sized: a typical assumed-role token under 600 characters, uncompressed', async () => {
    const token = await encodeSessionToken(assumedRoleSession, { keyring });
    expect(token.length).toBeLessThan(600);
    expect(decodeProtectedHeader(token).zip).toBeUndefined();
  });

  it('compresses large sessions (policy, tags) and reads them back', async () => {
    const statement = '{"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers"],"Resource":"arn:aws:iam::123456789012:user/*"}';
    const sessionPolicy = `{"Version":"2012-10-17","Statement":[${Array.from({ length: 19 }, () => statement).join(',')}]}`;
    const large: Session = { ...fullSession, sessionPolicy, tags: Array.from({ length: 50 }, (_, i) => ({ key: `key-${i}`, value: `value ${i}` })) };
    const token = await encodeSessionToken(large, { keyring });
    expect(decodeProtectedHeader(token).zip).toBe('DEF');
    const uncompressedPayload = Buffer.byteLength(JSON.stringify(large));
    expect(token.length).toBeLessThan(uncompressedPayload);
    expect(await decodeSessionToken(token, { keyring, now: during })).toEqual({ ok: true, session: large });
  });

  it('refuses sessions that could not be read back, naming the field but not its value', async () => {
    const bad: Array<[string, unknown]> = [
      ['type', { ...assumedRoleSession, type: 'Robot' }],
      ['type', { ...assumedRoleSession, type: 'toString' }],
      ['accessKeyId', { ...assumedRoleSession, accessKeyId: '' }],
      ['secretAccessKey', { ...assumedRoleSession, secretAccessKey: 42 }],
      ['accountId', { ...assumedRoleSession, accountId: undefined }],
      ['roleArn', { ...assumedRoleSession, roleArn: 7 }],
      ['issuedAt', { ...assumedRoleSession, issuedAt: 1.5 }],
      ['issuedAt', { ...assumedRoleSession, issuedAt: -1 }],
      ['expiresAt', { ...assumedRoleSession, expiresAt: T0 }],
      ['expiresAt', { ...assumedRoleSession, expiresAt: '2027-01-01' }],
      ['mfaAuthenticatedAt', { ...assumedRoleSession, mfaAuthenticatedAt: Number.NaN }],
      ['sessionPolicyArns', { ...assumedRoleSession, sessionPolicyArns: [1] }],
      ['transitiveTagKeys', { ...assumedRoleSession, transitiveTagKeys: 'Project' }],
      ['tags', { ...assumedRoleSession, tags: [{ key: 'a' }] }],
      ['tags', { ...assumedRoleSession, tags: { a: 'b' } }],
      ['attributes', { ...assumedRoleSession, attributes: { a: 1 } }],
      ['unknown field', { ...assumedRoleSession, roleName: 'Deploy' }],
      ['plain object', null],
    ];
    for (const [field, session] of bad) {
      const error = await encodeError(session);
      expect(error.code).toBe('invalidArgument');
      expect(error.message).toContain(field);
      expect(error.message).not.toContain(assumedRoleSession.secretAccessKey);
    }
  });

  it('refuses a session whose token or payload would exceed the size readers accept', async () => {
    // Hex of random bytes: compresses to about half, still well over the token limit.
    const incompressible = Buffer.from(seededRandom('big')(60_000)).toString('hex');
    expect((await encodeError({ ...assumedRoleSession, sessionPolicy: incompressible })).message).toContain(`${MAX_SESSION_TOKEN_LENGTH} characters`);
    expect((await encodeError({ ...assumedRoleSession, sessionPolicy: 'x'.repeat(300_000) })).message).toContain('payload');
  });
});

describe('decodeSessionToken', () => {
  const tokenPromise = encodeSessionToken(fullSession, { keyring });

  it('accepts a token until its expiry and reports expired from then on', async () => {
    const token = await tokenPromise;
    const at = (seconds: number, ms = 0) => ({ keyring, now: () => seconds * 1000 + ms });
    expect((await decodeSessionToken(token, at(T0))).ok).toBe(true);
    expect((await decodeSessionToken(token, at(T0 + 3599, 999))).ok).toBe(true);
    expect(await decodeSessionToken(token, at(T0 + 3600))).toEqual({ ok: false, failure: 'expired' });
    expect(await decodeSessionToken(token, at(T0 + 86_400))).toEqual({ ok: false, failure: 'expired' });
  });

  it('checks authenticity before expiry: a tampered expired token is tampered, not expired', async () => {
    const [header, , iv, ciphertext, tag] = (await tokenPromise).split('.') as string[];
    const bytes = Buffer.from(ciphertext!, 'base64url');
    bytes[0]! ^= 1;
    const edited = [header, '', iv, bytes.toString('base64url'), tag].join('.');
    expect(await failureOf(edited, { keyring, now: () => (T0 + 99_999) * 1000 })).toBe('tampered');
  });

  it('keeps tokens of a rotated-out primary valid while that key stays in the ring', async () => {
    const old = await encodeSessionToken(assumedRoleSession, { keyring: ring([k1]) });
    const rotated = ring([k2, k1]);
    expect(await decodeSessionToken(old, { keyring: rotated, now: during })).toEqual({ ok: true, session: assumedRoleSession });
    const fresh = await encodeSessionToken(assumedRoleSession, { keyring: rotated });
    expect(decodeProtectedHeader(fresh).kid).toBe('k2');
    expect(await failureOf(old, { keyring: ring([k2]), now: during })).toBe('unknownKey');
    expect(await failureOf(fresh, { keyring: ring([k2]), now: during })).toBe('ok');
  });

  it('reports a token of another deployment under the same key id as tampered', async () => {
    const foreign = await encodeSessionToken(assumedRoleSession, { keyring: ring([new MasterKey('k1', material2)]) });
    expect(await failureOf(foreign)).toBe('tampered');
  });

  it('reports a token whose kid names another key in the ring as tampered (the header is authenticated)', async () => {
    const token = await tokenPromise;
    const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: 'k2' })).toString('base64url');
    const relabelled = [header, ...token.split('.').slice(1)].join('.');
    expect(await failureOf(relabelled, { keyring: ring([k1, k2]), now: during })).toBe('tampered');
  });

  it('fails authentication on every bit flip of the IV, ciphertext and tag', async () => {
    const parts = (await tokenPromise).split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      // Every bit of the 12-byte IV and 16-byte tag; every bit of a sample of ciphertext bytes
      // (all bytes are covered by the character-level test below).
      const positions = index === 3 ? [0, 1, Math.floor(bytes.length / 2), bytes.length - 2, bytes.length - 1] : [...bytes.keys()];
      for (const byte of positions) {
        for (let bit = 0; bit < 8; bit++) {
          const flipped = Buffer.from(bytes);
          flipped[byte]! ^= 1 << bit;
          const edited = parts.map((part, i) => (i === index ? flipped.toString('base64url') : part)).join('.');
          expect(await failureOf(edited)).toBe('tampered');
        }
      }
    }
  });

  it('refuses every single-character change anywhere in the token, never as ok or expired', async () => {
    const token = await tokenPromise;
    const segmentOf = (index: number) => token.slice(0, index).split('.').length - 1;
    for (const { index, edited } of singleCharacterEdits(token)) {
      if (token[index] === '.') continue;
      const failure = await failureOf(edited);
      const segment = segmentOf(index);
      const expected = segment === 0 ? ['malformed', 'unknownKey', 'tampered'] : ['tampered', 'malformed'];
      expect(expected, `position ${index} (segment ${segment})`).toContain(failure);
    }
  });

  it('refuses every truncation as malformed', async () => {
    const token = await tokenPromise;
    for (let length = 0; length < token.length; length++) {
      expect(await failureOf(token.slice(0, length)), `length ${length}`).toBe('malformed');
    }
  });

  it('refuses foreign and hand-made tokens as malformed', async () => {
    const token = await tokenPromise;
    const [, , iv, ciphertext, tag] = token.split('.') as string[];
    const headerOf = (header: unknown) => Buffer.from(JSON.stringify(header)).toString('base64url');
    const withHeader = (header: unknown) => [headerOf(header), '', iv, ciphertext, tag].join('.');
    const jwt = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(tokenKey(material1));
    const foreign = [
      '',
      'not a token',
      'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6',
      'FwoGZXIvYXdzEBYaDHhBTmNzbHBRMDZ6NhYqrAGkfAHbmJxuCxJtCrd4Ig',
      jwt,
      `${token}.`,
      `${token}=`,
      ` ${token}`,
      token.replace('..', '.AAAA.'),
      withHeader({ alg: 'dir', enc: 'A128GCM', kid: 'k1' }),
      withHeader({ alg: 'A256KW', enc: 'A256GCM', kid: 'k1' }),
      withHeader({ alg: 'dir', enc: 'A256GCM' }),
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: 'k.1' }),
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: 7 }),
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: 'k1', zip: 'GZIP' }),
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: 'k1', zip: 'DEF', cty: 'JWT' }),
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: 'k1', crit: ['exp'] }),
      withHeader(['dir', 'A256GCM', 'k1']),
      withHeader(null),
      ['e30', '', iv, ciphertext, tag].join('.'),
      [Buffer.from('{"alg":"dir",').toString('base64url'), '', iv, ciphertext, tag].join('.'),
      [token.split('.')[0], '', iv, '', tag].join('.'),
      [token.split('.')[0], '', iv!.slice(0, -2), ciphertext, tag].join('.'),
      'A'.repeat(MAX_SESSION_TOKEN_LENGTH + 1),
    ];
    for (const candidate of foreign) expect(await failureOf(candidate), candidate.slice(0, 60)).toBe('malformed');
    for (const candidate of [undefined, null, 42, {}, ['a']]) expect(await failureOf(candidate as never)).toBe('malformed');
  });

  it('refuses authentic tokens whose payload is not exactly a session of this version as malformed', async () => {
    const claims = JSON.parse(new TextDecoder().decode((await compactDecrypt(await tokenPromise, tokenKey(material1))).plaintext));
    const payloads: unknown[] = [
      'not json',
      '\uFFFE\uD800',
      [],
      null,
      { ...claims, v: 2 },
      { ...claims, v: '1' },
      { ...claims, zz: 1 },
      { ...claims, t: 'x' },
      { ...claims, a: 5 },
      { ...claims, ex: claims.ia },
      { ...claims, g: [['only-key']] },
      { ...claims, g: { Project: 'x' } },
      { ...claims, x: ['a'] },
      { ...claims, m: -5 },
      Object.fromEntries(Object.entries(claims).filter(([name]) => name !== 's')),
    ];
    for (const payload of payloads) expect(await failureOf(await craft(payload)), JSON.stringify(payload).slice(0, 80)).toBe('malformed');
    // The crafting itself is sound: the unmodified claims decode.
    expect(await failureOf(await craft(claims))).toBe('ok');
  });

  it('refuses authentic compressed tokens that do not inflate, or inflate past the limit, as malformed', async () => {
    const zipHeader = { alg: 'dir', enc: 'A256GCM', kid: 'k1', zip: 'DEF' };
    const notDeflate = await new CompactEncrypt(new Uint8Array([0xff, 0xff, 0xff, 0xff])).setProtectedHeader(zipHeader).encrypt(tokenKey(material1));
    expect(await failureOf(notDeflate)).toBe('malformed');
    const bomb = await new CompactEncrypt(new TextEncoder().encode(' '.repeat(300_000))).setProtectedHeader(zipHeader).encrypt(tokenKey(material1));
    expect(bomb.length).toBeLessThan(2_000);
    expect(await failureOf(bomb)).toBe('malformed');
  });

  it('reports a compression flag added to an uncompressed token as tampered (the header is authenticated)', async () => {
    const token = await encodeSessionToken(assumedRoleSession, { keyring });
    const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: 'k1', zip: 'DEF' })).toString('base64url');
    expect(await failureOf([header, ...token.split('.').slice(1)].join('.'))).toBe('tampered');
  });

  it('reports a token made under an unknown key id as unknownKey', async () => {
    const token = await encodeSessionToken(assumedRoleSession, { keyring: ring([new MasterKey('k9', material1)]) });
    expect(await failureOf(token)).toBe('unknownKey');
  });

  it('round-trips arbitrary sessions (property)', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const time = fc.integer({ min: 0, max: 4_000_000_000 });
    const session = fc
      .record({
        type: fc.constantFrom('AssumedRole', 'FederatedUser', 'IAMUser', 'Root' as const),
        accessKeyId: fc.string({ minLength: 1, maxLength: 30 }),
        secretAccessKey: fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
        accountId: fc.stringMatching(/^\d{12}$/),
        principalArn: fc.string({ minLength: 1, unit: 'binary' }),
        principalId: fc.string({ minLength: 1, unit: 'binary' }),
        roleArn: fc.option(text, { nil: undefined }),
        sourceAccessKeyId: fc.option(text, { nil: undefined }),
        sessionPolicy: fc.option(fc.json(), { nil: undefined }),
        sessionPolicyArns: fc.option(fc.array(text, { maxLength: 10 }), { nil: undefined }),
        sessionPolicyHash: fc.option(text, { nil: undefined }),
        tags: fc.option(fc.array(fc.record({ key: text, value: text }), { maxLength: 5 }), { nil: undefined }),
        transitiveTagKeys: fc.option(fc.array(text, { maxLength: 5 }), { nil: undefined }),
        sourceIdentity: fc.option(text, { nil: undefined }),
        mfaAuthenticatedAt: fc.option(time, { nil: undefined }),
        issuedAt: time,
        lifetime: fc.integer({ min: 1, max: 200_000 }),
        attributes: fc.option(fc.dictionary(fc.string({ unit: 'binary', maxLength: 10 }), text, { maxKeys: 4 }), { nil: undefined }),
      })
      .map(({ lifetime, ...fields }) => {
        const defined = Object.fromEntries(Object.entries({ ...fields, expiresAt: fields.issuedAt + lifetime }).filter(([, value]) => value !== undefined));
        return defined as unknown as Session;
      });
    await fc.assert(
      fc.asyncProperty(session, async (value) => {
        const token = await encodeSessionToken(value, { keyring });
        expect(await decodeSessionToken(token, { keyring, now: () => value.issuedAt * 1000 })).toEqual({ ok: true, session: value });
        expect(await decodeSessionToken(token, { keyring, now: () => value.expiresAt * 1000 })).toEqual({ ok: false, failure: 'expired' });
      }),
      { numRuns: 150 },
    );
  });

  it('answers arbitrary garbage with a typed failure and never throws (property)', async () => {
    const token = await tokenPromise;
    const segments = token.split('.');
    const b64 = fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET), maxLength: 80 });
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(b64, { minLength: 1, maxLength: 7 }).map((parts) => parts.join('.')),
      fc.tuple(b64, b64, b64).map(([iv, ct, tag]) => [segments[0], '', iv, ct, tag].join('.')),
      fc.tuple(fc.nat({ max: token.length - 1 }), fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET, '.', '='), minLength: 1, maxLength: 4 })).map(([at, insert]) => token.slice(0, at) + insert + token.slice(at + 1)),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (candidate) => {
        fc.pre(candidate !== token);
        const result = await decodeSessionToken(candidate, { keyring, now: during });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['malformed', 'unknownKey', 'tampered']).toContain(result.failure);
      }),
      { numRuns: 400 },
    );
  });
});

describe('isSessionExpired', () => {
  it('is false before the expiry second and true from it on', () => {
    expect(isSessionExpired(assumedRoleSession, (T0 + 3599) * 1000 + 999)).toBe(false);
    expect(isSessionExpired(assumedRoleSession, (T0 + 3600) * 1000)).toBe(true);
  });
});

describe('sessionTokenError', () => {
  it('maps expired to ExpiredToken and every other failure to InvalidClientTokenId, as AWS answers', () => {
    const expired = sessionTokenError('expired');
    expect([expired.code, expired.status, expired.fault, expired.message]).toEqual(['ExpiredToken', 403, 'Sender', 'The security token included in the request is expired']);
    for (const failure of ['malformed', 'unknownKey', 'tampered'] as const) {
      const error = sessionTokenError(failure);
      expect([error.code, error.status, error.message]).toEqual(['InvalidClientTokenId', 403, 'The security token included in the request is invalid.']);
      expect(error.detail).toContain(failure);
    }
  });
});

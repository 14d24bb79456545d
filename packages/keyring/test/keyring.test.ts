import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyring, KeyringError, MasterKey, type KeyringErrorCode } from '../src/index.js';
import { openEnvelope, openEnvelopeWithKey, subkey } from './independent.js';
import { BASE64URL_ALPHABET, seededRandom, singleCharacterEdits } from './support.js';

const material1 = seededRandom('material-1')(32);
const material2 = seededRandom('material-2')(32);
const k1 = new MasterKey('k1', material1);
const k2 = new MasterKey('k2', material2);
const ring = (keys: MasterKey[], seed = 'nonces') => new Keyring(keys, { random: seededRandom(seed) });

function errorCode(run: () => unknown): KeyringErrorCode {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyringError) return error.code;
    throw error;
  }
  throw new Error('expected a KeyringError');
}

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OWNER = 'AKIARZPUZDIKEXAMPLE1';

describe('Keyring', () => {
  it('refuses an empty key list, duplicate ids and a missing random source', () => {
    expect(errorCode(() => ring([]))).toBe('emptyKeyring');
    expect(errorCode(() => ring([k1, new MasterKey('k1', material2)]))).toBe('invalidKeyMaterial');
    expect(errorCode(() => new Keyring([k1], {} as never))).toBe('invalidArgument');
  });

  it('makes the first key primary and lists ids in order', () => {
    const keyring = ring([k2, k1]);
    expect(keyring.primaryKeyId).toBe('k2');
    expect(keyring.keyIds).toEqual(['k2', 'k1']);
    expect(keyring.has('k1')).toBe(true);
    expect(keyring.has('k3')).toBe(false);
  });

  it('never shows key material when inspected or serialised', () => {
    const keyring = ring([k1, k2]);
    keyring.encrypt('warm the subkey cache', OWNER);
    const texts = [inspect(keyring, { showHidden: true, depth: 10 }), JSON.stringify(keyring), JSON.stringify(Object.getOwnPropertyDescriptors(keyring))];
    for (const material of [material1, material2, subkey(material1, 'latchkey/envelope/v1')]) {
      for (const text of texts) {
        expect(text).not.toContain(Buffer.from(material).toString('hex').slice(0, 16));
        expect(text).not.toContain(Buffer.from(material).toString('base64').slice(0, 16));
      }
    }
    expect(JSON.parse(JSON.stringify(keyring))).toEqual({ primaryKeyId: 'k1', keyIds: ['k1', 'k2'] });
  });
});

describe('Keyring.encrypt', () => {
  it('writes v1.<kid>.<nonce>.<ciphertext+tag> under the primary, as the README documents', () => {
    const random = seededRandom('doc');
    const ciphertext = new Keyring([k1, k2], { random }).encrypt(SECRET, OWNER);
    const [version, kid, nonce, sealed] = ciphertext.split('.');
    expect([version, kid]).toEqual(['v1', 'k1']);
    expect(Buffer.from(nonce!, 'base64url')).toEqual(Buffer.from(seededRandom('doc')(12)));
    expect(Buffer.from(sealed!, 'base64url').length).toBe(Buffer.byteLength(SECRET) + 16);
    expect(openEnvelope(material1, ciphertext, OWNER).toString()).toBe(SECRET);
  });

  it('does not encrypt with the raw master key (the envelope key is HKDF-derived)', () => {
    const ciphertext = ring([k1]).encrypt(SECRET, OWNER);
    expect(() => openEnvelopeWithKey(material1, ciphertext, OWNER)).toThrow();
    expect(() => openEnvelopeWithKey(subkey(material1, 'latchkey/session-token/v1'), ciphertext, OWNER)).toThrow();
    expect(openEnvelopeWithKey(subkey(material1, 'latchkey/envelope/v1'), ciphertext, OWNER).toString()).toBe(SECRET);
  });

  it('uses a fresh nonce each time, so equal plaintexts give different ciphertexts', () => {
    const keyring = ring([k1]);
    const a = keyring.encrypt(SECRET, OWNER);
    const b = keyring.encrypt(SECRET, OWNER);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('replays exactly with the same random source', () => {
    expect(ring([k1], 'same').encrypt(SECRET, OWNER)).toBe(ring([k1], 'same').encrypt(SECRET, OWNER));
  });

  it('refuses to read bytes that are not UTF-8 as text', () => {
    const keyring = ring([k1]);
    const ciphertext = keyring.encrypt(new Uint8Array([0xc3, 0x28]), OWNER);
    expect(errorCode(() => keyring.decryptString(ciphertext, OWNER))).toBe('invalidArgument');
    expect(keyring.decrypt(ciphertext, OWNER)).toEqual(Buffer.from([0xc3, 0x28]));
    expect(keyring.decryptString(keyring.encrypt('\uFEFFwith BOM', OWNER), OWNER)).toBe('\uFEFFwith BOM');
  });

  it('encrypts bytes and the empty plaintext', () => {
    const keyring = ring([k1]);
    const bytes = new Uint8Array([0, 255, 1, 254]);
    expect(keyring.decrypt(keyring.encrypt(bytes, OWNER), OWNER)).toEqual(Buffer.from(bytes));
    expect(keyring.decryptString(keyring.encrypt('', OWNER), OWNER)).toBe('');
  });

  it('refuses empty or non-string associated data', () => {
    const keyring = ring([k1]);
    expect(errorCode(() => keyring.encrypt(SECRET, ''))).toBe('invalidArgument');
    expect(errorCode(() => keyring.encrypt(SECRET, undefined as never))).toBe('invalidArgument');
  });

  it('refuses lone surrogates, which UTF-8 cannot carry, in associated data and text plaintext', () => {
    const keyring = ring([k1]);
    // Otherwise owners '\uD800' and '\uDC00' would share one binding (both encode as U+FFFD).
    expect(errorCode(() => keyring.encrypt(SECRET, 'owner\uD800'))).toBe('invalidArgument');
    expect(errorCode(() => keyring.decrypt(keyring.encrypt(SECRET, 'owner\uFFFD'), 'owner\uDC00'))).toBe('invalidArgument');
    expect(errorCode(() => keyring.encrypt('secret\uDC00', OWNER))).toBe('invalidArgument');
    expect(errorCode(() => keyring.encrypt(42 as never, OWNER))).toBe('invalidArgument');
    // Paired surrogates are ordinary characters.
    expect(keyring.decryptString(keyring.encrypt('\u{1F511} key', 'owner \u{1F464}'), 'owner \u{1F464}')).toBe('\u{1F511} key');
  });

  it('refuses a random source that returns the wrong number of bytes', () => {
    expect(errorCode(() => new Keyring([k1], { random: () => new Uint8Array(8) }).encrypt(SECRET, OWNER))).toBe('invalidRandomSource');
  });
});

describe('Keyring.decrypt', () => {
  const keyring = ring([k1]);
  const ciphertext = keyring.encrypt(SECRET, OWNER);

  it('round-trips text', () => {
    expect(keyring.decryptString(ciphertext, OWNER)).toBe(SECRET);
  });

  it('fails for other associated data: a ciphertext moved to another row does not open', () => {
    expect(errorCode(() => keyring.decrypt(ciphertext, 'AKIARZPUZDIKEXAMPLE2'))).toBe('decryptionFailed');
    expect(errorCode(() => keyring.decrypt(ciphertext, `${OWNER} `))).toBe('decryptionFailed');
  });

  it('fails with unknownKeyId for a key id not in the ring', () => {
    expect(errorCode(() => ring([k2]).decrypt(ciphertext, OWNER))).toBe('unknownKeyId');
  });

  it('fails for a different key under the same id', () => {
    const impostor = ring([new MasterKey('k1', material2)]);
    expect(errorCode(() => impostor.decrypt(ciphertext, OWNER))).toBe('decryptionFailed');
  });

  it('fails when the key id is relabelled to another key in the ring', () => {
    const both = ring([k1, k2]);
    expect(errorCode(() => both.decrypt(ciphertext.replace('v1.k1.', 'v1.k2.'), OWNER))).toBe('decryptionFailed');
  });

  it('fails on every single-character change of the nonce and sealed parts', () => {
    const prefix = 'v1.k1.'.length;
    for (const { index, edited } of singleCharacterEdits(ciphertext.slice(prefix))) {
      if (ciphertext[prefix + index] === '.') continue;
      const code = errorCode(() => keyring.decrypt(ciphertext.slice(0, prefix) + edited, OWNER));
      // The last character of a part also carries unused bits: changing only those is refused
      // as malformed (non-canonical), any other change fails authentication.
      expect(['decryptionFailed', 'malformedCiphertext']).toContain(code);
    }
  });

  it('fails authentication on every bit flip of the nonce, ciphertext and tag bytes', () => {
    const [version, kid, nonceText, sealedText] = ciphertext.split('.') as [string, string, string, string];
    const parts = { nonce: Buffer.from(nonceText, 'base64url'), sealed: Buffer.from(sealedText, 'base64url') };
    for (const name of ['nonce', 'sealed'] as const) {
      for (let byte = 0; byte < parts[name].length; byte++) {
        for (let bit = 0; bit < 8; bit++) {
          const flipped = Buffer.from(parts[name]);
          flipped[byte]! ^= 1 << bit;
          const nonce = name === 'nonce' ? flipped : parts.nonce;
          const sealed = name === 'sealed' ? flipped : parts.sealed;
          const edited = [version, kid, nonce.toString('base64url'), sealed.toString('base64url')].join('.');
          expect(errorCode(() => keyring.decrypt(edited, OWNER))).toBe('decryptionFailed');
        }
      }
    }
  });

  it('refuses truncations and malformed shapes as malformedCiphertext', () => {
    for (let length = 0; length < ciphertext.length; length++) {
      const code = errorCode(() => keyring.decrypt(ciphertext.slice(0, length), OWNER));
      expect(['malformedCiphertext', 'unknownKeyId', 'decryptionFailed']).toContain(code);
    }
    const sealedStart = ciphertext.lastIndexOf('.') + 1;
    // Cutting the sealed part below one tag is a shape error, not an authentication one.
    expect(errorCode(() => keyring.decrypt(ciphertext.slice(0, sealedStart + 20), OWNER))).toBe('malformedCiphertext');
    for (const bad of ['', 'v1', 'v1.k1', 'v1.k1.AAAA', `v2${ciphertext.slice(2)}`, `${ciphertext}.x`, ciphertext.replace('.k1.', '.k:1.'), `v1.k1.${'A'.repeat(15)}.${'A'.repeat(22)}`, `${ciphertext}=`]) {
      expect(errorCode(() => keyring.decrypt(bad, OWNER))).toBe('malformedCiphertext');
    }
    expect(errorCode(() => keyring.decrypt(42 as never, OWNER))).toBe('malformedCiphertext');
  });

  it('never puts plaintext, associated data or key material in error messages', () => {
    const messages: string[] = [];
    for (const run of [() => keyring.decrypt(ciphertext, 'other-owner-value'), () => ring([k2]).decrypt(ciphertext, OWNER), () => keyring.decrypt('v1.k1.garbage.x', OWNER)]) {
      try {
        run();
      } catch (error) {
        messages.push(String(error), (error as Error).message, JSON.stringify(error));
      }
    }
    expect(messages.length).toBe(9);
    for (const message of messages) {
      for (const secret of [SECRET, OWNER, 'other-owner-value', ciphertext.split('.')[3]!, Buffer.from(material1).toString('base64url').slice(0, 12)]) {
        expect(message).not.toContain(secret);
      }
    }
  });

  it('round-trips arbitrary plaintext and owners (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ minLength: 1, unit: 'grapheme' }), (plaintext, aad) => {
        const sealed = keyring.encrypt(plaintext, aad);
        expect(keyring.decrypt(sealed, aad)).toEqual(Buffer.from(plaintext));
      }),
      { numRuns: 200 },
    );
  });

  it('throws only KeyringError for arbitrary input (property)', () => {
    const envelopeLike = fc
      .tuple(fc.constantFrom('v1', 'v2', ''), fc.constantFrom('k1', 'k2', 'x'), fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET) }), fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET, '=') }))
      .map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), envelopeLike), fc.string({ minLength: 1, unit: 'binary' }), (text, aad) => {
        expect(['malformedCiphertext', 'unknownKeyId', 'decryptionFailed', 'invalidArgument']).toContain(errorCode(() => keyring.decrypt(text, aad)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Keyring rotation', () => {
  const before = ring([k1], 'before');
  const old = before.encrypt(SECRET, OWNER);
  const after = ring([k2, k1], 'after');

  it('decrypts ciphertexts of a non-primary key still in the ring', () => {
    expect(after.decryptString(old, OWNER)).toBe(SECRET);
  });

  it('encrypts new values under the new primary', () => {
    expect(after.keyIdOf(after.encrypt(SECRET, OWNER))).toBe('k2');
  });

  it('reports which ciphertexts need re-encryption', () => {
    expect(after.needsReencryption(old)).toBe(true);
    expect(after.needsReencryption(after.encrypt(SECRET, OWNER))).toBe(false);
    expect(before.needsReencryption(old)).toBe(false);
  });

  it('re-encrypts to the primary, after which the old key can leave the ring', () => {
    const moved = after.reencrypt(old, OWNER);
    expect(after.keyIdOf(moved)).toBe('k2');
    expect(after.needsReencryption(moved)).toBe(false);
    expect(ring([k2]).decryptString(moved, OWNER)).toBe(SECRET);
    expect(errorCode(() => ring([k2]).decrypt(old, OWNER))).toBe('unknownKeyId');
  });

  it('keeps the owner binding through re-encryption', () => {
    expect(errorCode(() => after.decrypt(after.reencrypt(old, OWNER), 'someone-else'))).toBe('decryptionFailed');
  });

  it('returns a ciphertext already under the primary unchanged', () => {
    const current = after.encrypt(SECRET, OWNER);
    expect(after.reencrypt(current, OWNER)).toBe(current);
  });

  it('authenticates before re-encrypting: a wrong owner or tampered ciphertext fails', () => {
    expect(errorCode(() => after.reencrypt(old, 'someone-else'))).toBe('decryptionFailed');
    const current = after.encrypt(SECRET, OWNER);
    expect(errorCode(() => after.reencrypt(current, 'someone-else'))).toBe('decryptionFailed');
    expect(errorCode(() => after.reencrypt(old.slice(0, -2) + (old.endsWith('AA') ? 'BA' : 'AA'), OWNER))).toMatch(/decryptionFailed|malformedCiphertext/);
  });

  it('fails on malformed or foreign-key ciphertexts', () => {
    expect(errorCode(() => after.needsReencryption('nope'))).toBe('malformedCiphertext');
    expect(errorCode(() => after.keyIdOf(ring([new MasterKey('k9', material1)]).encrypt('x', 'o')))).toBe('unknownKeyId');
  });
});

describe('Keyring.deriveKey', () => {
  const keyring = ring([k1, k2]);

  it('derives 32 bytes with HKDF-SHA256 under the label, from the primary by default', () => {
    expect(Buffer.from(keyring.deriveKey('mfa-code-replay'))).toEqual(subkey(material1, 'mfa-code-replay'));
    expect(Buffer.from(keyring.deriveKey('mfa-code-replay', 'k2'))).toEqual(subkey(material2, 'mfa-code-replay'));
  });

  it('gives distinct keys for distinct labels and keys', () => {
    const keys = [keyring.deriveKey('a'), keyring.deriveKey('b'), keyring.deriveKey('a', 'k2')].map((key) => Buffer.from(key).toString('hex'));
    expect(new Set(keys).size).toBe(3);
  });

  it('refuses the reserved latchkey/ labels, so the envelope and token keys cannot be obtained', () => {
    expect(errorCode(() => keyring.deriveKey('latchkey/envelope/v1'))).toBe('invalidArgument');
    expect(errorCode(() => keyring.deriveKey('latchkey/session-token/v1'))).toBe('invalidArgument');
    expect(errorCode(() => keyring.deriveKey(''))).toBe('invalidArgument');
    expect(errorCode(() => keyring.deriveKey('label\uD800'))).toBe('invalidArgument');
  });

  it('refuses a key id not in the ring', () => {
    expect(errorCode(() => keyring.deriveKey('x', 'k3'))).toBe('unknownKeyId');
  });

  it('returns a copy the caller may wipe', () => {
    keyring.deriveKey('wipe').fill(0);
    expect(Buffer.from(keyring.deriveKey('wipe'))).toEqual(subkey(material1, 'wipe'));
  });
});

describe('Keyring.fromText', () => {
  it('builds a ring from configuration text', () => {
    const text = `new:${Buffer.from(material2).toString('base64')},old:${Buffer.from(material1).toString('hex')}`;
    const keyring = Keyring.fromText(text, { random: seededRandom('t') });
    expect(keyring.keyIds).toEqual(['new', 'old']);
    expect(openEnvelope(material2, keyring.encrypt(SECRET, OWNER), OWNER).toString()).toBe(SECRET);
  });
});

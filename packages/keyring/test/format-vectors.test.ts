import { describe, expect, it } from 'vitest';
import { Keyring, MasterKey, decodeSessionToken, encodeSessionToken, type RandomSource, type Session } from '../src/index.js';
import vectors from './cases/format-vectors.json' with { type: 'json' };

interface EnvelopeVector { name: string; keyId: string; masterKeyHex: string; nonceHex: string; aad: string; plaintext: string; ciphertext: string }
interface TokenVector { name: string; keyId: string; masterKeyHex: string; ivHex: string; session: Session; token: string }

/** A random source that hands out the vector's nonce, and nothing else. */
const fixed = (hex: string): RandomSource => (size) => {
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length !== size) throw new Error(`vector has ${bytes.length} bytes, ${size} requested`);
  return bytes;
};

const ringFor = (keyId: string, masterKeyHex: string, randomHex: string) =>
  new Keyring([new MasterKey(keyId, Buffer.from(masterKeyHex, 'hex'))], { random: fixed(randomHex) });

describe('Keyring.encrypt', () => {
  it.each(vectors.envelope as EnvelopeVector[])('writes the published envelope vector: $name', (vector) => {
    const keyring = ringFor(vector.keyId, vector.masterKeyHex, vector.nonceHex);
    expect(keyring.encrypt(vector.plaintext, vector.aad)).toBe(vector.ciphertext);
    expect(keyring.decryptString(vector.ciphertext, vector.aad)).toBe(vector.plaintext);
  });
});

describe('encodeSessionToken', () => {
  it.each(vectors.sessionTokens as TokenVector[])('writes the published token vector: $name', async (vector) => {
    const keyring = ringFor(vector.keyId, vector.masterKeyHex, vector.ivHex);
    expect(await encodeSessionToken(vector.session, { keyring })).toBe(vector.token);
    expect(await decodeSessionToken(vector.token, { keyring, now: () => vector.session.issuedAt * 1000 })).toEqual({ ok: true, session: vector.session });
  });
});

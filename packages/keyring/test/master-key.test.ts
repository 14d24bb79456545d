import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Keyring, KeyringError, MasterKey, generateMasterKey, parseMasterKeys } from '../src/index.js';
import cases from './cases/master-keys.json' with { type: 'json' };
import { decodeKeyText, openEnvelope } from './independent.js';
import { seededRandom } from './support.js';

interface ValidCase { name: string; text: string; ids: string[] }
interface InvalidCase { name: string; text: string; code: string }

function catchError(run: () => unknown): KeyringError {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyringError) return error;
    throw error;
  }
  throw new Error('expected a KeyringError');
}

function keyTexts(text: string): string[] {
  return text.split(/[,\n]/).map((entry) => entry.trim()).filter((entry) => entry.length > 0).map((entry) => entry.slice(entry.indexOf(':') + 1).trim());
}

describe('parseMasterKeys', () => {
  it.each(cases.valid as ValidCase[])('reads $name', ({ text, ids }) => {
    const keys = parseMasterKeys(text);
    expect(keys.map((key) => key.id)).toEqual(ids);
    // Each key's bytes are the ones the text spells: a ciphertext made by a ring holding only
    // that key opens under an independent decoding of the same text.
    keyTexts(text).forEach((keyText, index) => {
      const ring = new Keyring([keys[index]!], { random: seededRandom(`parse-${index}`) });
      const ciphertext = ring.encrypt('probe', 'owner');
      expect(openEnvelope(decodeKeyText(keyText), ciphertext, 'owner').toString()).toBe('probe');
    });
  });

  it.each(cases.invalid as InvalidCase[])('refuses $name', ({ text, code }) => {
    const error = catchError(() => parseMasterKeys(text));
    expect(error.code).toBe(code);
    // Messages are loggable: no key text from the input appears in them.
    for (const keyText of keyTexts(text)) if (keyText.length >= 8) expect(error.message).not.toContain(keyText);
  });

  it('reads the example configuration in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /LATCHKEY_MASTER_KEY="([^"]+)"/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(parseMasterKeys(example!).map((key) => key.id)).toEqual(['k2027a', 'k2026b']);
  });

  it('names the position of the bad entry', () => {
    const error = catchError(() => parseMasterKeys('k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8,k2:not-a-key'));
    expect(error.message).toContain('entry 2');
    expect(error.message).not.toContain('not-a-key');
  });
});

describe('MasterKey', () => {
  it('refuses material that is not exactly 32 bytes', () => {
    expect(catchError(() => new MasterKey('k1', new Uint8Array(31).fill(7))).code).toBe('invalidKeyMaterial');
    expect(catchError(() => new MasterKey('k1', new Uint8Array(33).fill(7))).code).toBe('invalidKeyMaterial');
  });

  it('refuses an invalid id', () => {
    expect(catchError(() => new MasterKey('a:b', seededRandom('id')(32))).code).toBe('invalidKeyMaterial');
  });

  it('copies the material so later changes to the caller buffer do not alter the key', () => {
    const material = seededRandom('copy')(32);
    const key = new MasterKey('k1', material);
    const before = new Keyring([key], { random: seededRandom('nonce') }).encrypt('x', 'o');
    material.fill(1);
    expect(openEnvelope(seededRandom('copy')(32), before, 'o').toString()).toBe('x');
    const after = new Keyring([key], { random: seededRandom('nonce2') }).encrypt('y', 'o');
    expect(openEnvelope(seededRandom('copy')(32), after, 'o').toString()).toBe('y');
  });

  it('never shows its material when logged, inspected or serialised', () => {
    const material = seededRandom('show')(32);
    const key = new MasterKey('k1', material);
    const shown = [inspect(key, { showHidden: true, depth: 10 }), JSON.stringify(key), String(Object.values(key)), JSON.stringify(Object.getOwnPropertyDescriptors(key))];
    const hex = Buffer.from(material).toString('hex');
    const b64 = Buffer.from(material).toString('base64url');
    for (const text of shown) {
      expect(text).not.toContain(hex.slice(0, 16));
      expect(text).not.toContain(b64.slice(0, 16));
      expect(text).not.toMatch(/\b\d+, \d+, \d+/); // no byte array dump
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual({ id: 'k1' });
  });
});

describe('generateMasterKey', () => {
  it('returns text parseMasterKeys reads, with 32 bytes from the random source', () => {
    const random = seededRandom('gen');
    const text = generateMasterKey(random);
    const [key] = parseMasterKeys(text);
    const replay = seededRandom('gen');
    replay(4); // the default id's random part is drawn first
    const expectedMaterial = replay(32);
    expect(text).toMatch(/^k[0-9a-f]{8}:[A-Za-z0-9_-]{43}$/);
    expect(decodeKeyText(text.slice(text.indexOf(':') + 1))).toEqual(Buffer.from(expectedMaterial));
    expect(key!.id).toBe(text.slice(0, text.indexOf(':')));
  });

  it('uses the given id', () => {
    expect(generateMasterKey(seededRandom('id'), { id: 'prod-2027' })).toMatch(/^prod-2027:/);
  });

  it('gives different keys for different random bytes', () => {
    const random = seededRandom('many');
    const texts = new Set(Array.from({ length: 20 }, () => generateMasterKey(random)));
    expect(texts.size).toBe(20);
  });

  it('refuses an invalid id', () => {
    expect(catchError(() => generateMasterKey(seededRandom('x'), { id: 'has space' })).code).toBe('invalidKeyMaterial');
  });

  it('refuses a random source that returns the wrong number of bytes', () => {
    expect(catchError(() => generateMasterKey(() => new Uint8Array(16), { id: 'k1' })).code).toBe('invalidRandomSource');
  });
});

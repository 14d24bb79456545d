import { KEY_ID_PATTERN, MASTER_KEY_BYTES } from './constants.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { KeyringError } from './keyring-error.js';
import { drawRandom, type RandomSource } from './random-source.js';

// Material lives outside the object so that logging, JSON or inspecting a MasterKey cannot show
// it; only this package reads it back.
const materials = new WeakMap<MasterKey, Uint8Array>();

/** One master key: a public id and 32 secret bytes that nothing outside this package can read. */
export class MasterKey {
  readonly id: string;

  constructor(id: string, material: Uint8Array) {
    if (!KEY_ID_PATTERN.test(id)) {
      throw new KeyringError('invalidKeyMaterial', 'a master key id must be 1 to 64 characters of [A-Za-z0-9_-]');
    }
    if (!(material instanceof Uint8Array) || material.length !== MASTER_KEY_BYTES) {
      throw new KeyringError('invalidKeyMaterial', `master key "${id}" must be exactly ${MASTER_KEY_BYTES} bytes`);
    }
    // A constant key is a placeholder someone forgot to replace, not a secret.
    if (material.every((byte) => byte === material[0])) {
      throw new KeyringError('invalidKeyMaterial', `master key "${id}" is a repeated byte, not random key material`);
    }
    this.id = id;
    materials.set(this, Uint8Array.from(material));
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `MasterKey { id: '${this.id}' }`;
  }
}

/** The secret bytes of a key (package-internal: not exported from the index). */
export function masterKeyMaterial(key: MasterKey): Uint8Array {
  const material = materials.get(key);
  if (material === undefined) throw new KeyringError('invalidKeyMaterial', 'not a MasterKey built by this package');
  return material;
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

function decodeMaterial(text: string): Uint8Array | undefined {
  if (HEX_KEY.test(text)) return Buffer.from(text, 'hex');
  if (!BASE64_KEY.test(text)) return undefined;
  // Standard and URL-safe alphabets are both accepted: operators paste whichever their tool printed.
  const bytes = decodeBase64url(text.replace(/=$/, '').replaceAll('+', '-').replaceAll('/', '_'));
  return bytes?.length === MASTER_KEY_BYTES ? bytes : undefined;
}

/**
 * Parses master keys from configuration text such as `LATCHKEY_MASTER_KEY`: entries
 * `<id>:<key>` separated by commas or newlines, the key 32 bytes in base64, base64url or hex.
 * The first entry is the primary. Errors name the entry's position, never its contents.
 */
export function parseMasterKeys(text: string): MasterKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) throw new KeyringError('emptyKeyring', 'no master key entries found');
  const keys: MasterKey[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const position = `master key entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new KeyringError('invalidKeyMaterial', `${position} must have the form <id>:<key>`);
    const id = entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new KeyringError('invalidKeyMaterial', `${position}: the id must be 1 to 64 characters of [A-Za-z0-9_-]`);
    }
    if (seen.has(id)) throw new KeyringError('invalidKeyMaterial', `${position}: duplicate key id "${id}"`);
    const material = decodeMaterial(entry.slice(colon + 1).trim());
    if (material === undefined) {
      throw new KeyringError('invalidKeyMaterial', `${position} ("${id}"): the key must be 32 bytes in base64, base64url or hex`);
    }
    seen.add(id);
    keys.push(new MasterKey(id, material));
  });
  return keys;
}

export interface GenerateMasterKeyOptions {
  /** The key id; by default `k` followed by 8 random hex digits. */
  id?: string;
}

/** A new master key in the text form `parseMasterKeys` reads: `<id>:<base64url of 32 bytes>`. */
export function generateMasterKey(random: RandomSource, options: GenerateMasterKeyOptions = {}): string {
  const id = options.id ?? `k${Buffer.from(drawRandom(random, 4)).toString('hex')}`;
  const key = new MasterKey(id, drawRandom(random, MASTER_KEY_BYTES));
  return `${key.id}:${encodeBase64url(masterKeyMaterial(key))}`;
}

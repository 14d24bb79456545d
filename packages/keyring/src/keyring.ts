import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { ENVELOPE_KEY_LABEL, GCM_NONCE_BYTES, GCM_TAG_BYTES, MASTER_KEY_BYTES, RESERVED_LABEL_PREFIX } from './constants.js';
import { envelopeAad, formatEnvelope, parseEnvelope, type Envelope } from './envelope.js';
import { KeyringError } from './keyring-error.js';
import { masterKeyMaterial, parseMasterKeys, type MasterKey } from './master-key.js';
import { drawRandom, type RandomSource } from './random-source.js';

export interface KeyringOptions {
  /** Source of nonces; production passes `crypto.randomBytes`. */
  random: RandomSource;
}

/**
 * Package-internal access to reserved-label subkeys (the session-token codec uses it). The index
 * does not export this symbol, so code using the public `deriveKey` cannot obtain (and then
 * misuse) the keys of this package's own formats by accident. It is not a security boundary:
 * code holding the Keyring object is trusted with its keys anyway.
 */
export const deriveReservedKey = Symbol('deriveReservedKey');

interface Entry {
  readonly material: Uint8Array;
  readonly subkeys: Map<string, Uint8Array>;
}

function hkdf(material: Uint8Array, label: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', material, new Uint8Array(0), label, MASTER_KEY_BYTES));
}

/**
 * Master keys by id, one of them primary. New ciphertexts use the primary; a ciphertext names
 * the key that made it, so every key still in the ring keeps decrypting. That is what lets keys
 * rotate without downtime (see the README for the procedure).
 */
export class Keyring {
  readonly #entries = new Map<string, Entry>();
  readonly #random: RandomSource;
  /** Id of the key new ciphertexts and tokens are made with: the first key given. */
  readonly primaryKeyId: string;
  /** Every key id in the ring, primary first. */
  readonly keyIds: readonly string[];

  constructor(keys: readonly MasterKey[], options: KeyringOptions) {
    const first = keys[0];
    if (first === undefined) throw new KeyringError('emptyKeyring', 'a keyring needs at least one master key');
    if (typeof options?.random !== 'function') throw new KeyringError('invalidArgument', 'a keyring needs a random source');
    for (const key of keys) {
      if (this.#entries.has(key.id)) throw new KeyringError('invalidKeyMaterial', `duplicate key id "${key.id}"`);
      this.#entries.set(key.id, { material: masterKeyMaterial(key), subkeys: new Map() });
    }
    this.#random = options.random;
    this.primaryKeyId = first.id;
    this.keyIds = Object.freeze(keys.map((key) => key.id));
  }

  /** A keyring from configuration text (see `parseMasterKeys`); the first entry is primary. */
  static fromText(text: string, options: KeyringOptions): Keyring {
    return new Keyring(parseMasterKeys(text), options);
  }

  has(keyId: string): boolean {
    return this.#entries.has(keyId);
  }

  /** The random source, for this package's other formats. */
  get random(): RandomSource {
    return this.#random;
  }

  /**
   * Encrypts under the primary key with AES-256-GCM and a fresh random nonce. `aad` binds the
   * ciphertext to its owner (e.g. the access key id or MFA serial): decrypting with any other
   * value fails, so a ciphertext copied onto another row is useless there.
   */
  encrypt(plaintext: string | Uint8Array, aad: string): string {
    checkAad(aad);
    const data = plaintextBytes(plaintext);
    const keyId = this.primaryKeyId;
    const nonce = drawRandom(this.#random, GCM_NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#subkey(keyId, ENVELOPE_KEY_LABEL), nonce, { authTagLength: GCM_TAG_BYTES });
    cipher.setAAD(envelopeAad(keyId, aad));
    const sealed = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
    return formatEnvelope({ keyId, nonce, sealed });
  }

  /** Decrypts a ciphertext made by any key still in the ring; throws `KeyringError` otherwise. */
  decrypt(ciphertext: string, aad: string): Uint8Array {
    checkAad(aad);
    return this.#open(this.#parse(ciphertext), aad);
  }

  /** `decrypt`, read as UTF-8 text. */
  decryptString(ciphertext: string, aad: string): string {
    const plaintext = this.decrypt(ciphertext, aad);
    try {
      // Fatal decoding: bytes that were never text must not come back silently altered.
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plaintext);
    } catch {
      throw new KeyringError('invalidArgument', 'the plaintext is not UTF-8 text; use decrypt for bytes');
    } finally {
      plaintext.fill(0);
    }
  }

  /** The key id a ciphertext names (no decryption). */
  keyIdOf(ciphertext: string): string {
    return this.#parse(ciphertext).keyId;
  }

  /** True when the ciphertext was made by a key other than the primary. */
  needsReencryption(ciphertext: string): boolean {
    return this.#parse(ciphertext).keyId !== this.primaryKeyId;
  }

  /**
   * Moves a ciphertext to the primary key. It is always decrypted first, so a corrupt or
   * misbound value fails here rather than being carried forward; one already under the primary
   * comes back unchanged (no needless write).
   */
  reencrypt(ciphertext: string, aad: string): string {
    checkAad(aad);
    const envelope = this.#parse(ciphertext);
    const plaintext = this.#open(envelope, aad);
    try {
      return envelope.keyId === this.primaryKeyId ? ciphertext : this.encrypt(plaintext, aad);
    } finally {
      plaintext.fill(0);
    }
  }

  /**
   * A 32-byte subkey of a master key for another purpose (HKDF-SHA256, `info` = label). Each
   * purpose must use its own label; labels starting `latchkey/` are reserved for this package.
   */
  deriveKey(label: string, keyId: string = this.primaryKeyId): Uint8Array {
    if (typeof label !== 'string' || label.length === 0 || LONE_SURROGATE.test(label) || label.startsWith(RESERVED_LABEL_PREFIX)) {
      throw new KeyringError('invalidArgument', `a derivation label must be non-empty and not start with "${RESERVED_LABEL_PREFIX}"`);
    }
    return Uint8Array.from(this.#subkey(keyId, label));
  }

  [deriveReservedKey](keyId: string, label: string): Uint8Array {
    return this.#subkey(keyId, label);
  }

  toJSON(): { primaryKeyId: string; keyIds: readonly string[] } {
    return { primaryKeyId: this.primaryKeyId, keyIds: this.keyIds };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Keyring { primaryKeyId: '${this.primaryKeyId}', keyIds: [${this.keyIds.map((id) => `'${id}'`).join(', ')}] }`;
  }

  #subkey(keyId: string, label: string): Uint8Array {
    const entry = this.#entries.get(keyId);
    if (entry === undefined) throw new KeyringError('unknownKeyId', `key id "${keyId}" is not in the keyring`);
    let subkey = entry.subkeys.get(label);
    if (subkey === undefined) {
      subkey = hkdf(entry.material, label);
      entry.subkeys.set(label, subkey);
    }
    return subkey;
  }

  #parse(ciphertext: string): Envelope {
    const envelope = parseEnvelope(ciphertext);
    if (envelope === undefined) throw new KeyringError('malformedCiphertext', 'not a v1 envelope ciphertext');
    if (!this.#entries.has(envelope.keyId)) {
      throw new KeyringError('unknownKeyId', `ciphertext key id "${envelope.keyId}" is not in the keyring`);
    }
    return envelope;
  }

  #open(envelope: Envelope, aad: string): Buffer {
    const { keyId, nonce, sealed } = envelope;
    const decipher = createDecipheriv('aes-256-gcm', this.#subkey(keyId, ENVELOPE_KEY_LABEL), nonce, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(envelopeAad(keyId, aad));
    decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
    const body = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES));
    try {
      return Buffer.concat([body, decipher.final()]);
    } catch {
      // The unauthenticated partial plaintext must not outlive the failure.
      body.fill(0);
      throw new KeyringError('decryptionFailed', `ciphertext under key "${keyId}" failed authentication (wrong owner binding or modified)`);
    }
  }
}

// A lone surrogate has no UTF-8 form: encoding turns it into U+FFFD, so two different strings
// would become the same bytes (two owners sharing one binding, or a plaintext silently changed).
const LONE_SURROGATE = /\p{Cs}/u;

function checkAad(aad: string): void {
  // An empty binding would let a ciphertext move between rows, which is what `aad` exists to stop.
  if (typeof aad !== 'string' || aad.length === 0 || LONE_SURROGATE.test(aad)) {
    throw new KeyringError('invalidArgument', 'associated data (the owner binding) must be a non-empty, well-formed string');
  }
}

function plaintextBytes(plaintext: string | Uint8Array): Uint8Array {
  if (plaintext instanceof Uint8Array) return plaintext;
  if (typeof plaintext !== 'string' || LONE_SURROGATE.test(plaintext)) {
    throw new KeyringError('invalidArgument', 'plaintext must be bytes or a well-formed string');
  }
  return Buffer.from(plaintext, 'utf8');
}

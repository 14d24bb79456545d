import { createECDH, createHmac, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ALGORITHM_V4A } from './constants.js';

/** The order of the P-256 group. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * The SigV4a (ECDSA P-256) private scalar of a key pair, derived as AWS's SDKs do (NIST SP 800-108
 * counter-mode KDF with HMAC-SHA-256 keyed by "AWS4A" + secret; the first candidate k0 <= n - 2
 * gives d = k0 + 1).
 */
export function deriveSigV4aPrivateKey(accessKeyId: string, secretAccessKey: string): Buffer {
  const label = Buffer.from(ALGORITHM_V4A, 'utf8');
  const akid = Buffer.from(accessKeyId, 'utf8');
  for (let counter = 1; counter <= 254; counter++) {
    const input = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      label,
      Buffer.from([0]),
      akid,
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]),
    ]);
    const k0 = BigInt('0x' + createHmac('sha256', 'AWS4A' + secretAccessKey).update(input).digest('hex'));
    if (k0 <= N - 2n) return Buffer.from((k0 + 1n).toString(16).padStart(64, '0'), 'hex');
  }
  throw new RangeError('SigV4a key derivation did not converge');
}

/**
 * The public key (uncompressed point, 65 bytes: 0x04 || X || Y) of a SigV4a key pair. A server
 * needs only this to verify, so it is what a credential service can hand to a verifier instead of
 * the secret.
 */
export function deriveSigV4aPublicKey(accessKeyId: string, secretAccessKey: string): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(deriveSigV4aPrivateKey(accessKeyId, secretAccessKey));
  return ecdh.getPublicKey();
}

const keyObjects = new WeakMap<Uint8Array, KeyObject>();

function keyObjectFor(point: Uint8Array): KeyObject {
  let key = keyObjects.get(point);
  if (key === undefined) {
    const b = Buffer.from(point);
    if (b.length !== 65 || b[0] !== 4) throw new RangeError('expected an uncompressed P-256 point (65 bytes)');
    key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: b.subarray(1, 33).toString('base64url'), y: b.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    keyObjects.set(point, key);
  }
  return key;
}

/** Whether `signatureHex` (hex of a DER ECDSA signature) signs SHA-256(`stringToSign`) for the key. */
export function verifySigV4aSignature(publicKey: Uint8Array, stringToSign: string, signatureHex: string): boolean {
  if (signatureHex.length === 0 || signatureHex.length > 160 || !/^[0-9a-f]+$/.test(signatureHex) || signatureHex.length % 2 !== 0) return false;
  try {
    return verify('sha256', Buffer.from(stringToSign, 'utf8'), { key: keyObjectFor(publicKey), dsaEncoding: 'der' }, Buffer.from(signatureHex, 'hex'));
  } catch {
    // malformed DER: not a valid signature
    return false;
  }
}

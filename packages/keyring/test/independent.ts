// An independent reading of the documented formats (README "Formats"), written against
// node:crypto directly: tests use it to check that what the package writes is what the README
// says, not merely what the package reads back.
import { createDecipheriv, hkdfSync } from 'node:crypto';

export function decodeKeyText(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, ''), 'base64url');
}

export function subkey(material: Uint8Array, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), label, 32));
}

/** Opens `v1.<kid>.<nonce>.<ciphertext||tag>` with AAD `v1 NUL kid NUL aad`. */
export function openEnvelope(material: Uint8Array, ciphertext: string, aad: string): Buffer {
  return openEnvelopeWithKey(subkey(material, 'latchkey/envelope/v1'), ciphertext, aad);
}

/** The same with the AES key given directly. */
export function openEnvelopeWithKey(key: Uint8Array, ciphertext: string, aad: string): Buffer {
  const [version, kid, nonce, sealedText] = ciphertext.split('.') as [string, string, string, string];
  const sealed = Buffer.from(sealedText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(`${version}\u0000${kid}\u0000${aad}`, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

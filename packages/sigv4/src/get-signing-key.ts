import { KEY_TYPE_IDENTIFIER, SECRET_KEY_PREFIX } from './constants.js';
import { hmac } from './crypto.js';

/** `kDate = HMAC("AWS4" + secret, date)`: the first step of the key derivation. */
export function getDateKey(secretAccessKey: string, date: string): Uint8Array {
  return hmac(SECRET_KEY_PREFIX + secretAccessKey, date);
}

/** `kRegion = HMAC(kDate, region)`. */
export function getRegionKey(dateKey: Uint8Array, region: string): Uint8Array {
  return hmac(dateKey, region);
}

/** `kService = HMAC(kRegion, service)`. */
export function getServiceKey(regionKey: Uint8Array, service: string): Uint8Array {
  return hmac(regionKey, service);
}

/** `kSigning = HMAC(kService, "aws4_request")`. */
export function getSigningKeyFromServiceKey(serviceKey: Uint8Array): Uint8Array {
  return hmac(serviceKey, KEY_TYPE_IDENTIFIER);
}

/**
 * The SigV4 signing key for one (date, region, service) scope. It can verify and sign requests
 * for that scope only, so it is what to hand a service that must never see the secret itself.
 */
export function getSigningKey(secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
  return getSigningKeyFromServiceKey(getServiceKey(getRegionKey(getDateKey(secretAccessKey, date), region), service));
}

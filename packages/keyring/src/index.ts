export { Keyring } from './keyring.js';
export type { KeyringOptions } from './keyring.js';
export { MasterKey, generateMasterKey, parseMasterKeys } from './master-key.js';
export type { GenerateMasterKeyOptions } from './master-key.js';
export { KeyringError, isKeyringError } from './keyring-error.js';
export type { KeyringErrorCode } from './keyring-error.js';
export { RANDOM_POOL_BYTES, bufferedRandom } from './random-source.js';
export type { Clock, RandomSource } from './random-source.js';
export type { Session, SessionPrincipalType, SessionTag } from './session.js';
export { decodeSessionToken, encodeSessionToken, isSessionExpired, sessionTokenError } from './session-token.js';
export type {
  DecodeSessionTokenOptions,
  EncodeSessionTokenOptions,
  SessionTokenFailure,
  SessionTokenResult,
} from './session-token.js';
export { BoundedCache } from './bounded-cache.js';
export { timingSafeEqualBytes, timingSafeEqualString } from './timing-safe-equal.js';
export { MASTER_KEY_BYTES, MAX_SESSION_TOKEN_LENGTH } from './constants.js';

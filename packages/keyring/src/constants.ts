// Spec constants of the formats this package reads and writes. Changing any of them changes a
// stored or transmitted format: bump the version that names it instead.

/** Bytes of a master key (AES-256). */
export const MASTER_KEY_BYTES = 32;

/** Key ids: printable, and free of the separators used by the formats (`.`, `:`, `,`). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Envelope ciphertext format version, the first dot-separated field. */
export const ENVELOPE_VERSION = 'v1';

/** AES-GCM nonce (96 bits, the size GCM is specified for) and tag sizes, in bytes. */
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/**
 * HKDF-SHA256 `info` labels. Every use of a master key goes through its own label, so the raw
 * master key never keys two algorithms and a ciphertext of one purpose never decrypts as another.
 */
export const ENVELOPE_KEY_LABEL = 'latchkey/envelope/v1';
export const SESSION_TOKEN_KEY_LABEL = 'latchkey/session-token/v1';

/** Labels under this prefix are reserved for this package's own formats. */
export const RESERVED_LABEL_PREFIX = 'latchkey/';

/** Session-token payload format version (claim `v`). */
export const SESSION_TOKEN_VERSION = 1;

/**
 * Upper bound on a session token we mint or read. AWS tells clients to assume no maximum, but a
 * server must bound what it parses; 64 KiB fits the largest session AWS's limits allow (2,048
 * characters of session policy, 10 policy ARNs, 50 tags) with room to spare.
 */
export const MAX_SESSION_TOKEN_LENGTH = 65_536;

/**
 * Payloads larger than this are DEFLATE-compressed (JWE `zip: "DEF"`): big sessions carry
 * policy JSON and tags, which compress well, while the typical session stays uncompressed and
 * on the fast path. Compression leaks nothing here: a token's only reader besides the servers
 * is the caller it was issued to, who receives every field it holds (secret included) anyway.
 */
export const COMPRESS_PAYLOAD_OVER = 1024;

/** Upper bound on a decompressed payload (jose checks it while inflating). */
export const MAX_SESSION_PAYLOAD_BYTES = 262_144;

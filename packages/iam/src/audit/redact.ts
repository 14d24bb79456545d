/**
 * What must never reach a log line, an audit record or an error: secrets, passwords, session
 * tokens, signatures, MFA codes and seeds, web identity tokens and SAML assertions. The names are
 * AWS's members marked sensitive in the IAM and STS models plus SigV4's query-auth parameters;
 * matching is case-insensitive because presigned URLs and SDKs differ in case.
 */
export const SECRET_PARAMETER_NAMES: readonly string[] = [
  // passwords (login profiles, ChangePassword, service-specific credentials)
  'Password',
  'OldPassword',
  'NewPassword',
  'ServicePassword',
  // keys and tokens
  'SecretAccessKey',
  'SessionToken',
  'PrivateKey',
  'CertificateBody',
  'TradeInToken',
  // MFA codes and seeds
  'AuthenticationCode1',
  'AuthenticationCode2',
  'TokenCode',
  'Base32StringSeed',
  'QRCodePNG',
  // federation
  'WebIdentityToken',
  'SAMLAssertion',
  'EncodedMessage',
  // SigV4 query authentication
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Credential',
  'Signature',
];

const secretNames = new Set(SECRET_PARAMETER_NAMES.map((n) => n.toLowerCase()));

export const REDACTED = '[REDACTED]';

// Answers for names seen before: the same few member names recur on every call. Bounded in
// count and in name length, as the names are partly client input (Query parameter names, up to
// the body limit): long names are answered without being kept, and once full it starts over.
const answers = new Map<string, boolean>();
const MAX_ANSWERS = 2048;
const MAX_REMEMBERED_NAME = 128;

/** True for a parameter name (possibly a flattened member path such as `Credentials.SessionToken`) that carries a secret. */
export function isSecretParameter(name: string): boolean {
  let secret = answers.get(name);
  if (secret === undefined) {
    const last = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    secret = secretNames.has(last) || secretNames.has(name.toLowerCase());
    if (name.length <= MAX_REMEMBERED_NAME) {
      if (answers.size >= MAX_ANSWERS) answers.clear();
      answers.set(name, secret);
    }
  }
  return secret;
}

/** A copy of the parameters with every secret value replaced. */
export function redactParameters(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = isSecretParameter(k) ? REDACTED : v;
  return out;
}

/**
 * A JSON-ready copy of an operation's output with every secret member replaced, at any depth
 * (STS `Credentials.SecretAccessKey`, CreateAccessKey's key, CreateVirtualMFADevice's seed and
 * QR code). Dates become ISO text, byte arrays their length only, maps (objects with
 * `entries`) plain objects.
 */
export function redactValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  const entries = (value as { entries?: unknown }).entries;
  const pairs: [string, unknown][] =
    Array.isArray(entries) && entries.every((e) => Array.isArray(e) && e.length === 2) ? (entries as [string, unknown][]) : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs) {
    if (v === undefined || v === null) continue;
    out[k] = isSecretParameter(k) ? REDACTED : redactValue(v);
  }
  return out;
}

/**
 * pino `redact.paths` for the objects the server logs. Exact paths only: pino compiles them to
 * direct property accesses (about 4 µs a line), while `*.x` wildcards cost about 15 µs more on
 * every request line. The server's log objects are built field by field from values that are
 * never secret (request id, action, status, principal ARN, access key id, duration); these
 * paths are the net under that rule, for the places a secret-bearing object could be passed.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-amz-security-token"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-amz-security-token"]',
  'secretAccessKey',
  'SecretAccessKey',
  'sessionToken',
  'SessionToken',
  'password',
  'Password',
  'params.SecretAccessKey',
  'params.SessionToken',
  'params.Password',
  'params.NewPassword',
  'params.OldPassword',
  'credentials.secretAccessKey',
  'credentials.sessionToken',
];

/**
 * What must never reach a log line, an audit record or an error: secrets, passwords, session
 * tokens, signatures and MFA codes. Parameter names are AWS's (IAM, STS and SigV4 query auth);
 * matching is case-insensitive because presigned URLs and SDKs differ in case.
 */
const SECRET_PARAMETER_NAMES = [
  'Password',
  'OldPassword',
  'NewPassword',
  'SecretAccessKey',
  'SessionToken',
  'AuthenticationCode1',
  'AuthenticationCode2',
  'TokenCode',
  'WebIdentityToken',
  'SAMLAssertion',
  'EncodedMessage',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Credential',
  'Signature',
  'Base32StringSeed',
  'QRCodePNG',
  'PrivateKey',
  'CertificateBody',
  'TradeInToken',
];

const secretNames = new Set(SECRET_PARAMETER_NAMES.map((n) => n.toLowerCase()));

export const REDACTED = '[REDACTED]';

/** True for a parameter name (possibly a flattened member path) that carries a secret. */
export function isSecretParameter(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return secretNames.has(last) || secretNames.has(name.toLowerCase());
}

/** A copy of the parameters with every secret value replaced. */
export function redactParameters(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = isSecretParameter(k) ? REDACTED : v;
  return out;
}

/** pino `redact.paths` for the objects the server logs. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-amz-security-token"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-amz-security-token"]',
  'secretAccessKey',
  'sessionToken',
  'password',
  '*.secretAccessKey',
  '*.SecretAccessKey',
  '*.sessionToken',
  '*.SessionToken',
  '*.password',
  '*.Password',
];

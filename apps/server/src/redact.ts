// The redaction list lives in @latchkey/iam (the audit trail applies it to every record); the
// server's logs use the same one.
export { isSecretParameter, LOG_REDACT_PATHS, REDACTED, redactParameters } from '@latchkey/iam';

import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import type { Caller } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { Decision, RequestContext } from '@latchkey/policy';

const LABEL = 'sts/authorization-message/v1';
const MAX_ENCODED = 10_240;

/** What was asked when the engine said no. */
export interface AuthorizationRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
}

interface Items<T> {
  items: T[];
}

/** AWS's decoded shape (DecodeAuthorizationMessage, EC2's "Encoded authorization failure message"). */
export interface DecodedAuthorizationMessage {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: Items<{ statementId: string; effect: 'ALLOW' | 'DENY'; policyType: string; policyId: string; statementIndex: number }>;
  failures: Items<{ policyType: string; message: string }>;
  context: {
    principal: { id: string; arn: string; name?: string };
    action: string;
    resource: string;
    conditions: Items<{ key: string; values: Items<{ value: string }> }>;
  };
}

function items<T>(list: T[]): Items<T> {
  return { items: list };
}

/** The JSON AWS's DecodeAuthorizationMessage returns for a decision and its request. */
export function authorizationMessage(decision: Decision, request: AuthorizationRequest): DecodedAuthorizationMessage {
  const { caller } = request;
  const conditions = Object.entries(request.context).map(([key, value]) => ({
    key,
    values: items((Array.isArray(value) ? value : [value]).map((v) => ({ value: String(v) }))),
  }));
  return {
    allowed: decision.decision === 'allowed',
    explicitDeny: decision.decision === 'explicitDeny',
    matchedStatements: items(
      decision.matchedStatements.map((m) => ({
        statementId: m.sid ?? '',
        effect: m.effect === 'Allow' ? ('ALLOW' as const) : ('DENY' as const),
        policyType: m.policyType,
        policyId: m.policyId,
        statementIndex: m.statementIndex,
      })),
    ),
    failures: items([
      ...decision.notAllowedBy.map((type) => ({ policyType: type, message: `no ${type} policy allows the action` })),
      ...decision.errors.map((e) => ({ policyType: e.policyType, message: e.message })),
    ]),
    context: {
      principal: { id: caller.userId, arn: caller.arn, ...(caller.identity.kind === 'root' ? {} : { name: caller.identity.name }) },
      action: request.action,
      resource: request.resource,
      conditions: items(conditions),
    },
  };
}

/**
 * The encoded message a denied request can carry (EC2's "Encoded authorization failure
 * message: …"): the decoded JSON encrypted (JWE, `dir` + A256GCM, `kid` = master key id) under
 * a keyring-derived key, so only a principal allowed `sts:DecodeAuthorizationMessage` reads it.
 */
export async function encodeAuthorizationMessage(decision: Decision, request: AuthorizationRequest, keyring: Keyring): Promise<string> {
  const keyId = keyring.primaryKeyId;
  const payload = new TextEncoder().encode(JSON.stringify(authorizationMessage(decision, request)));
  return new CompactEncrypt(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: keyId })
    .setInitializationVector(keyring.random(12))
    .encrypt(keyring.deriveKey(LABEL, keyId));
}

/** The decoded JSON text, or undefined when the message is not one of ours (or was altered). */
export async function decodeAuthorizationMessage(encoded: string, keyring: Keyring): Promise<string | undefined> {
  if (encoded.length > MAX_ENCODED) return undefined;
  try {
    const kid = decodeProtectedHeader(encoded).kid;
    if (typeof kid !== 'string' || !keyring.has(kid)) return undefined;
    const { plaintext } = await compactDecrypt(encoded, keyring.deriveKey(LABEL, kid), { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    return undefined;
  }
}

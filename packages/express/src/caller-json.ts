import type { Caller, CallerSession } from '@latchkey/iam';

/** A `Caller` on the wire: dates as epoch seconds. */
export interface CallerJson {
  readonly kind: Caller['kind'];
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
  readonly identity: Caller['identity'];
  readonly accessKeyId?: string;
  readonly session?: {
    readonly issuedAt: number;
    readonly expiresAt: number;
    readonly mfaAuthenticatedAt?: number;
    readonly policies?: readonly string[];
    readonly policyArns?: readonly string[];
    readonly tags?: readonly { key: string; value: string }[];
    readonly transitiveTagKeys?: readonly string[];
    readonly sourceIdentity?: string;
  };
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

export function callerToJson(caller: Caller): CallerJson {
  const s = caller.session;
  return {
    kind: caller.kind,
    accountId: caller.accountId,
    arn: caller.arn,
    userId: caller.userId,
    identity: caller.identity,
    ...(caller.accessKeyId === undefined ? {} : { accessKeyId: caller.accessKeyId }),
    ...(s === undefined
      ? {}
      : {
          session: {
            issuedAt: seconds(s.issuedAt),
            expiresAt: seconds(s.expiresAt),
            ...(s.mfaAuthenticatedAt === undefined ? {} : { mfaAuthenticatedAt: seconds(s.mfaAuthenticatedAt) }),
            ...(s.policies === undefined ? {} : { policies: s.policies }),
            ...(s.policyArns === undefined ? {} : { policyArns: s.policyArns }),
            ...(s.tags === undefined ? {} : { tags: s.tags }),
            ...(s.transitiveTagKeys === undefined ? {} : { transitiveTagKeys: s.transitiveTagKeys }),
            ...(s.sourceIdentity === undefined ? {} : { sourceIdentity: s.sourceIdentity }),
          },
        }),
  };
}

const KINDS = new Set(['root', 'user', 'assumed-role', 'federated-user']);

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new TypeError(`internal API: ${what} is not a string`);
  return v;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`internal API: ${what} is not a number`);
  return v;
}

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v)) throw new TypeError(`internal API: ${what} is not a list`);
  return v.map((x, i) => str(x, `${what}[${i}]`));
}

/** Reads a `Caller` back, checking every field (the answer crosses a network). */
export function callerFromJson(value: unknown): Caller {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) throw new TypeError('internal API: Principal is not an object');
  const kind = str(v.kind, 'kind');
  if (!KINDS.has(kind)) throw new TypeError('internal API: unknown principal kind');
  const identity = v.identity as Record<string, unknown> | null;
  if (typeof identity !== 'object' || identity === null) throw new TypeError('internal API: identity missing');
  const idKind = str(identity.kind, 'identity.kind');
  const parsedIdentity: Caller['identity'] =
    idKind === 'root'
      ? { kind: 'root' }
      : idKind === 'user' || idKind === 'role'
        ? { kind: idKind, id: str(identity.id, 'identity.id'), name: str(identity.name, 'identity.name'), arn: str(identity.arn, 'identity.arn') }
        : (() => {
            throw new TypeError('internal API: unknown identity kind');
          })();
  let session: CallerSession | undefined;
  if (v.session !== undefined) {
    const s = v.session as Record<string, unknown>;
    session = {
      issuedAt: new Date(num(s.issuedAt, 'session.issuedAt') * 1000),
      expiresAt: new Date(num(s.expiresAt, 'session.expiresAt') * 1000),
      ...(s.mfaAuthenticatedAt === undefined ? {} : { mfaAuthenticatedAt: new Date(num(s.mfaAuthenticatedAt, 'session.mfaAuthenticatedAt') * 1000) }),
      ...(s.policies === undefined ? {} : { policies: strings(s.policies, 'session.policies') }),
      ...(s.policyArns === undefined ? {} : { policyArns: strings(s.policyArns, 'session.policyArns') }),
      ...(s.tags === undefined
        ? {}
        : {
            tags: (Array.isArray(s.tags) ? s.tags : []).map((t: { key?: unknown; value?: unknown }, i: number) => ({ key: str(t?.key, `session.tags[${i}].key`), value: str(t?.value, `session.tags[${i}].value`) })),
          }),
      ...(s.transitiveTagKeys === undefined ? {} : { transitiveTagKeys: strings(s.transitiveTagKeys, 'session.transitiveTagKeys') }),
      ...(s.sourceIdentity === undefined ? {} : { sourceIdentity: str(s.sourceIdentity, 'session.sourceIdentity') }),
    };
  }
  return {
    kind: kind as Caller['kind'],
    accountId: str(v.accountId, 'accountId'),
    arn: str(v.arn, 'arn'),
    userId: str(v.userId, 'userId'),
    identity: parsedIdentity,
    ...(v.accessKeyId === undefined ? {} : { accessKeyId: str(v.accessKeyId, 'accessKeyId') }),
    ...(session === undefined ? {} : { session }),
  };
}

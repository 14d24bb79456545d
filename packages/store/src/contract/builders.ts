import type {
  AccessKeyRecord,
  AuditEntry,
  GroupRecord,
  MfaDeviceRecord,
  RoleRecord,
  UserRecord,
} from '../records.js';
import type { NewManagedPolicy } from '../repositories.js';

/**
 * Deterministic record builders. Ids come from a counter (no randomness: a failure reproduces),
 * shaped like AWS's so adapters see realistic lengths.
 */
export class Builders {
  private n = 0;
  private accounts = 0;

  constructor(private readonly seed: number) {}

  next(): string {
    this.n += 1;
    return String(this.n).padStart(8, '0');
  }

  accountId(): string {
    this.accounts += 1;
    return String(this.seed * 10_000 + this.accounts).padStart(12, '0');
  }

  user(accountId: string, name: string, path = '/', extra: Partial<UserRecord> = {}): UserRecord {
    return {
      accountId,
      id: `AIDA${this.next()}EXAMPLE12`,
      name,
      path,
      arn: `arn:aws:iam::${accountId}:user${path}${name}`,
      createdAt: 1_700_000_000_000 + this.n,
      permissionsBoundaryArn: null,
      passwordLastUsedAt: null,
      ...extra,
    };
  }

  group(accountId: string, name: string, path = '/'): GroupRecord {
    return { accountId, id: `AGPA${this.next()}EXAMPLE12`, name, path, arn: `arn:aws:iam::${accountId}:group${path}${name}`, createdAt: 1_700_000_000_000 + this.n };
  }

  role(accountId: string, name: string, path = '/', extra: Partial<RoleRecord> = {}): RoleRecord {
    return {
      accountId,
      id: `AROA${this.next()}EXAMPLE12`,
      name,
      path,
      arn: `arn:aws:iam::${accountId}:role${path}${name}`,
      createdAt: 1_700_000_000_000 + this.n,
      assumeRolePolicyDocument: TRUST_POLICY,
      description: null,
      maxSessionDuration: 3600,
      permissionsBoundaryArn: null,
      lastUsedAt: null,
      lastUsedRegion: null,
      ...extra,
    };
  }

  policy(accountId: string, name: string, path = '/', document = POLICY_DOCUMENT): NewManagedPolicy {
    return {
      accountId,
      id: `ANPA${this.next()}EXAMPLE12`,
      name,
      path,
      arn: `arn:aws:iam::${accountId}:policy${path}${name}`,
      description: null,
      isAttachable: true,
      createdAt: 1_700_000_000_000 + this.n,
      document,
    };
  }

  accessKey(accountId: string, userId: string | null): Omit<AccessKeyRecord, 'lastUsedAt' | 'lastUsedService' | 'lastUsedRegion'> {
    return {
      accountId,
      id: `AKIA${this.next()}EXAMPLE`,
      userId,
      isRoot: userId === null,
      secret: { ciphertext: `sealed-${this.n}`, keyId: 'k1' },
      status: 'Active',
      createdAt: 1_700_000_000_000 + this.n,
    };
  }

  mfa(accountId: string, name: string): Omit<MfaDeviceRecord, 'userId' | 'enabledAt' | 'lastUsedStep' | 'lastUsedAt' | 'failedAttempts' | 'lockedUntil' | 'lastFailedAt'> {
    return {
      accountId,
      serial: `arn:aws:iam::${accountId}:mfa/${name}`,
      name,
      path: '/',
      seed: { ciphertext: `seed-${this.next()}`, keyId: 'k1' },
      createdAt: 1_700_000_000_000 + this.n,
    };
  }

  audit(accountId: string, extra: Partial<AuditEntry> = {}): AuditEntry {
    return {
      id: `evt-${this.next()}`,
      at: 1_700_000_000_000 + this.n * 1000,
      requestId: `req-${this.n}`,
      accountId,
      principalArn: `arn:aws:iam::${accountId}:user/alice`,
      action: 'iam:CreateUser',
      resource: `arn:aws:iam::${accountId}:user/bob`,
      sourceIp: '192.0.2.1',
      userAgent: 'aws-sdk-js/3',
      outcome: 'success',
      errorCode: null,
      params: '{"UserName":"bob"}',
      ...extra,
    };
  }
}

/** Whitespace and key order are deliberate: the store must hand the text back byte for byte. */
export const POLICY_DOCUMENT = '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "*" } ]\n}';
export const TRUST_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}';

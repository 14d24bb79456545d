import { createHash } from 'node:crypto';
import type { RandomSource, Session } from '../src/index.js';

/**
 * A deterministic random source: SHA-256 of (seed, counter) blocks. Tests replay exactly, and
 * values never repeat within a run (so nonces are distinct, as with a real source).
 */
export function seededRandom(seed: string): RandomSource & { calls: number } {
  let counter = 0;
  const source = ((size: number) => {
    source.calls += 1;
    const out = Buffer.alloc(size);
    for (let offset = 0; offset < size; offset += 32) {
      createHash('sha256').update(`${seed}/${counter++}`).digest().copy(out, offset);
    }
    return new Uint8Array(out);
  }) as RandomSource & { calls: number };
  source.calls = 0;
  return source;
}

export const T0 = 1_800_000_000; // 2027-01-15T08:00:00Z, in seconds

export const assumedRoleSession: Session = {
  type: 'AssumedRole',
  accessKeyId: 'ASIARZPUZDIKD5LCGAGW',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  accountId: '123456789012',
  principalArn: 'arn:aws:sts::123456789012:assumed-role/Deploy/ci-run-42',
  principalId: 'AROARZPUZDIKEXAMPLE12:ci-run-42',
  roleArn: 'arn:aws:iam::123456789012:role/service/Deploy',
  issuedAt: T0,
  expiresAt: T0 + 3600,
};

export const fullSession: Session = {
  ...assumedRoleSession,
  sourceAccessKeyId: 'AKIARZPUZDIKEXAMPLE1',
  sessionPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}',
  sessionPolicyArns: ['arn:aws:iam::123456789012:policy/ReadOnly', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess'],
  sessionPolicyHash: 'sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4',
  tags: [
    { key: 'Project', value: 'Latchkey' },
    { key: 'CostCenter', value: '' },
  ],
  transitiveTagKeys: ['Project'],
  sourceIdentity: 'alice@example.com',
  mfaAuthenticatedAt: T0 - 60,
  attributes: { provider: 'token.actions.githubusercontent.com', sub: 'repo:acme/app:ref:refs/heads/main' },
};

export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Every string obtained by replacing one character with a different base64url character. */
export function* singleCharacterEdits(text: string): Generator<{ index: number; edited: string }> {
  for (let index = 0; index < text.length; index++) {
    const original = text[index]!;
    const replacement = BASE64URL_ALPHABET[(BASE64URL_ALPHABET.indexOf(original) + 1) % 64] ?? 'A';
    yield { index, edited: text.slice(0, index) + replacement + text.slice(index + 1) };
  }
}

// Micro-benchmark of the keyring's hot paths and the sizes of the tokens it mints. A benchmark,
// not a test: it prints numbers and asserts nothing. Run: npm run bench -w @latchkey/keyring
import { randomBytes } from 'node:crypto';
import { BoundedCache, Keyring, decodeSessionToken, encodeSessionToken, generateMasterKey, type Session } from '../src/index.js';

const random = (size: number) => randomBytes(size);
const keyring = Keyring.fromText(generateMasterKey(random), { random });
const now = Date.now;
const issuedAt = Math.floor(now() / 1000);

const typical: Session = {
  type: 'AssumedRole',
  accessKeyId: 'ASIARZPUZDIKD5LCGAGW',
  secretAccessKey: randomBytes(30).toString('base64'),
  accountId: '123456789012',
  principalArn: 'arn:aws:sts::123456789012:assumed-role/Deploy/ci-run-42',
  principalId: 'AROARZPUZDIKEXAMPLE12:ci-run-42',
  roleArn: 'arn:aws:iam::123456789012:role/Deploy',
  issuedAt,
  expiresAt: issuedAt + 3600,
};
// A 2,048-character policy of distinct statements (random Sids and resource names), so
// compression is measured on something less repetitive than real policies usually are.
const statement = () =>
  `{"Sid":"${randomBytes(6).toString('hex')}","Effect":"Allow","Action":["iam:Get${randomBytes(3).toString('hex')}","s3:List*"],"Resource":"arn:aws:s3:::bucket-${randomBytes(5).toString('hex')}/*"}`;
const statements: string[] = [];
while (JSON.stringify(statements).length < 2100) statements.push(statement());
const bigPolicy = `{"Version":"2012-10-17","Statement":[${statements.join(',')}]}`.slice(0, 2048);
const largest: Session = {
  ...typical,
  sessionPolicy: bigPolicy,
  sessionPolicyArns: Array.from({ length: 10 }, (_, i) => `arn:aws:iam::123456789012:policy/team/ReadOnlyPolicyNumber${i}`),
  tags: Array.from({ length: 50 }, (_, i) => ({ key: `tag-key-${i}`, value: randomBytes(12).toString('base64') })),
  transitiveTagKeys: ['tag-key-1', 'tag-key-2'],
  sourceIdentity: 'alice@example.com',
  mfaAuthenticatedAt: issuedAt,
};

async function time(label: string, iterations: number, run: () => unknown): Promise<void> {
  for (let i = 0; i < Math.min(iterations, 500); i++) await run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await run();
  const micros = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  console.log(`${label.padEnd(44)} ${micros.toFixed(1).padStart(8)} µs/op ${Math.round(1e6 / micros).toString().padStart(9)} op/s`);
}

const typicalToken = await encodeSessionToken(typical, { keyring });
const largestToken = await encodeSessionToken(largest, { keyring });
const policyOnly = await encodeSessionToken({ ...typical, sessionPolicy: bigPolicy }, { keyring });
const hashOnly = await encodeSessionToken({ ...typical, sessionPolicyHash: randomBytes(32).toString('base64url') }, { keyring });
console.log(`token length, typical AssumeRole session       ${typicalToken.length}`);
console.log(`token length, + policy hash instead of policy  ${hashOnly.length}`);
console.log(`token length, + 2,048-char inline policy       ${policyOnly.length}`);
console.log(`token length, policy + 10 ARNs + 50 tags       ${largestToken.length}`);

const sealed = keyring.encrypt(typical.secretAccessKey, typical.accessKeyId);
await time('envelope encrypt (40-char secret)', 20_000, () => keyring.encrypt(typical.secretAccessKey, typical.accessKeyId));
await time('envelope decrypt', 20_000, () => keyring.decrypt(sealed, typical.accessKeyId));
await time('encodeSessionToken (typical)', 5_000, () => encodeSessionToken(typical, { keyring }));
await time('decodeSessionToken (typical)', 5_000, () => decodeSessionToken(typicalToken, { keyring, now }));
await time('decodeSessionToken (largest)', 2_000, () => decodeSessionToken(largestToken, { keyring, now }));
await time('decodeSessionToken (garbage, rejected early)', 20_000, () => decodeSessionToken('x'.repeat(500), { keyring, now }));
const cache = new BoundedCache<string, Session>(10_000);
cache.set(typicalToken, typical);
await time('BoundedCache.get (hit, 500-char key)', 200_000, () => cache.get(typicalToken));

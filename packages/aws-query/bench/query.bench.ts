// Throughput of the protocol layer alone (no HTTP): decode + read a realistic AssumeRole request,
// and render a CreateUser result and an error. Run: npx tsx --conditions=@latchkey/source bench/query.bench.ts
import { NoSuchEntity } from '@latchkey/errors';
import { iamConstraints as iam, stsConstraints as sts } from '@latchkey/model';
import { IAM_NAMESPACE, integer, list, parseQueryParams, readInput, renderError, renderResult, required, string, structure } from '../src/index.js';

const AssumeRole = structure({
  RoleArn: required(string(sts.roleArn)),
  RoleSessionName: required(string(sts.roleSessionName)),
  Policy: string(sts.unrestrictedSessionPolicy),
  DurationSeconds: integer(sts.assumeRoleDurationSeconds),
  ExternalId: string(sts.externalId),
  Tags: list(structure({ Key: required(string(sts.tagKey)), Value: required(string(sts.tagValue)) }), sts.tags),
  TransitiveTagKeys: list(string(sts.tagKey), sts.transitiveTagKeys),
  SerialNumber: string(sts.serialNumber),
  TokenCode: string(sts.tokenCode),
});
const body = new TextEncoder().encode(
  'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fsvc-reader&RoleSessionName=alice-session&DurationSeconds=900&ExternalId=ext-123&Policy=%7B%22Version%22%3A+%222012-10-17%22%2C+%22Statement%22%3A+%5B%7B%22Effect%22%3A+%22Allow%22%2C+%22Action%22%3A+%22s3%3AGetObject%22%2C+%22Resource%22%3A+%22%2A%22%7D%5D%7D&Tags.member.1.Key=project&Tags.member.1.Value=x&TransitiveTagKeys.member.1=project&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice&TokenCode=123456',
);
const user = { User: { Path: '/eng/', UserName: 'alice', UserId: 'AIDARZPUZDIKCBRT4Q6UJ', Arn: 'arn:aws:iam::123456789012:user/eng/alice', CreateDate: new Date(), Tags: [{ Key: 'team', Value: 'core' }] } };
void iam;

function measure(name: string, fn: () => unknown): void {
  for (let i = 0; i < 20_000; i++) fn();
  const n = 200_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = performance.now() - start;
  console.log(`${name}: ${Math.round(n / (ms / 1000)).toLocaleString('en')} ops/s (${((ms * 1000) / n).toFixed(2)} µs/op)`);
}

measure('parseQueryParams + readInput (AssumeRole, 11 params)', () => readInput(AssumeRole, parseQueryParams(body)));
measure('renderResult (CreateUser)', () => renderResult('CreateUser', IAM_NAMESPACE, user, 'c6104cbe-af31-11e0-8154-cbc7ccf896c7'));
const err = new NoSuchEntity('The user with name nobody cannot be found.');
measure('renderError (NoSuchEntity)', () => renderError(err, IAM_NAMESPACE, 'c6104cbe-af31-11e0-8154-cbc7ccf896c7'));

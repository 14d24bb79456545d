// The benchmarks' Latchkey server: a real one (the CLI, from the workspace sources) on a temporary
// data directory, its account's root IAM client, and a helper for users with a policy and a key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CLI_MAIN, spawnListening, type Spawned } from '../test/helpers/processes.js';

export const BENCH_ACCOUNT = '111122223333';
const ROOT = { accessKeyId: 'AKIABENCHTEST0000001', secretAccessKey: 'bench/Test+Secret0123456789abcdefghijklm' };

export interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface BenchLatchkey {
  readonly latchkey: Spawned;
  readonly iam: IAMClient;
  /** Creates a user with one inline policy and an access key. */
  userWithKey(name: string, policy: string): Promise<Keys>;
  stop(): Promise<void>;
}

export const policyDocument = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

export async function startBenchLatchkey(): Promise<BenchLatchkey> {
  const tmp = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  const latchkey = await spawnListening(
    CLI_MAIN,
    ['server', '--port', '0', '--data-dir', join(tmp, 'data'), '--log-level', 'warn'],
    { LATCHKEY_ACCOUNT_ID: BENCH_ACCOUNT, LATCHKEY_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, LATCHKEY_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
    tmp,
  );
  const iam = new IAMClient({ endpoint: latchkey.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  return {
    latchkey,
    iam,
    async userWithKey(name, policy) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: policy }));
      const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    },
    async stop() {
      iam.destroy();
      await latchkey.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

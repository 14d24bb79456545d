import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CreatedAccount } from '@latchkey/iam';
import type { LatchkeyServices } from '@latchkey/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli-io.js';
import { runLogin } from '../src/commands/login.js';
import { upsertProfile } from '../src/login/aws-credentials-file.js';
import { runCli } from '../src/run-cli.js';
import { startLatchkey, totp, type LatchkeyTestServer } from './helpers/latchkey-server.js';

const PASSWORD = 'Login-Pass-42!';

let wiring: LatchkeyServices;
let url: string;
let account: CreatedAccount;
let dir: string;
let server: LatchkeyTestServer;
const iam = (action: string, values: Record<string, string> = {}) => server.iam(action, values);

beforeAll(async () => {
  server = await startLatchkey();
  ({ wiring, url, account } = server);
  dir = await mkdtemp(join(tmpdir(), 'latchkey-login-'));
  await iam('CreateAccountAlias', { AccountAlias: 'login-corp' });
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

function io(): CliIo & { err: () => string } {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout: new PassThrough(), stderr, stdin: new PassThrough(), cwd: dir, err: () => err };
}

/** Answers the prompts in order and records the questions. */
function answers(...values: string[]) {
  const asked: string[] = [];
  return {
    asked,
    prompt: async (question: string) => {
      asked.push(question);
      const v = values.shift();
      if (v === undefined) throw new Error(`unexpected prompt: ${question}`);
      return v;
    },
  };
}

async function userWithPassword(name: string, reset = false): Promise<void> {
  await iam('CreateUser', { UserName: name });
  await iam('CreateLoginProfile', { UserName: name, Password: PASSWORD, PasswordResetRequired: String(reset) });
}

const parse = (text: string): Record<string, Record<string, string>> => {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const line of text.split('\n')) {
    const s = /^\[(.+)\]$/.exec(line.trim());
    if (s) out[(section = s[1]!)] = {};
    const kv = /^\s*([\w]+)\s*=\s*(.*)$/.exec(line);
    if (kv && section) out[section]![kv[1]!] = kv[2]!;
  }
  return out;
};

describe('upsertProfile', () => {
  it('appends a new profile, and replaces only the credential keys of an existing one', () => {
    const creds = { aws_access_key_id: 'ASIANEW', aws_secret_access_key: 'secret-new', aws_session_token: 'token-new' };
    expect(upsertProfile('', 'dev', creds)).toBe('[dev]\naws_access_key_id = ASIANEW\naws_secret_access_key = secret-new\naws_session_token = token-new\n');
    const before = '# mine\n[default]\naws_access_key_id = AKIAOLD\naws_secret_access_key = old\n\n[dev]\nregion = eu-west-1\naws_session_token = stale\naws_access_key_id=ASIAOLD\n[other]\naws_access_key_id = AKIAOTHER\n';
    const after = parse(upsertProfile(before, 'dev', creds));
    expect(after.default).toEqual({ aws_access_key_id: 'AKIAOLD', aws_secret_access_key: 'old' });
    expect(after.dev).toEqual({ region: 'eu-west-1', ...creds });
    expect(after.other).toEqual({ aws_access_key_id: 'AKIAOTHER' });
    expect(upsertProfile(before, 'dev', creds)).toContain('# mine\n');
  });
});

describe('latchkey login', () => {
  it('signs in with the prompted password and writes a 0600 profile the STS session resolves from', async () => {
    await userWithPassword('login-alice');
    const file = join(dir, 'creds-alice');
    await writeFile(file, '[keep]\naws_access_key_id = AKIAKEEP\n');
    const p = answers(PASSWORD);
    const out = io();
    const code = await runLogin(['--account', 'login-corp', '--user', 'login-alice', '--profile', 'work', '--endpoint', url, '--duration-seconds', '900'], out, {
      env: { AWS_SHARED_CREDENTIALS_FILE: file },
      home: '/nonexistent',
      fetch: globalThis.fetch,
      prompt: p.prompt,
    });
    expect(code, out.err()).toBe(0);
    expect(p.asked).toEqual(['Password for login-alice in login-corp: ']);
    expect(out.err()).toContain(`Signed in as arn:aws:iam::${account.accountId}:user/login-alice`);
    expect(out.err()).not.toContain(PASSWORD);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const written = parse(await readFile(file, 'utf8'));
    expect(written.keep).toEqual({ aws_access_key_id: 'AKIAKEEP' });
    const work = written.work!;
    expect(work.aws_access_key_id).toMatch(/^ASIA/);
    expect(out.err()).not.toContain(work.aws_secret_access_key!);
    const session = await wiring.sts.resolveSessionCredentials(work.aws_access_key_id!, work.aws_session_token!, new Date());
    expect(session.principal.arn).toBe(`arn:aws:iam::${account.accountId}:user/login-alice`);
    expect(session.secretAccessKey).toBe(work.aws_secret_access_key);
  });

  it.skipIf(!hasAwsCli())('writes a profile the aws CLI uses as is', async () => {
    await userWithPassword('login-cli');
    const file = join(dir, 'creds-cli');
    const env = { AWS_SHARED_CREDENTIALS_FILE: file, AWS_ENDPOINT_URL_STS: url };
    expect(await runLogin(['--account', account.accountId, '--user', 'login-cli', '--profile', 'cli'], io(), { env, home: '/nonexistent', fetch: globalThis.fetch, prompt: answers(PASSWORD).prompt })).toBe(0);
    // Asynchronously: the server answering the CLI runs in this process.
    const who = await new Promise<string>((resolve, reject) =>
      execFile(
        'aws',
        ['--profile', 'cli', 'sts', 'get-caller-identity', '--output', 'json'],
        { env: { PATH: process.env.PATH, HOME: '/nonexistent', AWS_CONFIG_FILE: '/dev/null', AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', ...env }, encoding: 'utf8', timeout: 60_000 },
        (err, stdout, stderr) => (err === null ? resolve(stdout) : reject(new Error(stderr))),
      ),
    );
    expect(JSON.parse(who).Arn).toBe(`arn:aws:iam::${account.accountId}:user/login-cli`);
  }, 60_000);

  it('asks for the MFA device and code when the server requires them, and the session is MFA-authenticated', async () => {
    await userWithPassword('login-mfa');
    const device = (await iam('CreateVirtualMFADevice', { VirtualMFADeviceName: 'login-mfa-dev' })) as { VirtualMFADevice: { SerialNumber: string; Base32StringSeed: Uint8Array | string } };
    const serial = device.VirtualMFADevice.SerialNumber;
    const rawSeed = device.VirtualMFADevice.Base32StringSeed;
    const seed = typeof rawSeed === 'string' ? rawSeed : Buffer.from(rawSeed).toString('utf8');
    const step = Math.floor(Date.now() / 30_000);
    await iam('EnableMFADevice', { UserName: 'login-mfa', SerialNumber: serial, AuthenticationCode1: totp(seed, step - 1), AuthenticationCode2: totp(seed, step) });
    const file = join(dir, 'creds-mfa');
    const p = answers(PASSWORD, serial, totp(seed, step + 1));
    const out = io();
    const code = await runLogin(['--account', account.accountId, '--user', 'login-mfa', '--endpoint', url], out, { env: { AWS_SHARED_CREDENTIALS_FILE: file }, home: '/nonexistent', fetch: globalThis.fetch, prompt: p.prompt });
    expect(code, out.err()).toBe(0);
    expect(p.asked).toHaveLength(3);
    expect(p.asked[2]).toBe(`MFA code for ${serial}: `);
    const d = parse(await readFile(file, 'utf8')).default!;
    const session = await wiring.sts.resolveSessionCredentials(d.aws_access_key_id!, d.aws_session_token!, new Date());
    expect(session.session.mfaAuthenticatedAt).toBeDefined();
    // The same code again is refused (each code once).
    const again = io();
    expect(await runLogin(['--account', account.accountId, '--user', 'login-mfa', '--endpoint', url, '--mfa-serial', serial], again, { env: { AWS_SHARED_CREDENTIALS_FILE: file }, home: '/nonexistent', fetch: globalThis.fetch, prompt: answers(PASSWORD, totp(seed, step + 1)).prompt })).toBe(1);
    expect(again.err()).toContain('latchkey login: AccessDenied');
  });

  it('fails with the server reason for a wrong password or a forced change, and leaves the file alone', async () => {
    await userWithPassword('login-bob');
    await userWithPassword('login-reset', true);
    const file = join(dir, 'creds-untouched');
    await writeFile(file, '[default]\naws_access_key_id = AKIAUNTOUCHED\n');
    const wrong = io();
    expect(await runLogin(['--account', account.accountId, '--user', 'login-bob', '--endpoint', url], wrong, { env: { AWS_SHARED_CREDENTIALS_FILE: file }, home: '/x', fetch: globalThis.fetch, prompt: answers('not-it').prompt })).toBe(1);
    expect(wrong.err()).toBe('latchkey login: AccessDenied: Your authentication information is incorrect. Please try again.\n');
    const reset = io();
    expect(await runLogin(['--account', account.accountId, '--user', 'login-reset', '--endpoint', url], reset, { env: { AWS_SHARED_CREDENTIALS_FILE: file }, home: '/x', fetch: globalThis.fetch, prompt: answers(PASSWORD).prompt })).toBe(1);
    expect(reset.err()).toContain('latchkey login: PasswordResetRequired:');
    expect(reset.err()).toContain('iam:ChangePassword');
    expect(await readFile(file, 'utf8')).toBe('[default]\naws_access_key_id = AKIAUNTOUCHED\n');
  });

  it('reads the password from piped standard input when there is no terminal, and ~/.aws/credentials by default', async () => {
    await userWithPassword('login-pipe');
    const home = join(dir, 'home');
    const out = io();
    (out.stdin as PassThrough).end(`${PASSWORD}\n`);
    expect(await runLogin(['--account', account.accountId, '--user', 'login-pipe', '--endpoint', url], out, { env: {}, home, fetch: globalThis.fetch })).toBe(0);
    expect(parse(await readFile(join(home, '.aws', 'credentials'), 'utf8')).default?.aws_access_key_id).toMatch(/^ASIA/);
  });

  it('is a usage error (exit 2) without --account/--user or an endpoint', async () => {
    const out = io();
    expect(await runCli(['login', '--user', 'x', '--endpoint', url], out, { version: 'test' })).toBe(2);
    expect(out.err()).toContain('--account and --user are required');
    const noEndpoint = io();
    expect(await runLogin(['--account', account.accountId, '--user', 'x'], noEndpoint, { env: {}, home: '/x', fetch: globalThis.fetch, prompt: answers().prompt }).catch((e: Error) => e.message)).toContain('--endpoint');
  });
});

function hasAwsCli(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

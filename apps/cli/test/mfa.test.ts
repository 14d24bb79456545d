import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CreatedAccount } from '@latchkey/iam';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli-io.js';
import { otpauthUriFor, runMfaEnable } from '../src/commands/mfa.js';
import { runCli } from '../src/run-cli.js';
import { UsageError } from '../src/usage-error.js';
import { startLatchkey, totp, type LatchkeyTestServer } from './helpers/latchkey-server.js';

let url: string;
let account: CreatedAccount;
let dir: string;
let server: LatchkeyTestServer;
const iam = (action: string, values: Record<string, string> = {}) => server.iam(action, values);

beforeAll(async () => {
  server = await startLatchkey();
  ({ url, account } = server);
  dir = await mkdtemp(join(tmpdir(), 'latchkey-mfa-'));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const rootCredentials = () => ({ accessKeyId: account.rootAccessKeyId, secretAccessKey: account.rootSecretAccessKey });

/**
 * Captured output and a pipe (not a terminal) for standard input. Once the command shows the
 * key, `codes(seed)` is written to stdin as two lines, as a person would type what the app shows.
 */
function pipeIo(codes: (seed: string) => [string, string]): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  let answered = false;
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
    const key = /enter this key by hand: ([A-Z2-7]+)\n/.exec(err);
    if (key !== null && !answered) {
      answered = true;
      const [c1, c2] = codes(key[1]!);
      stdin.write(`${c1}\n${c2}\n`);
    }
  });
  return { stdout, stderr, stdin, cwd: dir, out: () => out, err: () => err };
}

/** The app's two consecutive codes: the previous step's and the current one's. */
const appCodes = (seed: string): [string, string] => {
  const step = Math.floor(Date.now() / 30_000);
  return [totp(seed, step - 1), totp(seed, step)];
};

type Devices = { VirtualMFADevices: { SerialNumber: string; User?: { UserName: string } }[] };

describe('latchkey mfa enable', () => {
  it('creates the device, shows the otpauth URI as a terminal QR code, takes two codes from a pipe and enables it', async () => {
    await iam('CreateUser', { UserName: 'mfa-alice' });
    const io = pipeIo(appCodes);
    const code = await runMfaEnable(['--user', 'mfa-alice', '--device-name', 'alice-phone', '--endpoint-url', url], io, { client: { credentials: rootCredentials() } });
    expect(code, io.err()).toBe(0);
    const serial = `arn:aws:iam::${account.accountId}:mfa/alice-phone`;
    expect(io.out()).toBe(`${serial}\n`);
    const seed = /enter this key by hand: ([A-Z2-7]+)\n/.exec(io.err())![1]!;
    expect(seed).toHaveLength(64);
    const uri = `otpauth://totp/Latchkey:alice-phone%40${account.accountId}?secret=${seed}&issuer=Latchkey`;
    expect(otpauthUriFor(serial, seed, 'Latchkey')).toBe(uri);
    expect(io.err()).toContain(await QRCode.toString(uri, { type: 'utf8', errorCorrectionLevel: 'M' }));
    const assigned = (await iam('ListVirtualMFADevices', { AssignmentStatus: 'Assigned' })) as Devices;
    expect(assigned.VirtualMFADevices.find((d) => d.SerialNumber === serial)?.User?.UserName).toBe('mfa-alice');
  });

  it('refuses wrong codes with the server\'s error, deletes the new device again and exits 1', async () => {
    await iam('CreateUser', { UserName: 'mfa-bob' });
    const io = pipeIo((seed) => {
      const [c1, c2] = appCodes(seed);
      // Both of the app's codes, in the wrong order: never two consecutive steps.
      return [c2, c1];
    });
    const code = await runMfaEnable(['--user', 'mfa-bob', '--endpoint-url', url], io, { client: { credentials: rootCredentials() } });
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('EnableMFADevice failed: InvalidAuthenticationCode: ');
    expect(io.err()).toContain('the new device was deleted again');
    const all = (await iam('ListVirtualMFADevices')) as Devices;
    expect(all.VirtualMFADevices.map((d) => d.SerialNumber)).not.toContain(`arn:aws:iam::${account.accountId}:mfa/mfa-bob`);
  });

  it('reports a refused CreateVirtualMFADevice (unknown credentials) without asking for codes', async () => {
    const io = pipeIo(appCodes);
    const code = await runMfaEnable(['--user', 'mfa-carol', '--endpoint-url', url], io, {
      client: { credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
    });
    expect(code).toBe(1);
    expect(io.err()).toMatch(/CreateVirtualMFADevice failed: InvalidClientTokenId: /);
    expect(io.err()).not.toContain('QR code');
  });

  it('refuses a malformed code locally, and still cleans up', async () => {
    await iam('CreateUser', { UserName: 'mfa-dave' });
    const io = pipeIo(() => ['12345', 'abcdef']);
    expect(await runMfaEnable(['--user', 'mfa-dave', '--endpoint-url', url], io, { client: { credentials: rootCredentials() } })).toBe(1);
    expect(io.err()).toContain('a code is six digits; the new device was deleted again');
  });

  it('rejects invocation mistakes as usage errors', async () => {
    const io = pipeIo(appCodes);
    await expect(runMfaEnable([], io)).rejects.toThrow(new UsageError('--user is required'));
    await expect(runMfaEnable(['--user', 'bad name'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(runMfaEnable(['--user', 'ok', '--device-name', 'a/b'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(runMfaEnable(['--user', 'ok', '--endpoint-url', 'ftp://x'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(runMfaEnable(['--user', 'ok', '--bogus'], io)).rejects.toBeInstanceOf(UsageError);
  });

  it('runs as `latchkey mfa enable` with a named profile from the shared credentials file', async () => {
    await iam('CreateUser', { UserName: 'mfa-erin' });
    const file = join(dir, 'credentials');
    await writeFile(file, `[admin]\naws_access_key_id = ${account.rootAccessKeyId}\naws_secret_access_key = ${account.rootSecretAccessKey}\n`);
    const saved = { ...process.env };
    // The command's own process boundary: the SDK reads the environment and files itself.
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IAM']) delete process.env[name];
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    process.env.AWS_CONFIG_FILE = join(dir, 'no-config');
    try {
      const io = pipeIo(appCodes);
      const code = await runCli(['mfa', 'enable', '--user', 'mfa-erin', '--profile', 'admin', '--endpoint-url', url], io, { version: 'test' });
      expect(code, io.err()).toBe(0);
      expect(io.out()).toBe(`arn:aws:iam::${account.accountId}:mfa/mfa-erin\n`);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('is listed in `latchkey mfa --help`', async () => {
    const io = pipeIo(appCodes);
    expect(await runCli(['mfa', '--help'], io, { version: 'test' })).toBe(0);
    expect(io.out()).toMatch(/enable\s+create a virtual MFA device/);
  });
});

import { CreateVirtualMFADeviceCommand, DeleteVirtualMFADeviceCommand, EnableMFADeviceCommand, IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import QRCode from 'qrcode';
import type { CliIo } from '../cli-io.js';
import { commandGroup } from '../command-group.js';
import type { Command } from '../command.js';
import { terminalPrompt, type Prompt } from '../login/prompt.js';
import { parseOptions } from '../parse-options.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error.js';

const help = `Usage: latchkey mfa enable --user <name> [--device-name <name>] [--endpoint-url <url>]
                           [--profile <name>] [--issuer <name>]

Creates a virtual MFA device on the Latchkey server (CreateVirtualMFADevice), shows it as a QR
code in the terminal for an authenticator app, asks for two consecutive codes from the app and
assigns the device to the user (EnableMFADevice). Prints the device's serial number (its ARN)
on standard output; everything else goes to standard error.

The call is signed with the credentials the AWS SDK finds (environment, --profile / AWS_PROFILE,
the shared credentials and config files) and sent to --endpoint-url, else AWS_ENDPOINT_URL_IAM
or AWS_ENDPOINT_URL. Without a terminal the two codes are read as lines from standard input.
If the codes are refused, the new device is deleted again so the name can be reused.

Options:
  --user U             the IAM user to protect (required)
  --device-name N      the virtual MFA device's name (default: the user name)
  --endpoint-url URL   the Latchkey endpoint
  --profile P          the AWS profile to sign with
  --issuer I           the issuer authenticator apps show (default: Latchkey)
  -h, --help           show this help

Exit status: 0 enabled, 1 refused by the server, 2 usage error.
`;

const OPTIONS = {
  user: { type: 'string' },
  'device-name': { type: 'string' },
  'endpoint-url': { type: 'string' },
  profile: { type: 'string' },
  issuer: { type: 'string' },
} as const;

/** What the command needs from outside: SDK settings (tests pass credentials) and the prompt. */
export interface MfaEnableDeps {
  /** Merged into the IAMClient configuration (the SDK's own defaults otherwise). */
  readonly client?: Partial<IAMClientConfig>;
  /** Default: prompts on stderr, answers from stdin. */
  readonly prompt?: Prompt;
}

// AWS's iam model: an MFA device name is 1-226 of [\w+=,.@-] (the SerialNumber's last part).
const DEVICE_NAME = /^[\w+=,.@-]{1,226}$/;
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const CODE = /^\d{6}$/;

/**
 * The otpauth URI an authenticator app reads (RFC 6238 defaults: SHA-1, 6 digits, 30 s), labelled
 * `<issuer>:<device>@<account>` as the server's own QR code is.
 */
export function otpauthUriFor(serialNumber: string, base32Seed: string, issuer: string): string {
  const arn = /^arn:aws:iam::(\d{12}):mfa\/(?:.*\/)?([^/]+)$/.exec(serialNumber);
  const label = arn === null ? serialNumber : `${arn[2]!}@${arn[1]!}`;
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(label)}?secret=${base32Seed}&issuer=${encodeURIComponent(issuer)}`;
}

/**
 * An AWS SDK error as `Code: message`: the wire's error code where the SDK kept it (its class
 * names add `Exception` to some), else the SDK's name.
 */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { Code?: unknown }).Code;
  return `${typeof code === 'string' ? code : error.name}: ${error.message}`;
}

/** `latchkey mfa enable`: create, show, confirm with two codes, enable. */
export async function runMfaEnable(args: readonly string[], io: CliIo, deps: MfaEnableDeps = {}): Promise<number> {
  const { values } = parseOptions(args, OPTIONS, false);
  const str = (name: keyof typeof OPTIONS): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const user = str('user');
  if (user === undefined) throw new UsageError('--user is required');
  if (!USER_NAME.test(user)) throw new UsageError(`--user must be 1-64 of letters, digits and + = , . @ _ -, got '${user}'`);
  const deviceName = str('device-name') ?? user;
  if (!DEVICE_NAME.test(deviceName)) throw new UsageError(`--device-name must be 1-226 of letters, digits and + = , . @ _ -, got '${deviceName}'`);
  const endpoint = str('endpoint-url');
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) throw new UsageError(`--endpoint-url must be an http(s) URL, got '${endpoint}'`);
  const profile = str('profile');
  const issuer = str('issuer') ?? 'Latchkey';

  // IAM is a global service: its requests are signed for us-east-1 whatever the profile's region.
  const client = new IAMClient({
    region: 'us-east-1',
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(profile === undefined ? {} : { profile }),
    ...deps.client,
  });
  const own = deps.prompt === undefined ? terminalPrompt(io.stdin, io.stderr) : undefined;
  const prompt = deps.prompt ?? own!.prompt;
  try {
    let created;
    try {
      created = await client.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
    } catch (error) {
      io.stderr.write(`latchkey mfa enable: CreateVirtualMFADevice failed: ${describeError(error)}\n`);
      return EXIT_FAILURE;
    }
    const serial = created.VirtualMFADevice?.SerialNumber;
    const seedBlob = created.VirtualMFADevice?.Base32StringSeed;
    if (serial === undefined || seedBlob === undefined) {
      io.stderr.write('latchkey mfa enable: the server returned no serial number or seed\n');
      return EXIT_FAILURE;
    }
    const seed = new TextDecoder().decode(seedBlob);
    const qr = await QRCode.toString(otpauthUriFor(serial, seed, issuer), { type: 'utf8', errorCorrectionLevel: 'M' });
    io.stderr.write(`Scan this QR code with an authenticator app (device ${serial}):\n\n${qr}\n`);
    io.stderr.write(`Or enter this key by hand: ${seed}\n\n`);

    const code1 = (await prompt('First code from the app: ', { hidden: true })).trim();
    const code2 = (await prompt('Next code (wait for the app to show a new one): ', { hidden: true })).trim();
    let refusal: string | undefined;
    if (!CODE.test(code1) || !CODE.test(code2)) refusal = 'a code is six digits';
    else {
      try {
        await client.send(new EnableMFADeviceCommand({ UserName: user, SerialNumber: serial, AuthenticationCode1: code1, AuthenticationCode2: code2 }));
      } catch (error) {
        refusal = `EnableMFADevice failed: ${describeError(error)}`;
      }
    }
    if (refusal !== undefined) {
      // Leave nothing half-made behind: an unassigned device would block the name.
      const cleanup = await client.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })).then(
        () => 'the new device was deleted again',
        (error: unknown) => `the unassigned device ${serial} could not be deleted (${describeError(error)})`,
      );
      io.stderr.write(`latchkey mfa enable: ${refusal}; ${cleanup}\n`);
      return EXIT_FAILURE;
    }
    io.stderr.write(`MFA device enabled for ${user}.\n`);
    io.stdout.write(`${serial}\n`);
    return EXIT_OK;
  } finally {
    own?.close();
    client.destroy();
  }
}

export const mfaEnableCommand: Command = {
  name: 'enable',
  summary: 'create a virtual MFA device for a user, show its QR code and enable it with two codes',
  help,
  run: (args: readonly string[], io: CliIo) => runMfaEnable(args, io),
};

export const mfaCommand = commandGroup('mfa', 'virtual MFA devices for people', [mfaEnableCommand]);

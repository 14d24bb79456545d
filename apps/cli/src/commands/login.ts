import { homedir } from 'node:os';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { credentialsFilePath, writeProfile } from '../login/aws-credentials-file.js';
import { terminalPrompt, type Prompt } from '../login/prompt.js';
import { parseOptions } from '../parse-options.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error.js';

const help = `Usage: latchkey login --account <id or alias> --user <name> [--profile <name>]
                      [--endpoint <url>] [--mfa-serial <arn>] [--duration-seconds <n>]

Signs an IAM user in with its password (Latchkey's password sign-in, the STS action
LatchkeySignIn: a Latchkey extension, not an AWS API) and writes the temporary credentials
(aws_access_key_id, aws_secret_access_key, aws_session_token) under the profile in the AWS
shared credentials file ($AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), so the aws
CLI, boto3 and the SDKs use them with --profile / AWS_PROFILE. Other profiles and the
profile's other settings are kept; the file is written with mode 0600.

The password is prompted for (not echoed on a terminal), then the MFA code when the user has a
device; without a terminal both are read as lines from standard input.

Options:
  --account A           the account id (12 digits) or its alias
  --user U              the IAM user name
  --profile P           the profile to write (default: default)
  --endpoint URL        the Latchkey endpoint (default: $AWS_ENDPOINT_URL_STS, else $AWS_ENDPOINT_URL)
  --mfa-serial ARN      the user's MFA device (asked for when the server requires one)
  --duration-seconds N  900 to 129600 (default 43200, 12 hours)
  -h, --help            show this help

Exit status: 0 signed in, 1 refused (wrong password, locked, password change required, …),
2 usage error.
`;

const OPTIONS = {
  account: { type: 'string' },
  user: { type: 'string' },
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  'mfa-serial': { type: 'string' },
  'duration-seconds': { type: 'string' },
} as const;

export interface LoginDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly fetch: typeof fetch;
  /** Default: prompts on stderr, answers from stdin. */
  readonly prompt?: Prompt;
}

interface SignInAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly fields: Readonly<Record<string, string>>;
}

const unescapeXml = (s: string): string => s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

function field(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m === null ? undefined : unescapeXml(m[1]!);
}

async function signIn(deps: LoginDeps, endpoint: string, params: Record<string, string>): Promise<SignInAnswer> {
  const body = new URLSearchParams({ Action: 'LatchkeySignIn', Version: '2011-06-15', ...params }).toString();
  const res = await deps.fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body, redirect: 'error' });
  const xml = await res.text();
  const fields: Record<string, string> = {};
  for (const name of ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration', 'Arn', 'Code', 'Message']) {
    const v = field(xml, name);
    if (v !== undefined) fields[name] = v;
  }
  return { ok: res.ok && fields.SessionToken !== undefined, status: res.status, fields };
}

// The server's answer when the user has an MFA device and no code was sent (see @latchkey/sts sign-in.ts).
const needsMfa = (a: SignInAnswer): boolean => a.fields.Code === 'AccessDenied' && (a.fields.Message ?? '').includes('SerialNumber and TokenCode');

/** `latchkey login`: password sign-in into a profile of the AWS credentials file. */
export async function runLogin(args: readonly string[], io: CliIo, deps: LoginDeps): Promise<number> {
  const { values } = parseOptions(args, OPTIONS, false);
  const str = (name: keyof typeof OPTIONS): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const account = str('account');
  const user = str('user');
  if (account === undefined || user === undefined) throw new UsageError('--account and --user are required');
  const profile = str('profile') ?? 'default';
  if (!/^[\w.+@-]+$/.test(profile)) throw new UsageError(`--profile must be letters, digits and . _ + @ -, got '${profile}'`);
  const endpoint = str('endpoint') ?? deps.env.AWS_ENDPOINT_URL_STS ?? deps.env.AWS_ENDPOINT_URL;
  if (endpoint === undefined || !/^https?:\/\//.test(endpoint)) throw new UsageError('--endpoint <http(s) URL> is required (or set AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL)');
  const duration = str('duration-seconds');
  if (duration !== undefined && !/^\d+$/.test(duration)) throw new UsageError(`--duration-seconds must be a number of seconds, got '${duration}'`);
  let serial = str('mfa-serial');

  const own = deps.prompt === undefined ? terminalPrompt(io.stdin, io.stderr) : undefined;
  const prompt = deps.prompt ?? own!.prompt;
  try {
    const password = await prompt(`Password for ${user} in ${account}: `, { hidden: true });
    const base: Record<string, string> = { Account: account, UserName: user, Password: password, ...(duration === undefined ? {} : { DurationSeconds: duration }) };
    const withMfa = async (): Promise<Record<string, string>> => {
      serial ??= (await prompt('MFA device serial (arn:aws:iam::ACCOUNT:mfa/NAME): ')).trim();
      const code = (await prompt(`MFA code for ${serial}: `, { hidden: true })).trim();
      return { ...base, SerialNumber: serial, TokenCode: code };
    };
    let answer = await signIn(deps, endpoint, serial === undefined ? base : await withMfa());
    if (!answer.ok && serial === undefined && needsMfa(answer)) answer = await signIn(deps, endpoint, await withMfa());
    if (!answer.ok) {
      io.stderr.write(`latchkey login: ${answer.fields.Code ?? `HTTP ${answer.status}`}: ${answer.fields.Message ?? 'the endpoint gave no error message'}\n`);
      return EXIT_FAILURE;
    }
    const f = answer.fields;
    const path = credentialsFilePath(deps.env, deps.home);
    await writeProfile(path, profile, { aws_access_key_id: f.AccessKeyId!, aws_secret_access_key: f.SecretAccessKey!, aws_session_token: f.SessionToken! });
    io.stderr.write(`Signed in as ${f.Arn ?? user}. Credentials for profile '${profile}' written to ${path}, valid until ${f.Expiration ?? 'unknown'}.\n`);
    io.stderr.write(`Use them with: aws --profile ${profile} sts get-caller-identity   (or export AWS_PROFILE=${profile})\n`);
    return EXIT_OK;
  } finally {
    own?.close();
  }
}

export const loginCommand: Command = {
  name: 'login',
  summary: 'sign in with a password (+ MFA) and write temporary credentials into an AWS profile',
  help,
  // The command is the process boundary for login: the environment and home directory are read here.
  run: (args: readonly string[], io: CliIo) => runLogin(args, io, { env: process.env, home: homedir(), fetch: globalThis.fetch }),
};

/** A command-line or environment mistake: the message is for the person starting the service. */
export class ConfigError extends Error {}

export interface ServiceConfig {
  readonly port: number;
  readonly host: string;
  /** The Latchkey server (its internal API): `http://127.0.0.1:4566`. */
  readonly latchkeyEndpoint: string;
  /** Region the internal API calls are signed for. */
  readonly region: string;
  /** A shared-credentials profile for the service's own credentials; else the default chain (AWS_ACCESS_KEY_ID/…, AWS_PROFILE, …). */
  readonly profile?: string;
  readonly account?: string;
  readonly cacheTtlMs?: number;
  /** Print one JSON line per authorization decision to stdout (secrets masked). */
  readonly logDecisions: boolean;
}

export const USAGE = `Usage: latchkey-example-service --latchkey-endpoint URL [options]

An orders service protected by @latchkey/express. Its own Latchkey credentials come from the
environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or a profile.

Options:
  --port, -p N               port to listen on (default 8080; 0 picks a free one)      [PORT]
  --host H                   address to bind (default 127.0.0.1)
  --latchkey-endpoint URL    the Latchkey server                                   [LATCHKEY_ENDPOINT]
  --region R                 region for the internal API signature (default us-east-1) [AWS_REGION]
  --profile NAME             shared-credentials profile for the service's own key  [AWS_PROFILE]
  --account ID               the account owning the orders (default: each caller's)
  --cache-ttl-ms N           how soon key or policy changes take effect (default 5000)
  --log-decisions            one JSON line per authorization decision on stdout
  --help                     this text
`;

const FLAGS_WITH_VALUES = new Set(['--port', '-p', '--host', '--latchkey-endpoint', '--region', '--profile', '--account', '--cache-ttl-ms']);
const FLAGS = new Set([...FLAGS_WITH_VALUES, '--log-decisions', '--help']);

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})`);
  return n;
}

/** Parses the command line (`--flag value` or `--flag=value`) and environment; `'help'` for --help. */
export function parseServiceConfig(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ServiceConfig | 'help' {
  const values = new Map<string, string>();
  let logDecisions = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!FLAGS.has(flag)) throw new ConfigError(`unknown option ${JSON.stringify(arg)}`);
    if (flag === '--help') return 'help';
    if (flag === '--log-decisions') {
      logDecisions = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    values.set(flag === '-p' ? '--port' : flag, value);
  }
  const endpoint = values.get('--latchkey-endpoint') ?? env.LATCHKEY_ENDPOINT;
  if (endpoint === undefined || endpoint === '') throw new ConfigError('--latchkey-endpoint (or LATCHKEY_ENDPOINT) is required: the Latchkey server URL, e.g. http://127.0.0.1:4566');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`--latchkey-endpoint is not a URL: ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('--latchkey-endpoint must be an http(s) URL');
  const account = values.get('--account');
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new ConfigError('--account must be a 12-digit account id');
  const ttl = values.get('--cache-ttl-ms');
  const profile = values.get('--profile') ?? env.AWS_PROFILE;
  return {
    port: integer('--port', values.get('--port') ?? env.PORT ?? '8080', 0, 65535),
    host: values.get('--host') ?? '127.0.0.1',
    latchkeyEndpoint: url.origin,
    region: values.get('--region') ?? env.AWS_REGION ?? 'us-east-1',
    logDecisions,
    ...(profile === undefined || profile === '' ? {} : { profile }),
    ...(account === undefined ? {} : { account }),
    ...(ttl === undefined ? {} : { cacheTtlMs: integer('--cache-ttl-ms', ttl, 0, 3_600_000) }),
  };
}

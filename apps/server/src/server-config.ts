import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseOidcJwksOptions } from './jwks-fetcher.js';

/** Default port: the one AWS-endpoint tooling habitually points at (`AWS_ENDPOINT_URL=http://127.0.0.1:4566`). */
export const DEFAULT_PORT = 4566;
/** Loopback only by default: exposing credentials management on all interfaces must be a decision. */
export const DEFAULT_HOST = '127.0.0.1';
/** Relative to the working directory. */
export const DEFAULT_DATA_DIR = '.latchkey';
export const SQLITE_FILE = 'latchkey.db';
export const MASTER_KEY_FILE = 'master.key';
/** The region printed for clients; any valid region signs, IAM has no regions. */
export const DEFAULT_REGION = 'us-east-1';

/** Bad command-line options or environment values: exit status 2 with this message. */
export class ConfigError extends Error {
  override get name(): string {
    return 'ConfigError';
  }
}

/** The environment variables Latchkey reads, by name (only `main` files pass `process.env`). */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface GivenRootCredentials {
  readonly accountId?: string;
  readonly rootAccessKeyId?: string;
  readonly rootSecretAccessKey?: string;
}

/** Where the data lives: shared by `server`, `init` and `account`. */
export interface StorageConfig {
  /** Absolute. Holds the SQLite file and the generated master key file. */
  readonly dataDir: string;
  /** `postgres://…` when set; otherwise SQLite in the data directory. */
  readonly databaseUrl?: string;
  /** Master key text (`LATCHKEY_MASTER_KEY`); otherwise the key file in the data directory. */
  readonly masterKey?: string;
}

export interface ServerConfig extends StorageConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly given: GivenRootCredentials;
  readonly maxBodyBytes?: number;
  readonly trustProxy: boolean;
  /** `--oidc-jwks <issuer>=<file or URL>`: JWKS sources used instead of OIDC discovery (air-gapped setups). */
  readonly oidcJwks?: ReadonlyMap<string, string>;
  /** `--audit-log <file or ->`: mirror every audit record as a JSON line (for log shippers). */
  readonly auditLog?: string;
  /** `--strict-policies`: policy-writing calls refuse documents with security warnings. */
  readonly strictPolicies?: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const STORAGE_OPTIONS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const SERVER_OPTIONS = {
  ...STORAGE_OPTIONS,
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'log-level': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'trust-proxy': { type: 'boolean' },
  'oidc-jwks': { type: 'string', multiple: true },
  'oidc-jwks-file': { type: 'string', multiple: true },
  'audit-log': { type: 'string' },
  'strict-policies': { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: O): Record<string, string | boolean | string[] | undefined> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: false, strict: true }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function str(values: Record<string, string | boolean | string[] | undefined>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function integerIn(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(`${what} must be an integer from ${min} to ${max}, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new ConfigError(`${what} must be an integer from ${min} to ${max}, got '${text}'`);
  return n;
}

/** Data directory and store from options first, then the environment, then defaults. */
export function storageConfig(values: Record<string, string | boolean | string[] | undefined>, env: Environment, cwd: string): StorageConfig {
  const dir = str(values, 'data-dir') ?? nonEmpty(env.LATCHKEY_DATA_DIR) ?? DEFAULT_DATA_DIR;
  const dataDir = isAbsolute(dir) ? dir : resolve(cwd, dir);
  const databaseUrl = str(values, 'database-url') ?? nonEmpty(env.LATCHKEY_DATABASE_URL);
  if (databaseUrl !== undefined && !/^(postgres|postgresql|sqlite):/.test(databaseUrl)) {
    throw new ConfigError('--database-url must be postgres://…, postgresql://… or sqlite:<path>');
  }
  const masterKey = nonEmpty(env.LATCHKEY_MASTER_KEY);
  return { dataDir, ...(databaseUrl === undefined ? {} : { databaseUrl }), ...(masterKey === undefined ? {} : { masterKey }) };
}

export function givenRootCredentials(env: Environment): GivenRootCredentials {
  const accountId = nonEmpty(env.LATCHKEY_ACCOUNT_ID);
  const rootAccessKeyId = nonEmpty(env.LATCHKEY_ROOT_ACCESS_KEY_ID);
  const rootSecretAccessKey = nonEmpty(env.LATCHKEY_ROOT_SECRET_ACCESS_KEY);
  if ((rootAccessKeyId === undefined) !== (rootSecretAccessKey === undefined)) {
    throw new ConfigError('LATCHKEY_ROOT_ACCESS_KEY_ID and LATCHKEY_ROOT_SECRET_ACCESS_KEY must be set together');
  }
  return {
    ...(accountId === undefined ? {} : { accountId }),
    ...(rootAccessKeyId === undefined ? {} : { rootAccessKeyId }),
    ...(rootSecretAccessKey === undefined ? {} : { rootSecretAccessKey }),
  };
}

/** `latchkey server` options and environment into a configuration; throws ConfigError. */
export function parseServerConfig(args: readonly string[], env: Environment, cwd: string): ServerConfig {
  const values = parseCommandLine(args, SERVER_OPTIONS);
  const port = integerIn(str(values, 'port') ?? nonEmpty(env.LATCHKEY_PORT) ?? String(DEFAULT_PORT), '--port', 0, 65535);
  const host = str(values, 'host') ?? nonEmpty(env.LATCHKEY_HOST) ?? DEFAULT_HOST;
  const logLevel = str(values, 'log-level') ?? nonEmpty(env.LATCHKEY_LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const maxBody = str(values, 'max-body-bytes');
  const auditLog = str(values, 'audit-log') ?? nonEmpty(env.LATCHKEY_AUDIT_LOG);
  const oidcJwks = [...((values['oidc-jwks'] as string[] | undefined) ?? []), ...((values['oidc-jwks-file'] as string[] | undefined) ?? [])];
  return {
    ...storageConfig(values, env, cwd),
    port,
    host,
    logLevel,
    given: givenRootCredentials(env),
    trustProxy: values['trust-proxy'] === true,
    ...(maxBody === undefined ? {} : { maxBodyBytes: integerIn(maxBody, '--max-body-bytes', 1024, 64 * 1024 * 1024) }),
    ...(oidcJwks.length === 0 ? {} : { oidcJwks: parseOidcJwksOptions(oidcJwks) }),
    ...(auditLog === undefined ? {} : { auditLog }),
    ...(values['strict-policies'] === true || env.LATCHKEY_STRICT_POLICIES === 'true' ? { strictPolicies: true } : {}),
  };
}

/** The store URL for a storage configuration: PostgreSQL when given, else SQLite in the data directory. */
export function storeUrlOf(config: StorageConfig): string {
  return config.databaseUrl ?? `sqlite:${join(config.dataDir, SQLITE_FILE)}`;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@latchkey/store';
import type { CliIo } from '../cli-io.js';
import { writeAll } from '../cli-io.js';
import type { Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error.js';

const help = `Usage: latchkey audit [--since T] [--until T] [--principal ARN] [--action A]
                      [--outcome success|failure] [--account ID] [--data-dir D | --database-url U]
       latchkey audit verify [--data-dir D | --database-url U]

Prints the audit trail (every API call and authentication failure the server recorded) as JSON
lines, oldest first: CloudTrail's fields (eventTime, eventSource, eventName, userIdentity,
sourceIPAddress, userAgent, requestParameters and responseElements with secrets removed,
errorCode, errorMessage, readOnly, ...) plus the record's seq, hash and prevHash.

\`latchkey audit verify\` recomputes the hash chain: exit status 0 when intact, 1 naming the
first record that was altered (hash) or whose predecessor was removed or inserted (link).

Options:
  --since T          records at or after T (ISO 8601, e.g. 2026-11-27T20:00:00Z)
  --until T          records before T
  --principal ARN    the caller's ARN (as userIdentity.arn)
  --action A         iam:CreateUser, or CreateUser for that action in IAM and STS
  --outcome O        success or failure
  --account ID       records of one account
  --data-dir D       the server's data directory (default: $LATCHKEY_DATA_DIR or ./.latchkey)
  --database-url U   postgres://… or sqlite:<path> (default: $LATCHKEY_DATABASE_URL)
  -h, --help         show this help

Exit status: 0 success, 1 no database / broken chain, 2 usage error.
`;

const STORAGE = { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } } as const;

/** Opens the store the server uses, with the server's defaults (options, then environment). */
async function openServerStore(values: Record<string, unknown>, io: CliIo): Promise<Store | undefined> {
  const storage: Record<string, string | boolean | undefined> = {};
  for (const name of ['data-dir', 'database-url'] as const) {
    const v = values[name];
    if (typeof v === 'string') storage[name] = v;
  }
  const server = await import('@latchkey/server');
  let config: ReturnType<typeof server.storageConfig>;
  try {
    // The server's own resolution of --data-dir / --database-url / LATCHKEY_*.
    config = server.storageConfig(storage, process.env, io.cwd);
  } catch (error) {
    if (error instanceof server.ConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (config.databaseUrl === undefined && !existsSync(join(config.dataDir, server.SQLITE_FILE))) {
    // Opening would create an empty database and report an empty, "intact" trail.
    io.stderr.write(`latchkey audit: no Latchkey database in ${config.dataDir} (run \`latchkey init\` or pass --data-dir / --database-url)\n`);
    return undefined;
  }
  const { openStore } = await import('@latchkey/store-sql');
  return openStore({ url: server.storeUrlOf(config) });
}

function date(value: unknown, name: string): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be an ISO 8601 time such as 2026-11-27T20:00:00Z, got '${value}'`);
  return new Date(ms);
}

async function query(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    args,
    { ...STORAGE, since: { type: 'string' }, until: { type: 'string' }, principal: { type: 'string' }, action: { type: 'string' }, outcome: { type: 'string' }, account: { type: 'string' } },
    false,
  );
  const given = values['outcome'];
  if (given !== undefined && given !== 'success' && given !== 'failure') throw new UsageError(`--outcome must be success or failure, got '${String(given)}'`);
  const outcome: 'success' | 'failure' | undefined = given;
  const since = date(values['since'], 'since');
  const until = date(values['until'], 'until');
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const { queryAudit } = await import('@latchkey/iam');
  const store = await openServerStore(values, io);
  if (store === undefined) return EXIT_FAILURE;
  try {
    const principalArn = str('principal');
    const action = str('action');
    const accountId = str('account');
    const filter = {
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      ...(principalArn === undefined ? {} : { principalArn }),
      ...(action === undefined ? {} : { action }),
      ...(outcome === undefined ? {} : { outcome }),
      ...(accountId === undefined ? {} : { accountId }),
    };
    let pending = '';
    for await (const line of queryAudit(store, filter)) {
      pending += `${JSON.stringify(line)}\n`;
      if (pending.length >= 65_536) {
        await writeAll(io.stdout, pending);
        pending = '';
      }
    }
    if (pending !== '') await writeAll(io.stdout, pending);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

async function verify(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, STORAGE, false);
  const store = await openServerStore(values, io);
  if (store === undefined) return EXIT_FAILURE;
  try {
    const { verifyAuditChain } = await import('@latchkey/store-sql');
    const verdict = await verifyAuditChain(store);
    if (verdict.ok) {
      io.stdout.write(`audit trail intact: ${verdict.records} records, head ${verdict.head ?? '(empty)'}\n`);
      return EXIT_OK;
    }
    const what = verdict.reason === 'hash' ? 'its content does not match its hash (altered)' : 'it does not link to the record before it (a record was removed or inserted)';
    io.stdout.write(`audit trail BROKEN at record seq ${verdict.brokenAtSeq}: ${what}; ${verdict.records - 1} records before it verified\n`);
    return EXIT_FAILURE;
  } finally {
    await store.close();
  }
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'print the audit trail as JSON lines (filters), or `audit verify` its hash chain',
  help,
  run(args: readonly string[], io: CliIo): Promise<number> {
    return args[0] === 'verify' ? verify(args.slice(1), io) : query(args, io);
  },
};

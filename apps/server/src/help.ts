// Help texts of the server commands, importable on their own (`@latchkey/server/help`) so the
// CLI can print them without loading the server.
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, MASTER_KEY_FILE } from './server-config.js';

export const SERVER_HELP = `Usage: latchkey server [options]

Starts the Latchkey IAM and STS endpoint (AWS Query protocol, SigV4) on one port.

Options:
  -p, --port <n>           port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
      --host <addr>        address to bind (default ${DEFAULT_HOST}; 0.0.0.0 for all interfaces)
      --data-dir <dir>     data directory (default ./${DEFAULT_DATA_DIR}): SQLite file, master key file
      --database-url <url> postgres://… to use PostgreSQL (several instances may share it)
      --log-level <level>  fatal, error, warn, info (default), debug, trace, silent
      --max-body-bytes <n> largest request body (default 1048576)
      --audit-log <file|->  also write every audit record as a JSON line to a file (appended,
                           mode 0600) or, with -, to standard output (env LATCHKEY_AUDIT_LOG)
      --trust-proxy        take the client address and scheme from X-Forwarded-* headers
      --strict-policies    refuse policy documents with security warnings (Allow with NotAction,
                           iam:PassRole on *, ...; see @latchkey/iam) and documents naming actions or
                           condition keys that a registered service catalog does not declare
                           (env LATCHKEY_STRICT_POLICIES=true)
      --oidc-jwks <issuer>=<file|url>
                           AssumeRoleWithWebIdentity keys for an OIDC issuer from a local JWKS
                           file or URL instead of OIDC discovery (air-gapped; repeatable;
                           --oidc-jwks-file is the same option)

Environment:
  LATCHKEY_DATABASE_URL             as --database-url
  LATCHKEY_MASTER_KEY               master keys "<id>:<key>[,<id>:<key>…]", the first is primary;
                                    otherwise ${MASTER_KEY_FILE} in the data directory (generated, mode 0600)
  LATCHKEY_ACCOUNT_ID               first start: the account id to create
  LATCHKEY_ROOT_ACCESS_KEY_ID       first start: the root access key id to create (AKIA…)
  LATCHKEY_ROOT_SECRET_ACCESS_KEY   first start: its secret (else both are generated and printed once)
  LATCHKEY_PORT, LATCHKEY_HOST, LATCHKEY_DATA_DIR, LATCHKEY_LOG_LEVEL  as the options

Point the aws CLI and the SDKs at it with AWS_ENDPOINT_URL=http://<host>:<port>.
`;

export const INIT_HELP = `Usage: latchkey init [--data-dir <dir>] [--database-url <url>]

Creates the data directory, the master key file (unless LATCHKEY_MASTER_KEY is set), the
database and the first account with its root access key, and prints the credentials once,
without starting the server. Honours LATCHKEY_ACCOUNT_ID, LATCHKEY_ROOT_ACCESS_KEY_ID and
LATCHKEY_ROOT_SECRET_ACCESS_KEY like \`latchkey server\`. Does nothing if an account exists.
`;

export const ACCOUNT_CREATE_HELP = `Usage: latchkey account create [--account-id <12 digits>] [--json] [--data-dir <dir>] [--database-url <url>]

Creates another account (accounts are isolated except through policies) with its own root
access key, and prints the credentials once.
`;

export const ACCOUNT_LIST_HELP = `Usage: latchkey account list [--json] [--data-dir <dir>] [--database-url <url>]

Lists the accounts: id, alias, creation time.
`;

import { defaultCredentials } from '@latchkey/client';
import { internalApiClient, parseServiceCatalogDocument, type GetServiceCatalogResponse, type InternalApiClient, type PutServiceCatalogResponse } from '@latchkey/express';
import type { CliIo } from '../cli-io.js';
import { commandGroup } from '../command-group.js';
import type { Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { readInput } from '../read-input.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error.js';

const COMMON = `Options:
  --endpoint-url URL   the Latchkey server (else LATCHKEY_ENDPOINT, else AWS_ENDPOINT_URL)
  --profile P          the AWS profile to sign with
  --region R           the region to sign for (default us-east-1)
  -h, --help           show this help

The call goes to the Latchkey internal API (POST / with X-Amz-Target
LatchkeyInternal_20261127.<Action>), signed with the credentials the AWS SDK finds
(environment, --profile / AWS_PROFILE, the shared credentials and config files) and allowed by
policy: latchkey:<Action> on arn:aws:latchkey::<account>:service/<name>. Catalogs belong to
the caller's account.

Exit status: 0 done, 1 refused by the server (its error on standard error), 2 usage error.
`;

const putHelp = `Usage: latchkey catalog put FILE [--endpoint-url URL] [--profile P] [--region R]

Registers an in-house service's catalog (PutServiceCatalog): its actions, resource types and
condition keys, the JSON that @latchkey/express's serviceCatalogDocument(defineService(...))
gives (name, actions, resourceTypes, conditionKeys). Replaces the service's catalog registered
before. A --strict-policies server then refuses policies naming actions or condition keys the
service does not declare. For services not written with @latchkey/express (whose
lk.registerCatalog() does the same at start-up). FILE \`-\` reads standard input. Prints the
answer ({"Service", "UpdatedAt"}) on standard output.

${COMMON}`;

const getHelp = `Usage: latchkey catalog get SERVICE [--endpoint-url URL] [--profile P] [--region R]

Prints the catalog registered for SERVICE (GetServiceCatalog) as JSON on standard output, as
\`latchkey policy validate --catalog\` reads it. A service with none: exit 1
(ResourceNotFoundException).

${COMMON}`;

const deleteHelp = `Usage: latchkey catalog delete SERVICE [--endpoint-url URL] [--profile P] [--region R]

Removes the catalog registered for SERVICE (DeleteServiceCatalog): policy validation no longer
knows its actions.

${COMMON}`;

const OPTIONS = { 'endpoint-url': { type: 'string' }, profile: { type: 'string' }, region: { type: 'string' } } as const;
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REGION = /^[a-z0-9-]{1,32}$/;

/** What the commands need from outside (tests pass credentials and the environment). */
export interface CatalogDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default: the AWS SDK's default chain (with `--profile`). */
  readonly credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
}

function clientFor(values: Record<string, unknown>, deps: CatalogDeps): InternalApiClient {
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const endpoint = str('endpoint-url') ?? deps.env.LATCHKEY_ENDPOINT ?? deps.env.AWS_ENDPOINT_URL;
  if (endpoint === undefined) throw new UsageError('no Latchkey endpoint: pass --endpoint-url or set LATCHKEY_ENDPOINT');
  if (!/^https?:\/\/[^/]/.test(endpoint)) throw new UsageError(`the endpoint must be an http(s) URL, got '${endpoint}'`);
  const region = str('region') ?? 'us-east-1';
  if (!REGION.test(region)) throw new UsageError(`--region must be a region name such as us-east-1, got '${region}'`);
  const profile = str('profile');
  const provider = deps.credentials ?? defaultCredentials(profile === undefined ? {} : { profile });
  return internalApiClient({ endpoint, region, credentials: provider }, 'latchkey catalog');
}

function serviceArgument(positionals: readonly string[]): string {
  if (positionals.length !== 1) throw new UsageError('give exactly one service name');
  const service = positionals[0]!;
  if (!SERVICE_NAME.test(service)) throw new UsageError(`'${service}' is not a service name: 1 to 63 lower-case letters, digits and dashes`);
  return service;
}

/** Runs one call; the server's refusal (or an unreachable server) is exit 1 with its code and message. */
async function attempt<T>(io: CliIo, what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const e = error as { code?: string; name?: string; message?: string; detail?: string };
    const detail = e.code === 'ServiceUnavailable' && e.detail !== undefined ? ` (${e.detail})` : '';
    io.stderr.write(`latchkey catalog ${what}: ${e.code ?? e.name ?? 'Error'}: ${e.message ?? String(error)}${detail}\n`);
    return undefined;
  }
}

export async function runCatalogPut(args: readonly string[], io: CliIo, deps: CatalogDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError('give exactly one catalog file (`-` for standard input)');
  const text = await readInput(positionals[0]!, io);
  let service: string;
  let document: unknown;
  try {
    document = JSON.parse(text) as unknown;
    // Checked here too, so that a mistake is named before anything is signed or sent.
    service = parseServiceCatalogDocument(document).name;
  } catch (err) {
    throw new UsageError(`${positionals[0]!}: ${err instanceof SyntaxError ? 'not JSON' : (err as Error).message}`);
  }
  const client = clientFor(values, deps);
  const out = await attempt(io, 'put', () => client.call<PutServiceCatalogResponse>('PutServiceCatalog', { Service: service, Catalog: document }, { serverErrors: true }));
  if (out === undefined) return EXIT_FAILURE;
  io.stdout.write(`${JSON.stringify(out)}\n`);
  return EXIT_OK;
}

export async function runCatalogGet(args: readonly string[], io: CliIo, deps: CatalogDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, true);
  const service = serviceArgument(positionals);
  const client = clientFor(values, deps);
  const out = await attempt(io, 'get', () => client.call<GetServiceCatalogResponse>('GetServiceCatalog', { Service: service }, { serverErrors: true }));
  if (out === undefined) return EXIT_FAILURE;
  io.stdout.write(`${JSON.stringify(out.Catalog, null, 2)}\n`);
  return EXIT_OK;
}

export async function runCatalogDelete(args: readonly string[], io: CliIo, deps: CatalogDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, true);
  const service = serviceArgument(positionals);
  const client = clientFor(values, deps);
  const out = await attempt(io, 'delete', () => client.call<Record<string, never>>('DeleteServiceCatalog', { Service: service }, { serverErrors: true }));
  if (out === undefined) return EXIT_FAILURE;
  io.stderr.write(`removed the catalog of ${service}\n`);
  return EXIT_OK;
}

// The commands are the process boundary: the environment is read here.
const processDeps = (): CatalogDeps => ({ env: process.env });

const subcommands: Command[] = [
  { name: 'put', summary: "register a service's catalog (its actions, resource types and condition keys)", help: putHelp, run: (args, io) => runCatalogPut(args, io, processDeps()) },
  { name: 'get', summary: 'print the catalog registered for a service', help: getHelp, run: (args, io) => runCatalogGet(args, io, processDeps()) },
  { name: 'delete', summary: 'remove the catalog registered for a service', help: deleteHelp, run: (args, io) => runCatalogDelete(args, io, processDeps()) },
];

export const catalogCommand = commandGroup('catalog', "in-house services' catalogs registered with the Latchkey server", subcommands);

import { parseServiceCatalogDocument, registeredServiceCatalog } from '@latchkey/express';
import { isSecurityWarning, securityWarnings } from '@latchkey/iam';
import { POLICY_TYPES } from '@latchkey/policy';
import type { Diagnostic, PolicyType, ServiceCatalog } from '@latchkey/policy';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { readInput } from '../read-input.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error.js';
import { formatDiagnostic, reportsToJson, summarizeFile } from '../validate/format-diagnostics.js';
import type { FileReport } from '../validate/format-diagnostics.js';
import { IamDataCatalog } from '../validate/iam-data-catalog.js';
import { validateWithCatalog } from '../validate/validate-with-catalog.js';

const help = `Usage: latchkey policy validate FILE... [--type TYPE] [--json] [--strict] [--max-size N]
                                [--catalog CATALOG]...

Validates IAM policy documents the way AWS does when a policy is saved, and reports every
problem (not just the first), plus Access Analyzer-style warnings and warnings for actions and
condition keys that AWS's service reference (or, for in-house services, their --catalog) does
not know.

Arguments:
  FILE            a policy document (JSON); \`-\` reads standard input

Options:
  --type TYPE     identity (default), resource, trust, boundary, session or scp
  --json          print a JSON report instead of one line per diagnostic
  --strict        also fail on security warnings (e.g. Allow with NotAction, iam:PassRole on *)
  --max-size N    size limit in characters instead of the type's AWS quota (e.g. 6144 for a
                  managed policy; AWS managed policies and resource policies can be larger)
  --catalog FILE  an in-house service's catalog (JSON: what @latchkey/express's
                  serviceCatalogDocument(defineService(...)) gives and PutServiceCatalog
                  registers); repeatable. Its actions and condition keys are then known, and
                  with --strict a name it does not declare fails, as on a --strict-policies
                  server where the catalog is registered
  -h, --help      show this help

Output (one line per diagnostic):
  FILE:LINE:COLUMN: SEVERITY CODE: MESSAGE (at JSON-POINTER)

Exit status: 0 every document is valid (warnings allowed), 1 some document has an error (or,
with --strict, a security warning), 2 usage error (unknown type, unreadable file, ...).

Examples:
  latchkey policy validate policy.json
  latchkey policy validate --type trust trust.json --json
  latchkey policy validate --strict --catalog orders-catalog.json policy.json
  cat bucket-policy.json | latchkey policy validate --type resource -
`;

export const policyValidateCommand: Command = {
  name: 'validate',
  summary: 'validate policy documents (errors, warnings, line:column)',
  help,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(
      args,
      { type: { type: 'string' }, json: { type: 'boolean' }, strict: { type: 'boolean' }, 'max-size': { type: 'string' }, catalog: { type: 'string', multiple: true } },
      true,
    );
    const type = parsePolicyType(values['type']);
    if (positionals.length === 0) throw new UsageError('no policy file given (use `-` for standard input)');
    if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('standard input (`-`) can be read only once');
    const strict = values['strict'] === true;
    const maxSize = parseMaxSize(values['max-size']);

    // Read everything first: an unreadable file is a usage error and nothing is reported.
    const texts: string[] = [];
    for (const file of positionals) texts.push(await readInput(file, io));

    const inHouse = await readCatalogs(values['catalog'], io);
    const catalog = new IamDataCatalog(inHouse);
    const reports: FileReport[] = [];
    for (const [i, text] of texts.entries()) {
      const result = await validateWithCatalog(text, { type, ...(maxSize === undefined ? {} : { maxSize }) }, catalog);
      const failing = (d: Diagnostic): boolean => d.severity === 'error' || (strict && isSecurityWarning(d));
      // What a --strict-policies server with these catalogs registered refuses (its own check, so the two agree).
      const refusedByCatalog = strict && inHouse !== undefined && securityWarnings(text, type, false, inHouse).length > 0;
      reports.push({ file: positionals[i] === '-' ? '<stdin>' : positionals[i]!, type, valid: !result.diagnostics.some(failing) && !refusedByCatalog, diagnostics: result.diagnostics });
    }
    const valid = reports.every((r) => r.valid);

    if (values['json'] === true) {
      io.stdout.write(`${JSON.stringify(reportsToJson(reports, valid), null, 2)}\n`);
    } else {
      for (const report of reports) {
        for (const d of report.diagnostics) io.stdout.write(`${formatDiagnostic(report.file, d)}\n`);
        io.stdout.write(`${summarizeFile(report)}\n`);
      }
    }
    return valid ? EXIT_OK : EXIT_FAILURE;
  },
};

/** The `--catalog` files as one partial catalog; an unreadable or invalid one is a usage error. */
async function readCatalogs(files: unknown, io: CliIo): Promise<ServiceCatalog | undefined> {
  if (files === undefined) return undefined;
  const definitions = [];
  for (const file of files as string[]) {
    const text = await readInput(file, io);
    try {
      definitions.push(parseServiceCatalogDocument(JSON.parse(text) as unknown));
    } catch (err) {
      throw new UsageError(`--catalog ${file}: ${err instanceof SyntaxError ? 'not JSON' : (err as Error).message}`);
    }
  }
  return registeredServiceCatalog(definitions);
}

export function parsePolicyType(value: unknown): PolicyType {
  if (value === undefined) return 'identity';
  const found = POLICY_TYPES.find((t) => t === value);
  if (found === undefined) throw new UsageError(`unknown policy type '${String(value)}'; expected one of: ${POLICY_TYPES.join(', ')}`);
  return found;
}

export function parseMaxSize(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`--max-size must be a positive whole number of characters, not '${text}'`);
  return Number(text);
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyType } from '../src/commands/policy-validate.js';
import { runInProcess } from './helpers/run.js';

const fixture = (name: string): string => `test/fixtures/${name}.json`;

interface JsonReport {
  valid: boolean;
  files: { file: string; type: string; valid: boolean; diagnostics: { severity: string; code: string; message: string; pointer: string; line: number | null; column: number | null }[] }[];
}

describe('policy validate', () => {
  it('exits 0 for a valid document and says so', async () => {
    const run = await runInProcess(['policy', 'validate', fixture('valid-identity')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('test/fixtures/valid-identity.json: valid identity policy (0 errors, 0 warnings)\n');
  });

  it('exits 1 and prints file:line:column, severity, code, message and pointer for each error', async () => {
    const run = await runInProcess(['policy', 'validate', fixture('invalid-identity')]);
    expect(run.code).toBe(1);
    // Line 11, column 7 is where "Principal" starts in the fixture.
    const text = readFileSync(fixture('invalid-identity'), 'utf8').split('\n');
    expect(text[10]!.indexOf('"Principal"')).toBe(6);
    expect(run.stdout).toContain('test/fixtures/invalid-identity.json:11:7: error PrincipalNotAllowed: Policy document should not specify a principal. (at /Statement/1/Principal)\n');
    expect(run.stdout).toMatch(/invalid-identity\.json: invalid identity policy \(1 error, \d+ warnings?\)\n$/);
  });

  it('validates as the --type given: a trust policy is valid as trust and invalid as identity', async () => {
    expect((await runInProcess(['policy', 'validate', '--type', 'trust', fixture('trust')])).code).toBe(0);
    const asIdentity = await runInProcess(['policy', 'validate', fixture('trust')]);
    expect(asIdentity.code).toBe(1);
    expect(asIdentity.stdout).toContain('error MissingResource');
  });

  it('reports every file, and fails when any one is invalid', async () => {
    const run = await runInProcess(['policy', 'validate', fixture('valid-identity'), fixture('invalid-identity')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('valid-identity.json: valid identity policy');
    expect(run.stdout).toContain('invalid-identity.json: invalid identity policy');
  });

  it('prints a JSON report with every diagnostic field under --json', async () => {
    const run = await runInProcess(['policy', 'validate', '--json', fixture('valid-identity'), fixture('invalid-identity')]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.valid).toBe(false);
    expect(report.files.map((f) => [f.file, f.type, f.valid])).toEqual([
      ['test/fixtures/valid-identity.json', 'identity', true],
      ['test/fixtures/invalid-identity.json', 'identity', false],
    ]);
    expect(report.files[1]!.diagnostics).toContainEqual({
      severity: 'error',
      code: 'PrincipalNotAllowed',
      message: 'Policy document should not specify a principal.',
      pointer: '/Statement/1/Principal',
      line: 11,
      column: 7,
    });
    for (const d of report.files[1]!.diagnostics) expect(Object.keys(d).sort()).toEqual(['code', 'column', 'line', 'message', 'pointer', 'severity']);
  });

  it('reads standard input for -', async () => {
    const run = await runInProcess(['policy', 'validate', '--type', 'trust', '-'], readFileSync(fixture('trust'), 'utf8'));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('<stdin>: valid trust policy (0 errors, 0 warnings)\n');
  });

  it('reports a document that is not JSON as an error with its position', async () => {
    const run = await runInProcess(['policy', 'validate', '--json', '-'], '{\n  "Version": "2012-10-17",\n  "Statement": [\n}');
    expect(run.code).toBe(1);
    const d = (JSON.parse(run.stdout) as JsonReport).files[0]!.diagnostics;
    expect(d[0]).toMatchObject({ severity: 'error', code: 'InvalidJson', line: 4 });
  });

  it('warns about unknown actions, services and condition keys from the service reference, without failing', async () => {
    const run = await runInProcess(['policy', 'validate', '--json', fixture('unknown-action')]);
    expect(run.code).toBe(0);
    const diagnostics = (JSON.parse(run.stdout) as JsonReport).files[0]!.diagnostics;
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['UnknownAction', '/Statement/0/Action/1'],
      ['UnknownService', '/Statement/0/Action/3'],
      ['UnknownConditionKey', '/Statement/0/Condition/StringEquals/iam:NoSuchKey'],
    ]);
    // ...and these hygiene warnings do not fail --strict.
    expect((await runInProcess(['policy', 'validate', '--strict', fixture('unknown-action')])).code).toBe(0);
  });

  it('knows in-house services from --catalog files: their typos are reported, and fail --strict as on a strict server', async () => {
    const without = await runInProcess(['policy', 'validate', '--json', fixture('orders-typo')]);
    expect((JSON.parse(without.stdout) as JsonReport).files[0]!.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['UnknownService', '/Statement/0/Action/0'],
      ['UnknownService', '/Statement/0/Action/1'],
      ['UnknownService', '/Statement/1/Action'],
    ]);
    const withCatalog = await runInProcess(['policy', 'validate', '--json', '--catalog', fixture('orders-catalog'), fixture('orders-typo')]);
    expect(withCatalog.code).toBe(0);
    expect((JSON.parse(withCatalog.stdout) as JsonReport).files[0]!.diagnostics.map((d) => [d.code, d.pointer, d.message])).toEqual([
      ['UnknownAction', '/Statement/1/Action', '"orders:DeleteOrdr" is not a known action of orders.'],
    ]);
    const strict = await runInProcess(['policy', 'validate', '--strict', '--catalog', fixture('orders-catalog'), fixture('orders-typo')]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('orders-typo.json: fails --strict: identity policy (0 errors, 1 warning)');
    // Without the catalog the same document passes --strict: unknown names are hygiene.
    expect((await runInProcess(['policy', 'validate', '--strict', fixture('orders-typo')])).code).toBe(0);
  });

  it('refuses an unreadable or invalid --catalog as a usage error', async () => {
    const missing = await runInProcess(['policy', 'validate', '--catalog', 'test/fixtures/nope.json', fixture('valid-identity')]);
    expect(missing.code).toBe(2);
    const notCatalog = await runInProcess(['policy', 'validate', '--catalog', fixture('valid-identity'), fixture('valid-identity')]);
    expect(notCatalog.code).toBe(2);
    expect(notCatalog.stderr).toContain('--catalog test/fixtures/valid-identity.json: the catalog: unknown member "Version"');
  });

  it('passes a security warning by default and fails it under --strict', async () => {
    const plain = await runInProcess(['policy', 'validate', fixture('security-warning')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('warning AllowWithNotAction');
    const strict = await runInProcess(['policy', 'validate', '--strict', '--json', fixture('security-warning')]);
    expect(strict.code).toBe(1);
    expect((JSON.parse(strict.stdout) as JsonReport).files[0]!.valid).toBe(false);
  });

  it.each([
    [['policy', 'validate'], 'no policy file given'],
    [['policy', 'validate', '--type', 'bucket', 'x.json'], "unknown policy type 'bucket'"],
    [['policy', 'validate', 'test/fixtures/does-not-exist.json'], "cannot read 'test/fixtures/does-not-exist.json': no such file"],
    [['policy', 'validate', 'test/fixtures'], 'is a directory'],
    [['policy', 'validate', '-', '-'], 'only once'],
    [['policy', 'validate', '--type'], "argument missing"],
  ])('exits 2 on the usage error %j', async (args, message) => {
    const run = await runInProcess(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });
});

describe('parsePolicyType', () => {
  it('defaults to identity and accepts every policy type', () => {
    expect(parsePolicyType(undefined)).toBe('identity');
    for (const t of ['identity', 'resource', 'trust', 'boundary', 'session', 'scp']) expect(parsePolicyType(t)).toBe(t);
    expect(() => parsePolicyType('Identity')).toThrow(/unknown policy type/);
  });
});

describe('policy validate input', () => {
  it('ignores a UTF-8 byte order mark before the document', async () => {
    const run = await runInProcess(['policy', 'validate', '--type', 'trust', '-'], `\uFEFF${readFileSync(fixture('trust'), 'utf8')}`);
    expect(run.code).toBe(0);
  });
});

describe('policy validate --max-size', () => {
  // 300 actions of ~25 characters: over the 6,144-character managed-policy quota.
  const big = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: Array.from({ length: 300 }, (_, i) => `s3:GetObjectVersion${String(i).padStart(4, '0')}`), Resource: '*' }],
  });

  it("applies the type's AWS quota by default and the given limit with --max-size", async () => {
    const byDefault = await runInProcess(['policy', 'validate', '--json', '-'], big);
    expect(byDefault.code).toBe(1);
    expect((JSON.parse(byDefault.stdout) as JsonReport).files[0]!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['PolicySizeExceeded']);
    const raised = await runInProcess(['policy', 'validate', '--max-size', '131072', '-'], big);
    expect(raised.code).toBe(0);
    const lowered = await runInProcess(['policy', 'validate', '--max-size', '50', fixture('valid-identity')]);
    expect(lowered.code).toBe(1);
    expect(lowered.stdout).toContain('error PolicySizeExceeded');
  });

  it.each(['0', '-5', 'abc', '1.5'])('rejects --max-size %s as a usage error', async (value) => {
    const run = await runInProcess(['policy', 'validate', `--max-size=${value}`, fixture('valid-identity')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-size must be a positive whole number');
  });
});

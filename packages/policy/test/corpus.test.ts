// The policy conformance corpus: every JSON file under test/cases/ is a list of cases (see
// test/cases/README.md for the format). Validation cases run through `validatePolicy`,
// evaluation cases through `loadPolicy`/`compilePolicy` + `evaluate`. Each vitest case is named
// by its id. A last block checks that every row of the reference's feature table is cited.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, explainDecision, loadPolicy, validatePolicy } from '../src/index.js';
import type {
  CompiledPolicy,
  Decision,
  DecisionValue,
  Diagnostic,
  EvaluationRequest,
  Policy,
  PolicySet,
  PolicyType,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const casesDir = join(here, 'cases');
// CI clones the repository with `shared/` beside it; from packages/policy that is ../../../shared.
const referencePath = resolve(here, '../../../../shared/reference/policy-language.md');

type PolicyDoc = string | Record<string, unknown>;

interface CaseBase {
  readonly id: string;
  readonly cites: readonly string[];
  readonly why: string;
  /** The case states AWS behaviour the engine does not have yet: run as `it.fails`. */
  readonly knownFailure?: string;
}

interface ExpectedDiagnostic {
  readonly pointer: string;
  readonly message?: string;
}

interface ValidationCase extends CaseBase {
  readonly type: PolicyType;
  readonly document: PolicyDoc | unknown;
  readonly maxSize?: number;
  readonly expect: {
    readonly valid: boolean;
    /** Each must be reported (as an error) at exactly this pointer, with exactly this message. */
    readonly errors?: readonly ExpectedDiagnostic[];
    /** `errors` must appear in this relative order (diagnostics are sorted by position). */
    readonly ordered?: boolean;
    /** Each must be reported as a warning whose pointer starts with this pointer. */
    readonly warnings?: readonly ExpectedDiagnostic[];
    /** No warning may be reported at or below these pointers. */
    readonly noWarningsAt?: readonly string[];
  };
}

interface MatchedExpectation {
  readonly policyType: PolicyType;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly policyId?: string;
}

interface EvaluationCase extends CaseBase {
  readonly policies: {
    readonly identity?: readonly PolicyDoc[];
    readonly resource?: PolicyDoc;
    /** A role's trust policy: compiled as `trust` and passed as the policy set's `resource`. */
    readonly trust?: PolicyDoc;
    readonly boundary?: PolicyDoc;
    readonly session?: readonly PolicyDoc[];
    readonly scp?: readonly (readonly PolicyDoc[])[];
  };
  readonly request: EvaluationRequest;
  readonly expect: {
    readonly decision: DecisionValue;
    readonly notAllowedBy?: readonly PolicyType[];
    readonly missingContextKeys?: readonly string[];
    readonly matched?: readonly MatchedExpectation[];
    /** The decision must report at least one statement that could not be evaluated. */
    readonly evaluationErrors?: boolean;
  };
}

type CorpusCase = ValidationCase | EvaluationCase;

interface CaseFile {
  readonly file: string;
  readonly description: string;
  readonly cases: readonly CorpusCase[];
}

function isValidation(c: CorpusCase): c is ValidationCase {
  return 'document' in c;
}

function loadCaseFiles(): CaseFile[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(casesDir, file), 'utf8')) as { description: string; cases: CorpusCase[] };
      return { file, description: parsed.description, cases: parsed.cases };
    });
}

/** A policy given as `{"$ast": Policy}` is compiled directly: this is how the corpus feeds the
 * evaluator statements that validation would (rightly) refuse, e.g. a malformed condition value. */
function compileDoc(doc: PolicyDoc, type: PolicyType, id: string): CompiledPolicy {
  if (typeof doc === 'object' && doc !== null && '$ast' in doc) {
    return compilePolicy(doc['$ast'] as Policy, { type, id });
  }
  const loaded = loadPolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), { type, id });
  if (loaded.policy === undefined) {
    throw new Error(`policy ${id} (${type}) did not load: ${JSON.stringify(loaded.diagnostics)}`);
  }
  return loaded.policy;
}

function buildPolicySet(c: EvaluationCase): PolicySet {
  const p = c.policies;
  const resourceDoc = p.trust ?? p.resource;
  const resource = resourceDoc === undefined ? undefined : compileDoc(resourceDoc, p.trust !== undefined ? 'trust' : 'resource', p.trust !== undefined ? 'trust' : 'resource');
  return {
    identity: (p.identity ?? []).map((d, i) => compileDoc(d, 'identity', `identity-${i}`)),
    ...(resource !== undefined ? { resource } : {}),
    ...(p.boundary !== undefined ? { boundary: compileDoc(p.boundary, 'boundary', 'boundary') } : {}),
    ...(p.session !== undefined ? { session: p.session.map((d, i) => compileDoc(d, 'session', `session-${i}`)) } : {}),
    ...(p.scp !== undefined ? { scp: p.scp.map((level, l) => level.map((d, i) => compileDoc(d, 'scp', `scp-${l}-${i}`))) } : {}),
  };
}

function runEvaluation(c: EvaluationCase): void {
  const set = buildPolicySet(c);
  const request: EvaluationRequest = { ...c.request, context: c.request.context ?? {} };
  const decision: Decision = evaluate(request, set);
  const summary = JSON.stringify(decision);

  expect(decision.decision, summary).toBe(c.expect.decision);
  // Invariants of the Decision contract.
  const effects = decision.matchedStatements.map((m) => m.effect);
  if (decision.decision === 'explicitDeny') {
    expect(effects.length, summary).toBeGreaterThan(0);
    expect(effects.every((e) => e === 'Deny'), summary).toBe(true);
  } else {
    expect(effects.every((e) => e === 'Allow'), summary).toBe(true);
  }
  if (decision.decision === 'allowed' && request.principal.kind !== 'root') {
    expect(effects.length, summary).toBeGreaterThan(0);
  }
  if (decision.decision === 'allowed') expect(decision.notAllowedBy, summary).toEqual([]);

  if (c.expect.notAllowedBy !== undefined) {
    expect([...decision.notAllowedBy].sort(), summary).toEqual([...c.expect.notAllowedBy].sort());
  }
  if (c.expect.missingContextKeys !== undefined) {
    expect([...decision.missingContextKeys].sort(), summary).toEqual([...c.expect.missingContextKeys].sort());
  }
  for (const m of c.expect.matched ?? []) {
    const found = decision.matchedStatements.some(
      (s) =>
        s.policyType === m.policyType &&
        s.statementIndex === m.statementIndex &&
        (m.sid === undefined || s.sid === m.sid) &&
        (m.policyId === undefined || s.policyId === m.policyId),
    );
    expect(found, `expected matched statement ${JSON.stringify(m)} in ${summary}`).toBe(true);
  }
  if (c.expect.evaluationErrors !== undefined) {
    expect(decision.errors.length > 0, summary).toBe(c.expect.evaluationErrors);
  }

  // Deterministic, and explainable.
  expect(evaluate(request, set)).toEqual(decision);
  const explanation = explainDecision(decision, request);
  expect(typeof explanation).toBe('string');
  expect(explanation.length).toBeGreaterThan(0);
}

function describeDiagnostics(d: readonly Diagnostic[]): string {
  return JSON.stringify(d.map((x) => ({ severity: x.severity, code: x.code, message: x.message, pointer: x.pointer })));
}

function checkValidation(c: ValidationCase, input: unknown, path: 'text' | 'value'): void {
  const result = validatePolicy(input, { type: c.type, ...(c.maxSize !== undefined ? { maxSize: c.maxSize } : {}) });
  const summary = `${path}: ${describeDiagnostics(result.diagnostics)}`;
  expect(result.valid, summary).toBe(c.expect.valid);
  expect(result.policy !== undefined, summary).toBe(c.expect.valid);
  expect(result.diagnostics.some((d) => d.severity === 'error'), summary).toBe(!c.expect.valid);

  if (path === 'text') {
    // Text input gives every diagnostic a 1-based line and column (Diagnostic contract).
    for (const d of result.diagnostics) {
      expect(d.line !== undefined && d.line >= 1 && d.column !== undefined && d.column >= 1, `${d.pointer}: ${summary}`).toBe(true);
      // An error about an object member points at that member's name in the text.
      const last = d.pointer.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~');
      if (d.severity === 'error' && d.pointer !== '' && !/^\d+$/.test(last) && d.line !== undefined && d.column !== undefined) {
        const lineText = (input as string).split('\n')[d.line - 1] ?? '';
        expect(lineText.slice(d.column - 1).startsWith(JSON.stringify(last)), `${d.pointer} at ${d.line}:${d.column}: ${summary}`).toBe(true);
      }
    }
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const positions: number[] = [];
  for (const e of c.expect.errors ?? []) {
    const at = errors.findIndex((d) => d.pointer === e.pointer && (e.message === undefined || d.message === e.message));
    expect(at, `expected error ${JSON.stringify(e)} in ${summary}`).toBeGreaterThanOrEqual(0);
    positions.push(at);
  }
  if (c.expect.ordered === true) {
    expect(positions, summary).toEqual([...positions].sort((a, b) => a - b));
  }
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  for (const w of c.expect.warnings ?? []) {
    const found = warnings.some(
      (d) => (d.pointer === w.pointer || d.pointer.startsWith(`${w.pointer}/`)) && (w.message === undefined || d.message === w.message),
    );
    expect(found, `expected warning ${JSON.stringify(w)} in ${summary}`).toBe(true);
  }
  for (const p of c.expect.noWarningsAt ?? []) {
    const found = warnings.filter((d) => d.pointer === p || d.pointer.startsWith(`${p}/`));
    expect(found, summary).toEqual([]);
  }
}

function runValidation(c: ValidationCase): void {
  if (typeof c.document === 'string') {
    checkValidation(c, c.document, 'text');
    return;
  }
  // Object documents are checked both as text (the preferred input) and as a parsed value.
  checkValidation(c, JSON.stringify(c.document, null, 2), 'text');
  checkValidation(c, structuredClone(c.document), 'value');
}

const files = loadCaseFiles();
const allCases = files.flatMap((f) => f.cases);

for (const f of files) {
  describe(`${f.file}: ${f.description}`, () => {
    for (const c of f.cases) {
      const run = (): void => (isValidation(c) ? runValidation(c) : runEvaluation(c));
      if (c.knownFailure !== undefined) {
        it.fails(`${c.id} [known failure: ${c.knownFailure}]`, run);
      } else {
        it(c.id, run);
      }
    }
  });
}

/** Row IDs of the reference's feature table (§1a): V/M/C/P/E rows by ID, K rows by key
 * (`K:aws:SourceIp`; a K row lists several keys, any of which covers it). */
function referenceRows(): { ids: Set<string>; kRows: string[][] } {
  const text = existsSync(referencePath) ? readFileSync(referencePath, 'utf8') : FALLBACK_REFERENCE;
  const ids = new Set<string>();
  const kRows: string[][] = [];
  let inK = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('## 1c')) break;
    if (line.startsWith('### ')) inK = line.startsWith('### K');
    const idMatch = /^\| ([VMCPE]\d+) \|/.exec(line);
    if (idMatch?.[1] !== undefined) ids.add(idMatch[1]);
    if (inK && line.startsWith('| aws:')) {
      const cell = line.split('|')[1]!.trim();
      const keys = cell
        .split(/, | \/ /)
        .map((k) => k.replace(/\s*\(multi\)$/, '').trim())
        .filter((k) => k.length > 0)
        .map((k) => `K:${k}`);
      kRows.push(keys);
      for (const k of keys) ids.add(k);
    }
  }
  return { ids, kRows };
}

describe('corpus', () => {
  it('has at least 400 cases with unique ids, each citing rows and saying why', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(400);
    const ids = allCases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const c of allCases) {
      expect(c.cites.length, c.id).toBeGreaterThan(0);
      expect(c.why.length, c.id).toBeGreaterThan(10);
    }
  });

  it('cites only rows that exist in the reference', () => {
    const { ids } = referenceRows();
    const unknown = allCases.flatMap((c) => c.cites.filter((r) => !ids.has(r)).map((r) => `${c.id}: ${r}`));
    expect(unknown).toEqual([]);
  });

  it('cites every row of the reference feature table (V, M, C, P, K, E)', () => {
    const { ids, kRows } = referenceRows();
    const cited = new Set(allCases.flatMap((c) => c.cites));
    const plain = [...ids].filter((id) => !id.startsWith('K:'));
    expect(plain.length).toBeGreaterThan(40);
    expect(plain.filter((id) => !cited.has(id))).toEqual([]);
    expect(kRows.length).toBeGreaterThan(15);
    expect(kRows.filter((keys) => !keys.some((k) => cited.has(k))).map((keys) => keys.join(' | '))).toEqual([]);
  });
});

// Used only when ../shared is not beside the repository: the feature-table rows as of the
// reference's 2026 revision.
const FALLBACK_REFERENCE = [
  ...['V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7', 'V8', 'V9', 'V10', 'V11', 'V12', 'V13', 'V14'],
  ...['M1', 'M2', 'M3', 'M4', 'M5', 'M6'],
  ...['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11', 'C12', 'C13'],
  ...['P1', 'P2', 'P3', 'P4', 'P5', 'P6'],
  ...['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9', 'E10', 'E11', 'E12', 'E13'],
]
  .map((id) => `| ${id} | |`)
  .concat([
    '### K',
    '| aws:SourceIp |',
    '| aws:CurrentTime / aws:EpochTime |',
    '| aws:SecureTransport |',
    '| aws:MultiFactorAuthPresent |',
    '| aws:MultiFactorAuthAge |',
    '| aws:TokenIssueTime |',
    '| aws:PrincipalArn |',
    '| aws:PrincipalAccount / aws:PrincipalType / aws:userid |',
    '| aws:username |',
    '| aws:PrincipalOrgID / aws:PrincipalOrgPaths (multi) |',
    '| aws:PrincipalTag/k |',
    '| aws:RequestTag/k, aws:TagKeys (multi) |',
    '| aws:ResourceTag/k, aws:ResourceAccount, aws:ResourceOrgID |',
    '| aws:SourceIdentity |',
    '| aws:ViaAWSService |',
    '| aws:CalledVia (multi), aws:CalledViaFirst, aws:CalledViaLast |',
    '| aws:PrincipalIsAWSService, aws:PrincipalServiceName, aws:PrincipalServiceNamesList (multi) |',
    '| aws:SourceArn, aws:SourceAccount, aws:SourceOrgID |',
    '| aws:RequestedRegion, aws:UserAgent, aws:referer, aws:FederatedProvider |',
    '### E',
  ])
  .join('\n');

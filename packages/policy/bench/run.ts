/**
 * Policy engine benchmark on the reference workload (shared/bench/policy-workload.json).
 * Every decision is first checked against `expected` (any mismatch fails the run); then it
 * prints decisions/s (median of rounds) for: the compiled engine; the engine including
 * compilation of the policy set per pass; compile µs per statement; a plain RegExp-scan
 * evaluator (written below) measured in the same run; and decision cost with many extra
 * policies for other services.
 *
 * Usage: npm run bench -w @latchkey/policy [-- path/to/policy-workload.json]
 *        (or LATCHKEY_POLICY_WORKLOAD=path)
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, evaluate, validatePolicy } from '../src/index.js';
import type { CompiledPolicy, ContextValue, DecisionValue, EvaluationRequest, Policy, PolicySet } from '../src/index.js';

interface Workload {
  readonly principal: string;
  readonly identityPolicies: readonly { readonly name: string; readonly document: unknown }[];
  readonly requests: readonly { action: string; resource: string; context: Record<string, ContextValue>; expected: DecisionValue }[];
}

const here = dirname(fileURLToPath(import.meta.url));
const candidates = [process.argv[2], process.env['LATCHKEY_POLICY_WORKLOAD'], resolve(here, '../../../../shared/bench/policy-workload.json'), resolve(here, '../../../shared/bench/policy-workload.json')];
const path = candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
if (path === undefined) {
  console.error('policy-workload.json not found: pass its path as an argument or set LATCHKEY_POLICY_WORKLOAD');
  process.exit(2);
}
const workload = JSON.parse(readFileSync(path, 'utf8')) as Workload;
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 300);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);

function validated(document: unknown, name: string): Policy {
  const r = validatePolicy(document, { type: 'identity' });
  if (!r.valid || r.policy === undefined) throw new Error(`${name} does not validate: ${JSON.stringify(r.diagnostics)}`);
  return r.policy;
}

const asts = workload.identityPolicies.map((p) => ({ name: p.name, policy: validated(p.document, p.name) }));
const statementCount = asts.reduce((n, p) => n + p.policy.statements.length, 0);
const compileAll = (): CompiledPolicy[] => asts.map((p) => compilePolicy(p.policy, { type: 'identity', id: p.name }));

const accountId = workload.principal.split(':')[4] ?? '';
const requests: EvaluationRequest[] = workload.requests.map((r) => ({
  principal: { kind: 'user', arn: workload.principal, accountId },
  action: r.action,
  resource: { arn: r.resource },
  context: r.context,
}));
const expected = workload.requests.map((r) => r.expected);

// ---- correctness first
const compiled: PolicySet = { identity: compileAll() };
let mismatches = 0;
requests.forEach((request, i) => {
  const got = evaluate(request, compiled).decision;
  if (got !== expected[i]) {
    mismatches++;
    if (mismatches <= 10) console.error(`MISMATCH #${i}: ${request.action} ${request.resource.arn} expected ${expected[i]} got ${got}`);
  }
});
if (mismatches > 0) {
  console.error(`${mismatches} of ${requests.length} decisions differ from expected: not benchmarking a wrong engine`);
  process.exit(1);
}
console.log(`checked ${requests.length} decisions against expected: all match (${path})`);

// ---- timing helpers
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Rate {
  /** Per wall-clock second. */
  readonly wall: number;
  /** Per second of this process's CPU time (user + system, all threads): steadier than wall
   * time when the machine is shared, slightly pessimistic (JIT and GC threads count too). */
  readonly cpu: number;
}

/** Runs `pass` (which makes `perPass` decisions or units) for ROUND_MS per round; median rates. */
function rate(pass: () => void, perPass: number): Rate {
  for (let i = 0; i < 20; i++) pass(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < ROUND_MS) {
      pass();
      n += perPass;
      elapsed = performance.now() - start;
    }
    const used = process.cpuUsage(cpuStart);
    wall.push((n / elapsed) * 1000);
    cpu.push((n / ((used.user + used.system) / 1000)) * 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

let sink = 0;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtRate = (r: Rate, unit = 'decisions/s'): string => `${fmt(r.wall)} ${unit} (${fmt(r.cpu)} per CPU-second)`;

// ---- 1. compiled engine
const engineRate = rate(() => {
  for (const request of requests) if (evaluate(request, compiled).decision === 'allowed') sink++;
}, requests.length);

// ---- 2. including compilation of the policy set per pass over the requests
const withCompileRate = rate(() => {
  const set: PolicySet = { identity: compileAll() };
  for (const request of requests) if (evaluate(request, set).decision === 'allowed') sink++;
}, requests.length);

// ---- 3. compile cost per statement
const compilesPerSecond = rate(() => {
  sink += compileAll().length;
}, 1);
const compileMicros = { wall: 1e6 / compilesPerSecond.wall / statementCount, cpu: 1e6 / compilesPerSecond.cpu / statementCount };

// ---- 4. a plain reference point: a straightforward RegExp scan over every statement
interface PlainStatement {
  effect: string;
  actions: RegExp[];
  resources: RegExp[];
  conditions: { op: string; key: string; values: string[] }[];
}
const globToRegExp = (g: string, flags: string): RegExp =>
  new RegExp('^' + g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', flags);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
const plainStatements: PlainStatement[] = workload.identityPolicies.flatMap((p) =>
  list((p.document as { Statement: unknown }).Statement).length === 0
    ? []
    : ((p.document as { Statement: Record<string, unknown>[] }).Statement.map((s) => ({
        effect: String(s['Effect']),
        actions: list(s['Action']).map((a) => globToRegExp(a, 'i')),
        resources: list(s['Resource']).map((r) => globToRegExp(r, '')),
        conditions: Object.entries((s['Condition'] ?? {}) as Record<string, Record<string, unknown>>).flatMap(([op, body]) =>
          Object.entries(body).map(([key, values]) => ({ op, key, values: list(values) })),
        ),
      })) as PlainStatement[]),
);
function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const toInt = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return ((toInt(ip) & mask) >>> 0) === ((toInt(net!) & mask) >>> 0);
}
function plainCondition(c: { op: string; key: string; values: string[] }, ctx: Record<string, ContextValue>): boolean {
  const v = ctx[c.key];
  if (v === undefined) return false;
  const s = String(v);
  switch (c.op) {
    case 'StringEquals':
      return c.values.includes(s);
    case 'StringLike':
      return c.values.some((p) => globToRegExp(p, '').test(s));
    case 'Bool':
      return c.values.some((p) => p.toLowerCase() === s.toLowerCase());
    case 'IpAddress':
      return c.values.some((p) => ipInCidr(s, p));
    default:
      return false;
  }
}
function plainEvaluate(action: string, resource: string, ctx: Record<string, ContextValue>): DecisionValue {
  let allowed = false;
  for (const s of plainStatements) {
    if (!s.actions.some((r) => r.test(action)) || !s.resources.some((r) => r.test(resource))) continue;
    if (!s.conditions.every((c) => plainCondition(c, ctx))) continue;
    if (s.effect === 'Deny') return 'explicitDeny';
    allowed = true;
  }
  return allowed ? 'allowed' : 'implicitDeny';
}
const plainMismatches = workload.requests.filter((r) => plainEvaluate(r.action, r.resource, r.context) !== r.expected).length;
const plainRate = rate(() => {
  for (const r of workload.requests) if (plainEvaluate(r.action, r.resource, r.context) === 'allowed') sink++;
}, requests.length);

// ---- 5. decision cost with many extra policies for services the requests never use
const otherServices = ['ec2', 'rds', 'kms', 'sns', 'kinesis', 'glue', 'athena', 'ecs', 'eks', 'logs'];
function extraPolicy(i: number): CompiledPolicy {
  const service = otherServices[i % otherServices.length]!;
  const policy: Policy = {
    version: '2012-10-17',
    versionExplicit: true,
    statements: Array.from({ length: 5 }, (_, j) => ({
      index: j,
      sid: `X${i}S${j}`,
      effect: j === 4 ? 'Deny' : 'Allow',
      action: [`${service}:Describe*`, `${service}:Get${j}*`],
      resource: [`arn:aws:${service}:*:123456789012:thing/${i}-${j}-*`],
      conditions: [{ operator: 'StringLike', key: 'aws:PrincipalTag/team', values: [`team-${i}*`], pointer: '' }],
    })),
  };
  return compilePolicy(policy, { type: 'identity', id: `extra-${i}` });
}
const scaling: { extra: number; rate: Rate }[] = [];
for (const extra of [0, 100, 1000]) {
  const set: PolicySet = { identity: [...compiled.identity, ...Array.from({ length: extra }, (_, i) => extraPolicy(i))] };
  requests.forEach((request, i) => {
    if (evaluate(request, set).decision !== expected[i]) throw new Error(`extra policies changed decision #${i}`);
  });
  scaling.push({
    extra,
    rate: rate(() => {
      for (const request of requests) if (evaluate(request, set).decision === 'allowed') sink++;
    }, requests.length),
  });
}

console.log(`workload: ${workload.identityPolicies.length} policies, ${statementCount} statements, ${requests.length} requests; ${ROUNDS} rounds of ${ROUND_MS} ms, median`);
console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`compiled engine:                         ${fmtRate(engineRate)}`);
console.log(`engine incl. compiling the set per pass: ${fmtRate(withCompileRate)}`);
console.log(`compilation:                             ${compileMicros.wall.toFixed(2)} µs per statement (${compileMicros.cpu.toFixed(2)} µs CPU)`);
console.log(`plain RegExp scan (reference point):     ${fmtRate(plainRate)}, ${plainMismatches} mismatches vs expected`);
for (const s of scaling) {
  console.log(`with ${String(s.extra).padStart(4)} extra policies for other services (${String(s.extra * 5).padStart(4)} statements): ${fmtRate(s.rate)}`);
}
if (sink < 0) console.log(sink); // keep results observable

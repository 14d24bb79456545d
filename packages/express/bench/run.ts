// Load benchmark: GET /orders/:id without the middleware, with long-term keys and with temporary
// credentials, server and load generator in separate processes, interleaved rounds. Requests are
// signed once by the server process (never in the load loop); autocannon keeps its connections
// alive; both routes must answer the same bytes (checked below before measuring).
// Usage: npm run bench -w @latchkey/express [-- seconds rounds connections]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { build } from 'esbuild';

const [seconds = 5, rounds = 3, connections = 32] = process.argv.slice(2).map(Number);
// The server runs as plain JavaScript, bundled from the workspace sources: tsx's loader hooks
// and per-closure naming helpers would otherwise be measured as middleware cost.
const bundle = fileURLToPath(new URL('../node_modules/.bench/server.mjs', import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL('./server.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  conditions: ['@latchkey/source'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [{ name: 'workspace-only', setup: (b) => void b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@latchkey/') ? undefined : { path: a.path, external: true })) }],
  logLevel: 'warning',
});
const child = spawn(process.execPath, [bundle], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(child.stdout!, 'data')) as [Buffer];
const info = JSON.parse(line.toString('utf8').split('\n')[0]!) as { url: string; longTerm: Record<string, string>; temporary: Record<string, string> };

const scenarios = {
  unprotected: { url: `${info.url}/plain/orders/42`, headers: {} },
  'long-term keys': { url: `${info.url}/orders/42`, headers: info.longTerm },
  'temporary credentials': { url: `${info.url}/orders/42`, headers: info.temporary },
} as const;
type Name = keyof typeof scenarios;
const results: Record<Name, { rps: number[]; p99: number[]; cpu: number[] }> = {
  unprotected: { rps: [], p99: [], cpu: [] },
  'long-term keys': { rps: [], p99: [], cpu: [] },
  'temporary credentials': { rps: [], p99: [], cpu: [] },
};
const cpu = async (): Promise<number> => {
  const u = (await (await fetch(`${info.url}/__cpu`)).json()) as { user: number; system: number };
  return u.user + u.system;
};

// Like with like: same status, body, header names and value lengths on every route (the date
// and the request id's value differ per response by nature).
const shape = async (s: { url: string; headers: Record<string, string> }): Promise<string> => {
  const r = await fetch(s.url, { headers: s.headers });
  const headers = [...r.headers].filter(([k]) => k !== 'date').map(([k, v]) => `${k}:${v.length}`);
  return `${r.status} ${headers.join(' ')} ${await r.text()}`;
};
const expected = await shape(scenarios.unprotected);
for (const [name, s] of Object.entries(scenarios) as [Name, (typeof scenarios)[Name]][]) {
  const got = await shape(s);
  if (got !== expected) throw new Error(`${name} answers differently from the unprotected route:\n${got}\n${expected}`);
}
for (const [name, s] of Object.entries(scenarios) as [Name, (typeof scenarios)[Name]][]) {
  // Warm-up (JIT, caches), and a check that the protected routes really answer 200.
  const warm = await autocannon({ url: s.url, headers: s.headers, duration: 1, connections });
  if (warm.non2xx > 0) throw new Error(`${name}: ${warm.non2xx} non-2xx answers`);
}
for (let round = 0; round < rounds; round++) {
  for (const [name, s] of Object.entries(scenarios) as [Name, (typeof scenarios)[Name]][]) {
    const before = await cpu();
    const r = await autocannon({ url: s.url, headers: s.headers, duration: seconds, connections });
    const used = (await cpu()) - before;
    if (r.non2xx > 0) throw new Error(`${name}: ${r.non2xx} non-2xx answers`);
    results[name].rps.push(r.requests.average);
    results[name].p99.push(r.latency.p99);
    // Server CPU per request: steadier than wall-clock throughput on a shared machine.
    results[name].cpu.push(used / r.requests.total);
  }
}
child.kill('SIGTERM');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = results.unprotected;
console.log(`${rounds} interleaved rounds of ${seconds}s, ${connections} connections; medians`);
for (const name of Object.keys(results) as Name[]) {
  const r = results[name];
  console.log(
    `${name.padEnd(22)} ${Math.round(median(r.rps)).toLocaleString('en').padStart(8)} req/s  p99 ${String(median(r.p99)).padStart(4)} ms  server CPU ${median(r.cpu).toFixed(0).padStart(4)} µs/req` +
      (name === 'unprotected'
        ? ''
        : `  (${(median(r.rps) / median(base.rps)).toFixed(2)}x throughput, ${(median(r.p99) / Math.max(1, median(base.p99))).toFixed(2)}x p99, ${(median(base.cpu) / median(r.cpu)).toFixed(2)}x per CPU-second)`),
  );
}

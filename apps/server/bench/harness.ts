// What the server's load benchmarks share: the servers run as separate processes (started with
// tsx, answering `PORT n` once listening and `CPU µs` on SIGUSR2), autocannon in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const TSX = resolve(here, '../../../node_modules/tsx/dist/loader.mjs');

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, rounds: { type: 'string', default: '1' } },
});
/** `--duration` (seconds per measurement), `--connections` and `--rounds` (benchmarks that interleave rounds) from the command line. */
export const duration = Number(values.duration);
export const connections = Number(values.connections);
export const rounds = Math.max(1, Math.floor(Number(values.rounds)));

/** The first account's root key the Latchkey server process is started with. */
export const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench/Root+Secret0123456789abcdefghijklm' };

export interface Server {
  child: ChildProcess;
  port: number;
  /** The process's CPU time so far, µs (it answers SIGUSR2 on stdout). */
  cpu(): Promise<number>;
}

/** Starts `bench/<script>` and resolves once it prints its port. */
export function startProcess(script: string, env: Record<string, string> = {}): Promise<Server> {
  // BENCH_PROFILE=<dir>: a V8 CPU profile of the Latchkey server process.
  const profile = process.env.BENCH_PROFILE !== undefined && script.startsWith('latchkey') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--conditions=@latchkey/source', '--import', TSX, join(here, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let waiting: ((us: number) => void) | undefined;
  const cpu = (): Promise<number> =>
    new Promise((res) => {
      waiting = res;
      child.kill('SIGUSR2');
    });
  return new Promise((res, rej) => {
    let out = '';
    let started = false;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const port = /^PORT (\d+)/.exec(line);
        if (port && !started) {
          started = true;
          res({ child, port: Number(port[1]), cpu });
        }
        const used = /^CPU (\d+)/.exec(line);
        if (used && waiting) {
          const w = waiting;
          waiting = undefined;
          w(Number(used[1]));
        }
      }
    });
    child.on('exit', (code) => rej(new Error(`${script} exited with ${code}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    child.removeAllListeners('exit');
    child.on('exit', () => res());
    child.kill('SIGTERM');
  });
}

/** One autocannon run with the command line's connections and duration unless `opts` says otherwise. */
export function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((res, rej) => {
    autocannon({ connections, duration, ...opts }, (err, result) => (err ? rej(err) : res(result)));
  });
}

/** Runs one measurement, with the server's CPU time (µs) spent during it. */
export async function measure(server: Server, opts: autocannon.Options): Promise<[Result, number]> {
  const before = await server.cpu();
  const result = await run(opts);
  return [result, (await server.cpu()) - before];
}

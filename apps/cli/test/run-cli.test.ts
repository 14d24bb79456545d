import { describe, expect, it } from 'vitest';
import type { Command } from '../src/command.js';
import { COMMANDS } from '../src/commands.js';
import { runCli } from '../src/run-cli.js';
import { UsageError } from '../src/usage-error.js';
import { runInProcess } from './helpers/run.js';

describe('runCli', () => {
  it('lists every registered command with --help, and exits 0', async () => {
    const run = await runInProcess(['--help']);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command.name}  `);
    expect(run.stdout).toContain('--version');
  });

  it('prints the version with --version and -v', async () => {
    expect(await runInProcess(['--version'])).toEqual({ code: 0, stdout: '0.0.0-test\n', stderr: '' });
    expect((await runInProcess(['-v'])).stdout).toBe('0.0.0-test\n');
  });

  it('exits 2 with the help on stderr when no command is given', async () => {
    const run = await runInProcess([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: latchkey');
  });

  it('exits 2 on an unknown command or global option, naming it', async () => {
    const command = await runInProcess(['polcy']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'polcy'");
    const option = await runInProcess(['--verbose']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--verbose'");
  });

  it('shows help for a command group and for each subcommand', async () => {
    const group = await runInProcess(['policy', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/validate\s+validate policy documents/);
    expect(group.stdout).toMatch(/simulate\s+simulate requests/);
    const sub = await runInProcess(['policy', 'validate', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('Usage: latchkey policy validate FILE...');
    expect((await runInProcess(['policy', 'simulate', '-h'])).stdout).toContain('--batch');
  });

  it('exits 2 for a missing or unknown subcommand and names the command path in usage errors', async () => {
    const missing = await runInProcess(['policy']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing command');
    const unknown = await runInProcess(['policy', 'lint']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'policy lint'");
    const option = await runInProcess(['policy', 'validate', '--frobnicate', 'x.json']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^latchkey policy validate: Unknown option '--frobnicate'/);
  });

  it('adds a command with one table entry: usage errors exit 2 and other failures exit 1', async () => {
    const commands: Command[] = [
      ...COMMANDS,
      {
        name: 'probe',
        summary: 'a command defined by the test',
        help: 'Usage: latchkey probe\n',
        async run(args) {
          if (args[0] === 'usage') throw new UsageError('bad usage');
          if (args[0] === 'crash') throw new Error('boom');
          return 0;
        },
      },
    ];
    const io = () => {
      const out = { text: '', write: (s: string) => ((out.text += s), true), once: () => out };
      const err = { text: '', write: (s: string) => ((err.text += s), true), once: () => err };
      return { out, err };
    };
    const a = io();
    expect(await runCli(['--help'], { stdout: a.out, stderr: a.err, stdin: process.stdin, cwd: '.' }, { version: '1' }, commands)).toBe(0);
    expect(a.out.text).toMatch(/ {2}probe\s+a command defined by the test/);
    const b = io();
    expect(await runCli(['probe', 'usage'], { stdout: b.out, stderr: b.err, stdin: process.stdin, cwd: '.' }, { version: '1' }, commands)).toBe(2);
    expect(b.err.text).toContain('latchkey probe: bad usage');
    const c = io();
    expect(await runCli(['probe', 'crash'], { stdout: c.out, stderr: c.err, stdin: process.stdin, cwd: '.' }, { version: '1' }, commands)).toBe(1);
    expect(c.err.text).toContain('boom');
    const d = io();
    expect(await runCli(['probe', '--help'], { stdout: d.out, stderr: d.err, stdin: process.stdin, cwd: '.' }, { version: '1' }, commands)).toBe(0);
    expect(d.out.text).toBe('Usage: latchkey probe\n');
  });
});

import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './usage-error.js';

export interface CliInfo {
  readonly version: string;
}

export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: latchkey <command> [options]',
    '',
    'Latchkey: AWS IAM and STS for in-house services.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also after any command)',
    '  -v, --version  print the version',
    '',
    'Exit status: 0 success, 1 failure (e.g. an invalid policy or a rejected request), 2 usage error.',
    '',
  ].join('\n');
}

/**
 * Runs one invocation and resolves to its exit status. Never throws: usage errors become exit 2
 * with a message on stderr, anything unexpected exit 1.
 */
export async function runCli(argv: readonly string[], io: CliIo, info: CliInfo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(globalHelp(commands));
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(globalHelp(commands));
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${info.version}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === first);
  if (command === undefined) {
    io.stderr.write(`latchkey: unknown ${first.startsWith('-') ? 'option' : 'command'} '${first}'\nRun \`latchkey --help\` for the list of commands.\n`);
    return EXIT_USAGE;
  }
  try {
    if (rest[0] === '--help' || rest[0] === '-h') {
      io.stdout.write(command.help);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const path = error.command ?? command.name;
      io.stderr.write(`latchkey ${path}: ${error.message}\nRun \`latchkey ${path} --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`latchkey ${command.name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { isHelpRequested } from './parse-options.js';
import { EXIT_OK, UsageError } from './usage-error.js';

/** A command made of subcommands (`latchkey policy validate`), with its own help listing. */
export function commandGroup(name: string, summary: string, subcommands: readonly Command[]): Command {
  const width = Math.max(...subcommands.map((c) => c.name.length));
  const help = [
    `Usage: latchkey ${name} <command> [options]`,
    '',
    summary,
    '',
    'Commands:',
    ...subcommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`latchkey ${name} <command> --help\` for a command's options.`,
    '',
  ].join('\n');
  return {
    name,
    summary,
    help,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const [first, ...rest] = args;
      if (first === undefined || (first.startsWith('-') && isHelpRequested([first]))) {
        if (first === undefined) throw new UsageError(`missing command\n\n${help}`);
        io.stdout.write(help);
        return EXIT_OK;
      }
      const sub = subcommands.find((c) => c.name === first);
      if (sub === undefined) {
        throw new UsageError(`unknown command '${name} ${first}'; commands: ${subcommands.map((c) => c.name).join(', ')}`);
      }
      if (isHelpRequested(rest)) {
        io.stdout.write(sub.help);
        return EXIT_OK;
      }
      try {
        return await sub.run(rest, io);
      } catch (error) {
        if (error instanceof UsageError) error.command ??= `${name} ${sub.name}`;
        throw error;
      }
    },
  };
}

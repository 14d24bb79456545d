import type { CliIo } from './cli-io.js';

/**
 * One `latchkey` command. Adding a command is one new file exporting a `Command` plus one line
 * in `commands.ts`.
 */
export interface Command {
  readonly name: string;
  /** One line for `latchkey --help`. */
  readonly summary: string;
  /** Full text for `latchkey <name> --help`. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit status. Throws
   * `UsageError` for invocation mistakes (reported with exit status 2). */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

import type { Command } from './command.js';
import { policyCommand } from './commands/policy.js';

/** Every top-level command, in the order `latchkey --help` lists them. One line per command. */
export const COMMANDS: readonly Command[] = [
  policyCommand,
];

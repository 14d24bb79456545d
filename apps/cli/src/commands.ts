import type { Command } from './command.js';
import { accountCommand } from './commands/account.js';
import { auditCommand } from './commands/audit.js';
import { catalogCommand } from './commands/catalog.js';
import { initCommand } from './commands/init.js';
import { loginCommand } from './commands/login.js';
import { mfaCommand } from './commands/mfa.js';
import { policyCommand } from './commands/policy.js';
import { serverCommand } from './commands/server.js';

/** Every top-level command, in the order `latchkey --help` lists them. One line per command. */
export const COMMANDS: readonly Command[] = [
  serverCommand,
  initCommand,
  accountCommand,
  policyCommand,
  catalogCommand,
  auditCommand,
  loginCommand,
  mfaCommand,
];

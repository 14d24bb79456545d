import { ACCOUNT_CREATE_HELP, ACCOUNT_LIST_HELP } from '@latchkey/server/help';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { commandGroup } from '../command-group.js';
import { runServerEntry } from './server.js';

const accountCreateCommand: Command = {
  name: 'create',
  summary: 'create an account with its own root access key (printed once)',
  help: ACCOUNT_CREATE_HELP,
  run: (args: readonly string[], io: CliIo) => runServerEntry((s) => s.accountCreateMain(args, io)),
};

const accountListCommand: Command = {
  name: 'list',
  summary: 'list the accounts',
  help: ACCOUNT_LIST_HELP,
  run: (args: readonly string[], io: CliIo) => runServerEntry((s) => s.accountListMain(args, io)),
};

export const accountCommand = commandGroup('account', 'manage accounts (each isolated, with its own root credentials)', [accountCreateCommand, accountListCommand]);

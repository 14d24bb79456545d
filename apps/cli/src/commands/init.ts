import { INIT_HELP } from '@latchkey/server/help';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { runServerEntry } from './server.js';

export const initCommand: Command = {
  name: 'init',
  summary: 'create the data directory, master key and first account without starting the server',
  help: INIT_HELP,
  run: (args: readonly string[], io: CliIo) => runServerEntry((s) => s.initMain(args, io)),
};

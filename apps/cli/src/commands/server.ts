import type * as Server from '@latchkey/server';
import { SERVER_HELP } from '@latchkey/server/help';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

// The server (Express, SQLite and PostgreSQL drivers) loads only when a server command runs, so
// `latchkey policy …` stays quick to start.
type ServerModule = typeof Server;

/** Runs one of @latchkey/server's command entry points, its configuration errors as usage errors. */
export async function runServerEntry(entry: (server: ServerModule) => Promise<number>): Promise<number> {
  const server = await import('@latchkey/server');
  try {
    return await entry(server);
  } catch (error) {
    if (error instanceof server.ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export const serverCommand: Command = {
  name: 'server',
  summary: 'run the IAM/STS endpoint (AWS Query, SigV4) on SQLite or PostgreSQL',
  help: SERVER_HELP,
  run: (args: readonly string[], io: CliIo) => runServerEntry((s) => s.serverMain(args, io)),
};

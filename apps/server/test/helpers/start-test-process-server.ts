import { generateMasterKey } from '@latchkey/keyring';
import type { ServerConfig } from '../../src/server-config.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { LogCapture, random } from './in-process-server.js';

/**
 * `startServer` as the CLI runs it (its shutdown path included), on 127.0.0.1 with a fresh master
 * key and the given account, logging to a capture; `config` overrides the rest.
 */
export function startTestProcessServer(
  dataDir: string,
  given: { accountId: string; rootAccessKeyId: string; rootSecretAccessKey: string },
  config: Partial<ServerConfig> = {},
): Promise<RunningServer> {
  const full: ServerConfig = { port: 0, host: '127.0.0.1', dataDir, masterKey: generateMasterKey(random), logLevel: 'silent', trustProxy: false, given, ...config };
  return startServer(full, { random, clock: () => Date.now(), console: { write: () => true }, logDestination: new LogCapture() });
}

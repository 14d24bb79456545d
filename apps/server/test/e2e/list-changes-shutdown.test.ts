import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKey } from '@latchkey/keyring';
import { expect, it } from 'vitest';
import { startServer } from '../../src/start-server.js';
import type { ServerConfig } from '../../src/server-config.js';
import { LogCapture } from '../helpers/in-process-server.js';
import { signRequest } from '../helpers/sign.js';

const random = (n: number): Uint8Array => randomBytes(n);
const ROOT = { accessKeyId: 'AKIALISTCHANGES00001', secretAccessKey: 'list/Changes+Secret0123456789abcdefghijk' };

it('answers waiting ListChanges long polls at once when the server stops, instead of holding the shutdown for their wait', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-watch-'));
  const config: ServerConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    masterKey: generateMasterKey(random),
    logLevel: 'silent',
    trustProxy: false,
    given: { accountId: '515151515151', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey },
  };
  const running = await startServer(config, { random, clock: () => Date.now(), console: { write: () => true }, logDestination: new LogCapture() });
  try {
    const poll = async (cursor?: string) => {
      const text = JSON.stringify({ Service: 'orders', WaitTimeSeconds: 20, ...(cursor === undefined ? {} : { Cursor: cursor }) });
      const extra = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'LatchkeyInternal_20261127.ListChanges' };
      const { headers } = signRequest({ url: `${running.url}/`, body: text, ...ROOT, service: 'latchkey', extraHeaders: extra });
      delete headers.host;
      const res = await fetch(`${running.url}/`, { method: 'POST', headers, body: text });
      return { status: res.status, json: (await res.json()) as { Cursor: string; Reset: boolean; Changes: unknown[] } };
    };
    const first = await poll();
    const waiting = poll(first.json.Cursor);
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await running.close(15_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await waiting).toEqual({ status: 200, json: { Cursor: first.json.Cursor, Reset: false, Changes: [] } });
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { signRequest } from '../helpers/sign.js';
import { startTestProcessServer } from '../helpers/start-test-process-server.js';

const ROOT = { accessKeyId: 'AKIALISTCHANGES00001', secretAccessKey: 'list/Changes+Secret0123456789abcdefghijk' };

it('answers waiting ListChanges long polls at once when the server stops, instead of holding the shutdown for their wait', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-watch-'));
  const running = await startTestProcessServer(dir, { accountId: '515151515151', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey });
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

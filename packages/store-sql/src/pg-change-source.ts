import type { ChangeEvent } from '@latchkey/store';
import pg from 'pg';
import type { ChangeSource } from './sql-store.js';

function parseEvent(payload: string | undefined): ChangeEvent | undefined {
  if (payload === undefined) return undefined;
  try {
    const v = JSON.parse(payload) as Partial<ChangeEvent>;
    if (typeof v.seq === 'number' && typeof v.kind === 'string' && typeof v.accountId === 'string' && typeof v.entity === 'string') {
      return { seq: v.seq, kind: v.kind, accountId: v.accountId, entity: v.entity };
    }
  } catch {
    // not ours: ignore
  }
  return undefined;
}

/**
 * LISTENs on a dedicated connection (a pooled one could be handed to a transaction). Only
 * events with a higher `seq` than the last delivered are passed on, so a duplicate NOTIFY
 * never reaches listeners twice.
 */
export class PgChangeSource implements ChangeSource {
  private client: pg.Client | undefined;
  private lastSeq = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
  ) {}

  async start(deliver: (event: ChangeEvent) => void): Promise<void> {
    if (this.client !== undefined) return;
    const client = new pg.Client(this.config);
    client.on('notification', (msg) => {
      if (msg.channel !== this.channel) return;
      const event = parseEvent(msg.payload);
      if (event === undefined || event.seq <= this.lastSeq) return;
      this.lastSeq = event.seq;
      deliver(event);
    });
    // A dropped LISTEN connection would silently stop invalidations; surface it instead of crashing.
    client.on('error', () => {
      this.client = undefined;
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    this.client = client;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.end().catch(() => undefined);
  }
}

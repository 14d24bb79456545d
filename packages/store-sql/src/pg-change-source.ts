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

export interface ChangeLogReader {
  head(): Promise<number>;
  since(afterSeq: number, limit: number): Promise<ChangeEvent[]>;
}

const RECONNECT_DELAYS_MS = [50, 200, 1000, 2000, 5000];
const CATCH_UP_BATCH = 1000;

/**
 * LISTENs on a dedicated connection (a pooled one could be handed to a transaction). When that
 * connection drops, it reconnects with backoff and replays what it missed from the change log
 * (sequence order equals commit order), so a cache is never left stale by a network blip.
 * Events at or below the last delivered `seq` are dropped, so nothing is delivered twice.
 */
export class PgChangeSource implements ChangeSource {
  private client: pg.Client | undefined;
  private lastSeq = 0;
  private deliver: ((event: ChangeEvent) => void) | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  /** Connections made so far (tests and metrics). */
  connections = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly log: ChangeLogReader,
  ) {}

  async start(deliver: (event: ChangeEvent) => void): Promise<void> {
    if (this.deliver !== undefined) return;
    this.deliver = deliver;
    // Listen first, then read the head: an event committed in between is both notified and
    // above the head, and the seq filter delivers it once.
    await this.connect();
    this.lastSeq = Math.max(this.lastSeq, await this.log.head());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (msg) => {
      if (msg.channel !== this.channel) return;
      const event = parseEvent(msg.payload);
      if (event !== undefined) this.emit(event);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    this.client = client;
    this.connections += 1;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempts, RECONNECT_DELAYS_MS.length - 1)] ?? 5000;
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.connect();
      // Replay what was committed while we were not listening.
      for (;;) {
        const missed = await this.log.since(this.lastSeq, CATCH_UP_BATCH);
        for (const event of missed) this.emit(event);
        if (missed.length < CATCH_UP_BATCH) break;
      }
      this.attempts = 0;
    } catch {
      const client = this.client;
      this.client = undefined;
      if (client !== undefined) await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private emit(event: ChangeEvent): void {
    if (this.stopped || event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.deliver?.(event);
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerListChanges, InternalApiValidationError, storeChangeReader, type ChangeReader } from '../src/index.js';
import { ACCOUNT, doc, fixture, type Fixture } from './helpers/fixture.js';

const OTHER = '444455556666';
let f: Fixture;
let reader: ChangeReader & { start(): Promise<void> };
let n = 0;
/** A committed change of the fixture's account (a new user). */
const change = async (): Promise<void> => void (await f.iamCall('CreateUser', { UserName: `u${++n}` }));
const head = async (): Promise<number> => (await reader.read(ACCOUNT, undefined, 0)).cursor;

beforeAll(async () => {
  f = await fixture();
  await f.iam.createAccount({ accountId: OTHER }, new Date(f.clock.now));
  reader = storeChangeReader(f.store, { batch: 5 });
  await reader.start();
});

afterAll(async () => {
  reader?.close();
  await f?.close();
});

describe('storeChangeReader', () => {
  it('answers a reset at the log head to a reader without a cursor, or with a cursor past the head', async () => {
    const h = await head();
    expect(h).toBeGreaterThan(0);
    expect(await reader.read(ACCOUNT, undefined, 0)).toEqual({ cursor: h, reset: true, kinds: [] });
    expect(await reader.read(ACCOUNT, h + 1, 0)).toEqual({ cursor: h, reset: true, kinds: [] });
    expect(await reader.read(ACCOUNT, h, 0)).toEqual({ cursor: h, reset: false, kinds: [] });
  });

  it("answers the kinds of the account's changes after the cursor, each once, and moves past other accounts' changes", async () => {
    const from = await head();
    await change();
    await f.iamCall('PutUserPolicy', { UserName: `u${n}`, PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'orders:*', Resource: '*' }) });
    await change();
    const read = await reader.read(ACCOUNT, from, 0);
    expect(read.reset).toBe(false);
    expect(read.kinds).toEqual(['user', 'inlinePolicy']);
    expect(read.cursor).toBe(await head());
    // Another account sees none of them, but its cursor moves past them too.
    const other = await reader.read(OTHER, from, 0);
    expect(other).toEqual({ cursor: read.cursor, reset: false, kinds: [] });
  });

  it('reads a long backlog a batch at a time, without waiting', async () => {
    const from = await head();
    for (let i = 0; i < 7; i++) await change();
    const first = await reader.read(OTHER, from, 60_000);
    expect(first.kinds).toEqual([]);
    expect(first.cursor).toBe(from + 5);
    const second = await reader.read(ACCOUNT, first.cursor, 60_000);
    expect(second).toEqual({ cursor: from + 7, reset: false, kinds: ['user'] });
  });

  it("waits for the account's next change and answers it as soon as it commits", async () => {
    const from = await head();
    const started = Date.now();
    const waiting = reader.read(ACCOUNT, from, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await change();
    const read = await waiting;
    expect(read).toEqual({ cursor: from + 1, reset: false, kinds: ['user'] });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("answers empty after the wait when nothing of the account changed (another account's change does not wake it)", async () => {
    const from = await head();
    const waiting = reader.read(OTHER, from, 300);
    await change();
    const read = await waiting;
    expect(read).toEqual({ cursor: from + 1, reset: false, kinds: [] });
  });

  it('answers waiting reads at once on close, and does not wait afterwards', async () => {
    const own = storeChangeReader(f.store);
    await own.start();
    const from = await head();
    const started = Date.now();
    const waiting = own.read(ACCOUNT, from, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    own.close();
    expect(await waiting).toEqual({ cursor: from, reset: false, kinds: [] });
    expect(await own.read(ACCOUNT, from, 30_000)).toEqual({ cursor: from, reset: false, kinds: [] });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers at once beyond maxWaiters', async () => {
    const own = storeChangeReader(f.store, { maxWaiters: 1 });
    await own.start();
    const from = await head();
    const first = own.read(ACCOUNT, from, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await own.read(ACCOUNT, from, 30_000)).toEqual({ cursor: from, reset: false, kinds: [] });
    own.close();
    await first;
  });
});

describe('answerListChanges', () => {
  it('answers the wire shape: the cursor as a string, the kinds as Changes', async () => {
    const from = await head();
    await change();
    expect(await answerListChanges(reader, ACCOUNT, { Service: 'orders', Cursor: String(from) })).toEqual({ Cursor: String(from + 1), Reset: false, Changes: [{ Kind: 'user' }] });
    expect(await answerListChanges(reader, ACCOUNT, { Service: 'orders' })).toEqual({ Cursor: String(from + 1), Reset: true, Changes: [] });
  });

  it.each([
    ['no Service', { Cursor: '1' }, 'Service must be a non-empty string'],
    ['a Cursor that is not a position', { Service: 'orders', Cursor: 'abc' }, 'Cursor must be the Cursor of a previous answer'],
    ['a negative Cursor', { Service: 'orders', Cursor: '-1' }, 'Cursor must be the Cursor of a previous answer'],
    ['a Cursor with a leading zero', { Service: 'orders', Cursor: '012' }, 'Cursor must be the Cursor of a previous answer'],
    ['a numeric Cursor', { Service: 'orders', Cursor: 12 }, 'Cursor must be the Cursor of a previous answer'],
    ['WaitTimeSeconds over 20', { Service: 'orders', WaitTimeSeconds: 21 }, 'WaitTimeSeconds must be a whole number from 0 to 20'],
    ['a negative WaitTimeSeconds', { Service: 'orders', WaitTimeSeconds: -1 }, 'WaitTimeSeconds must be a whole number from 0 to 20'],
    ['a fractional WaitTimeSeconds', { Service: 'orders', WaitTimeSeconds: 1.5 }, 'WaitTimeSeconds must be a whole number from 0 to 20'],
    ['WaitTimeSeconds as a string', { Service: 'orders', WaitTimeSeconds: '5' }, 'WaitTimeSeconds must be a whole number from 0 to 20'],
  ])('refuses %s', async (_name, body, message) => {
    const err = await answerListChanges(reader, ACCOUNT, body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalApiValidationError);
    expect((err as Error).message).toBe(message);
  });
});

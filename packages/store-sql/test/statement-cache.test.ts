import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../src/statement-cache.js';

describe('withStatementCache', () => {
  let raw: Database.Database;
  afterEach(() => {
    if (raw.open) raw.close();
  });
  const open = (): Database.Database => {
    raw = new Database(':memory:');
    raw.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
    return raw;
  };

  it('hands back the same prepared statement for the same SQL text', () => {
    const db = withStatementCache(open());
    const first = db.prepare('SELECT v FROM t WHERE k = ?');
    expect(db.prepare('SELECT v FROM t WHERE k = ?')).toBe(first);
    expect(db.prepare('SELECT k FROM t WHERE k = ?')).not.toBe(first);
  });

  it('binds each run afresh: a reused statement returns the current rows for new parameters', () => {
    const db = withStatementCache(open());
    db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(['a', 1]);
    db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(['b', 2]);
    expect(db.prepare('SELECT v FROM t WHERE k = ?').all(['a'])).toEqual([{ v: 1 }]);
    expect(db.prepare('SELECT v FROM t WHERE k = ?').all(['b'])).toEqual([{ v: 2 }]);
    expect(db.prepare('SELECT v FROM t WHERE k = ?').all(['c'])).toEqual([]);
  });

  it('keeps working after a failed run of the same statement (constraint violation)', () => {
    const db = withStatementCache(open());
    const insert = 'INSERT INTO t (k, v) VALUES (?, ?)';
    db.prepare(insert).run(['a', 1]);
    expect(() => db.prepare(insert).run(['a', 2])).toThrow(/UNIQUE/);
    db.prepare(insert).run(['b', 3]);
    expect(db.prepare('SELECT k, v FROM t ORDER BY k').all([])).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: 3 },
    ]);
  });

  it('sees schema changes made after a statement was cached (SQLite re-prepares it)', () => {
    const db = withStatementCache(open());
    db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(['a', 1]);
    const select = 'SELECT * FROM t';
    expect(db.prepare(select).all([])).toEqual([{ k: 'a', v: 1 }]);
    db.prepare('ALTER TABLE t ADD COLUMN w TEXT').run([]);
    expect(db.prepare(select).all([])).toEqual([{ k: 'a', v: 1, w: null }]);
  });

  it('drops the least recently used statement past its capacity', () => {
    const db = withStatementCache(open(), 2);
    const a = db.prepare('SELECT 1');
    const b = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(a); // now "SELECT 2" is the least recently used
    db.prepare('SELECT 3');
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
  });

  it('refuses a capacity that is not a positive integer', () => {
    const database = open();
    for (const capacity of [0, -1, 1.5, Number.NaN]) expect(() => withStatementCache(database, capacity)).toThrow(RangeError);
  });

  it('closes the database', () => {
    const db = withStatementCache(open());
    db.prepare('SELECT 1');
    db.close();
    expect(raw.open).toBe(false);
  });
});

describe('withStatementCache readNow', () => {
  let raw: Database.Database;
  afterEach(() => {
    if (raw.open) raw.close();
  });
  const open = () => {
    raw = new Database(':memory:');
    raw.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 1)");
    return withStatementCache(raw);
  };

  it('runs a read at once while no transaction is open', () => {
    const db = open();
    expect(db.readNow('SELECT v FROM t WHERE k = ?', ['a'])).toEqual([{ v: 1 }]);
    expect(db.readNow('SELECT v FROM t WHERE k = ?', ['b'])).toEqual([]);
  });

  it('declines while a transaction is open on the connection, so uncommitted rows are never read around the queue', () => {
    const db = open();
    db.prepare('BEGIN IMMEDIATE').run([]);
    db.prepare("INSERT INTO t VALUES ('b', 2)").run([]);
    expect(db.readNow('SELECT v FROM t WHERE k = ?', ['b'])).toBeUndefined();
    db.prepare('ROLLBACK').run([]);
    expect(db.readNow('SELECT v FROM t WHERE k = ?', ['b'])).toEqual([]);
  });

  it('declines statements that write', () => {
    const db = open();
    expect(db.readNow("INSERT INTO t VALUES ('c', 3)", [])).toBeUndefined();
    expect(db.readNow('SELECT count(*) AS n FROM t', [])).toEqual([{ n: 1 }]);
  });
});

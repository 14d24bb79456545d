import type { Compilable, CompiledQuery, Kysely, RootOperationNode } from 'kysely';
import type { Context } from './context.js';
import type { Database, Dialect } from './schema.js';

interface Template {
  readonly query: RootOperationNode;
  readonly queryId: CompiledQuery['queryId'];
  readonly sql: string;
  /** Per compiled parameter: the index of the argument that fills it, or -1 for a constant. */
  readonly slots: readonly number[];
  /** Per compiled parameter: the constant value where `slots` says -1. */
  readonly constants: readonly unknown[];
}

// A placeholder no caller can pass: NUL never occurs in the store's keys or names.
const placeholder = (i: number): string => `\u0000latchkey-parameter-${i}\u0000`;

/**
 * A query built and compiled once per dialect and then run with each call's values. Kysely
 * rebuilds and recompiles a query tree on every call, which on the hot read path (a signed
 * GetUser: the user by name, its tags) cost as much as SQLite's own work.
 *
 * `build` receives placeholders in place of the arguments, so each argument must reach the SQL
 * as exactly one bound parameter: compared with `=`, `<`, `like`, given to `limit`, inserted or
 * set; never transformed in JavaScript, expanded into an `in` list or used to choose the query's
 * shape (build one prepared query per shape instead).
 */
export function preparedQuery<A extends readonly unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): (ctx: Context, ...args: A) => Promise<R[]> {
  const templates = new Map<Dialect, Template>();
  // `build`'s parameters after the Kysely instance are the query's arguments.
  const arity = build.length - 1;
  const compile = (ctx: Context): Template => {
    const names = Array.from({ length: arity }, (_, i) => placeholder(i));
    const compiled = build(ctx.db, ...(names as unknown as A)).compile();
    const slots = compiled.parameters.map((p) => (typeof p === 'string' ? names.indexOf(p) : -1));
    for (let i = 0; i < arity; i++) {
      if (slots.filter((s) => s === i).length !== 1) throw new TypeError(`prepared query: argument ${i} must be bound exactly once in ${compiled.sql}`);
    }
    const template: Template = { query: compiled.query, queryId: compiled.queryId, sql: compiled.sql, slots, constants: compiled.parameters };
    templates.set(ctx.dialect, template);
    return template;
  };
  return async (ctx, ...args) => {
    const t = templates.get(ctx.dialect) ?? compile(ctx);
    const parameters = new Array<unknown>(t.slots.length);
    for (let i = 0; i < t.slots.length; i++) {
      const slot = t.slots[i] as number;
      parameters[i] = slot < 0 ? t.constants[i] : args[slot];
    }
    const rows = ctx.readNow?.(t.sql, parameters);
    if (rows !== undefined) return rows as R[];
    const result = await ctx.db.executeQuery<R>({ query: t.query, queryId: t.queryId, sql: t.sql, parameters });
    return result.rows;
  };
}

import type { AuditOutcome, AuditRecord, AuditRepository } from '@latchkey/store';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import { auditColumns, auditHash } from '../audit-hash.js';
import type { Context } from '../context.js';
import { markerNumber, num, pageSize, toPage } from '../paging.js';
import { preparedQuery } from '../prepared-query.js';
import type { Database } from '../schema.js';

const toAudit = (r: Selectable<Database['audit_log']>): AuditRecord => ({
  seq: num(r.seq),
  id: r.id,
  at: num(r.at),
  requestId: r.request_id,
  accountId: r.account_id,
  principalArn: r.principal_arn,
  action: r.action,
  resource: r.resource,
  sourceIp: r.source_ip,
  userAgent: r.user_agent,
  outcome: r.outcome as AuditOutcome,
  errorCode: r.error_code,
  params: r.params,
  prevHash: r.prev_hash,
  hash: r.hash,
});

// Only the head's hash: its record's params (the whole CloudTrail event) are not needed to chain.
const headHash = preparedQuery((db) => db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1));

// Built and compiled once per dialect: appends come in batches of up to hundreds per commit,
// and Kysely would otherwise build and compile the same 14-column INSERT for every record.
const insertRecord = preparedQuery(
  (
    db,
    id: string,
    at: number,
    requestId: string,
    accountId: string,
    principalArn: string | null,
    action: string,
    resource: string | null,
    sourceIp: string | null,
    userAgent: string | null,
    outcome: AuditOutcome,
    errorCode: string | null,
    params: string,
    prevHash: string | null,
    hash: string,
  ) =>
    db
      .insertInto('audit_log')
      .values({
        id,
        at,
        request_id: requestId,
        account_id: accountId,
        principal_arn: principalArn,
        action,
        resource,
        source_ip: sourceIp,
        user_agent: userAgent,
        outcome,
        error_code: errorCode,
        params,
        prev_hash: prevHash,
        hash,
      })
      .returning('seq'),
);

export function auditRepository(ctx: Context): AuditRepository {
  const { db } = ctx;
  const last = async () => {
    const row = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row && toAudit(row);
  };
  return {
    async append(entry) {
      ctx.write('audit.append');
      let prevHash = ctx.auditHead;
      if (prevHash === undefined) {
        if (ctx.dialect === 'postgres') {
          // Serialises appenders on the chain head until commit, so the chain never forks.
          await sql`SELECT pg_advisory_xact_lock(hashtext('latchkey:audit:' || current_schema()))`.execute(db);
        }
        prevHash = (await headHash(ctx))[0]?.hash ?? null;
      }
      const hash = auditHash(prevHash, entry);
      const [row] = await insertRecord(ctx, ...auditColumns(entry), prevHash, hash);
      if (row === undefined) throw new Error('audit_log insert returned no row');
      ctx.auditHead = hash;
      return { ...entry, seq: num(row.seq), prevHash, hash };
    },
    async query(query) {
      const limit = pageSize(query.maxItems);
      const after = markerNumber(query.marker);
      let q = db.selectFrom('audit_log').selectAll();
      if (query.accountId !== undefined) q = q.where('account_id', '=', query.accountId);
      if (query.from !== undefined) q = q.where('at', '>=', query.from);
      if (query.to !== undefined) q = q.where('at', '<', query.to);
      if (query.principalArn !== undefined) q = q.where('principal_arn', '=', query.principalArn);
      if (query.action !== undefined) q = q.where('action', '=', query.action);
      if (query.outcome !== undefined) q = q.where('outcome', '=', query.outcome);
      if (after !== undefined) q = q.where('seq', '>', after);
      const rows = await q.orderBy('seq').limit(limit + 1).execute();
      return toPage(rows, limit, (r) => [num(r.seq)], toAudit);
    },
    last,
  };
}

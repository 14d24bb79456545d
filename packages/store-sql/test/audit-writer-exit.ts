// Child process for audit-writer.test.ts: appends through the writer thread and never closes
// the store. The process must still end by itself once the batch is stored (an idle writer
// thread does not keep it alive). Prints the stored seq numbers.
import { openStore } from '../src/index.js';

const [url] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: audit-writer-exit.ts <sqlite url>');
const store = await openStore({ url });
const at = 1_700_000_000_000;
const base = { at, requestId: 'r', accountId: '123456789012', principalArn: null, action: 'iam:GetUser', resource: null, sourceIp: null, userAgent: null, outcome: 'success' as const, errorCode: null, params: '{}' };
const stored = await store.appendAudit([{ ...base, id: 'exit-1' }, { ...base, id: 'exit-2' }]);
console.log(JSON.stringify(stored.map((r) => r.seq)));

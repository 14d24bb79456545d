// Child process for the crash test: writes multi-row "entities" (user + access key + group
// membership, one transaction each) as fast as it can and prints `ACK <user id>` after each commit.
// With a fourth argument `audit`, audit batches (`appendAudit`: on a SQLite file, the writer
// thread's own connection) go on at the same time, several in flight, each printing
// `AUDIT <event id>` per entry once acknowledged. The parent SIGKILLs it mid-stream.
import { openStore } from '../src/index.js';

const [url, schema, accountId, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const store = await openStore({ url, ...(schema === '-' ? {} : { schema }) });
const groupId = `AGPA${accountId}CRASH`;
await store.transaction(async (tx) => {
  if ((await tx.accounts.get(accountId)) === undefined) await tx.accounts.create({ id: accountId, alias: null, createdAt: 0 });
  if ((await tx.groups.getById(accountId, groupId)) === undefined) {
    await tx.groups.create({ accountId, id: groupId, name: 'crash', path: '/', arn: `arn:aws:iam::${accountId}:group/crash`, createdAt: 0 });
  }
});
process.stdout.write('READY\n');
if (mode === 'audit') {
  let n = 0;
  const batch = () =>
    Array.from({ length: 1 + (n % 5) }, () => {
      n++;
      return {
        id: `evt-crash-${String(n).padStart(8, '0')}`,
        at: 1_700_000_000_000 + n,
        requestId: `req-${n}`,
        accountId,
        principalArn: `arn:aws:iam::${accountId}:user/crash`,
        action: 'iam:GetUser',
        resource: null,
        sourceIp: '192.0.2.1',
        userAgent: 'crash-writer',
        outcome: 'success' as const,
        errorCode: null,
        params: JSON.stringify({ n }),
      };
    });
  // Four appenders, each with its next batch in flight as soon as the last one is acknowledged.
  for (let lane = 0; lane < 4; lane++) {
    void (async () => {
      for (;;) {
        const entries = batch();
        await store.appendAudit(entries);
        process.stdout.write(entries.map((e) => `AUDIT ${e.id}\n`).join(''));
      }
    })();
  }
}
for (let i = 0; ; i++) {
  const id = `AIDA${String(i).padStart(12, '0')}CRASH`;
  await store.transaction(async (tx) => {
    await tx.users.create({
      accountId,
      id,
      name: `u${i}`,
      path: '/',
      arn: `arn:aws:iam::${accountId}:user/u${i}`,
      createdAt: i,
      permissionsBoundaryArn: null,
      passwordLastUsedAt: null,
    });
    await tx.accessKeys.create({ accountId, id: `AKIA${String(i).padStart(12, '0')}CR`, userId: id, isRoot: false, secret: { ciphertext: 'c', keyId: 'k' }, status: 'Active', createdAt: i });
    await tx.groups.addMember(accountId, groupId, id);
  });
  process.stdout.write(`ACK ${id}\n`);
}

// Child process for the crash test: writes multi-row "entities" (user + access key + group
// membership, one transaction each) as fast as it can and prints `ACK <user id>` after each commit.
// The parent SIGKILLs it mid-stream.
import { openStore } from '../src/index.js';

const [url, schema, accountId] = process.argv.slice(2) as [string, string, string];
const store = await openStore({ url, ...(schema === '-' ? {} : { schema }) });
const groupId = `AGPA${accountId}CRASH`;
await store.transaction(async (tx) => {
  if ((await tx.accounts.get(accountId)) === undefined) await tx.accounts.create({ id: accountId, alias: null, createdAt: 0 });
  if ((await tx.groups.getById(accountId, groupId)) === undefined) {
    await tx.groups.create({ accountId, id: groupId, name: 'crash', path: '/', arn: `arn:aws:iam::${accountId}:group/crash`, createdAt: 0 });
  }
});
process.stdout.write('READY\n');
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

import { AWS_MANAGED_ACCOUNT_ID, type Repositories, type Store } from '@latchkey/store';
import { AWS_MANAGED_POLICIES, type AwsManagedPolicy } from './aws-managed-policies.js';

const versionNumber = (versionId: string): number => Number(versionId.slice(1));

/**
 * Brings one AWS managed policy up to date: creates it when absent, and adds the versions up to
 * its default that the store lacks. Version ids are AWS's: a version the corpus does not record
 * is created and deleted again, so the number is used and the later ids stay AWS's.
 * Returns whether anything was written.
 */
async function seedPolicy(tx: Repositories, p: AwsManagedPolicy): Promise<boolean> {
  const target = versionNumber(p.defaultVersionId);
  const byNumber = new Map(p.versions.map((v) => [versionNumber(v.versionId), v]));
  const fallback = byNumber.get(target) ?? p.versions[p.versions.length - 1];
  if (fallback === undefined) throw new RangeError(`AWS managed policy ${p.name} has no version`);
  const existing = await tx.policies.getByArn(p.arn, { forUpdate: true });
  let have: number;
  const gaps: string[] = [];
  if (existing === undefined) {
    const first = byNumber.get(1);
    await tx.policies.create({
      accountId: AWS_MANAGED_ACCOUNT_ID,
      id: p.id,
      name: p.name,
      path: p.path,
      arn: p.arn,
      description: p.description,
      isAttachable: p.isAttachable,
      createdAt: Date.parse(p.createdAt),
      document: (first ?? fallback).document,
    });
    if (first === undefined) gaps.push('v1');
    have = 1;
  } else {
    have = versionNumber(existing.defaultVersionId);
    if (have >= target) return false;
  }
  for (let n = have + 1; n <= target; n++) {
    const recorded = byNumber.get(n);
    const at = n === target ? Date.parse(p.updatedAt) : Date.parse((recorded ?? fallback).createdAt);
    await tx.policies.createVersion(p.arn, (recorded ?? fallback).document, n === target, at);
    if (recorded === undefined) gaps.push(`v${n}`);
  }
  for (const versionId of gaps) await tx.policies.deleteVersion(p.arn, versionId);
  return true;
}

/**
 * Seeds the AWS managed policies that concern IAM and STS (`AdministratorAccess`,
 * `IAMFullAccess`, ...) under their AWS ARNs, ids and version ids, in one transaction.
 * Idempotent: an up-to-date store is left untouched, and a store seeded from an older corpus
 * gains the newer versions. Several instances may seed one database at once: the loser of the
 * race retries and then finds everything in place. Returns how many policies it wrote.
 */
export async function seedAwsManagedPolicies(store: Store, policies: readonly AwsManagedPolicy[] = AWS_MANAGED_POLICIES): Promise<number> {
  const run = (): Promise<number> =>
    store.transaction(async (tx) => {
      let written = 0;
      for (const p of policies) if (await seedPolicy(tx, p)) written++;
      return written;
    });
  try {
    return await run();
  } catch {
    // Another instance seeded concurrently (unique-key conflict): its rows are now visible.
    return run();
  }
}

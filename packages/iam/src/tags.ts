import { InvalidInput } from '@latchkey/errors';
import { findTagProblem } from '@latchkey/model';
import type { Tag } from '@latchkey/store';

/** Request tags (`Tags.member.N`) as the store keeps them, after AWS's whole-request checks (reserved `aws:` prefix, duplicate keys). */
export function requestTags(tags: readonly { Key: string; Value: string }[] | undefined): Tag[] {
  if (tags === undefined) return [];
  const problem = findTagProblem(tags);
  if (problem !== undefined) throw new InvalidInput(problem.message);
  return tags.map((t) => ({ key: t.Key, value: t.Value }));
}

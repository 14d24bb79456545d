import { codePointLength } from './constraint-check.js';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** At most 50 tags per IAM resource and per STS session. */
export const MAX_TAGS_PER_RESOURCE = 50;

export const DUPLICATE_TAG_KEYS_MESSAGE = 'Duplicate tag keys found. Please note that Tag keys are case insensitive.';
// AWS documents the prefix as reserved; the exact IAM wording is not recorded anywhere we could
// find, so this text is ours.
export const RESERVED_TAG_PREFIX_MESSAGE = "The tag key prefix 'aws:' is reserved for AWS use.";

export type TagProblem =
  | { readonly kind: 'duplicate'; readonly key: string; readonly message: string }
  | { readonly kind: 'reserved'; readonly key: string; readonly message: string }
  | { readonly kind: 'tooMany'; readonly count: number; readonly message: string };

/** True when the key starts with `aws:` in any case (AWS treats the prefix case-insensitively). */
export function isReservedTagKey(key: string): boolean {
  return key.slice(0, 4).toLowerCase() === 'aws:';
}

/**
 * The first problem in a set of tags given in one request: a reserved `aws:` key, then duplicate keys
 * (compared case-insensitively: AWS rejects `Team` and `team` in one request, whatever the resource),
 * then more than `max` tags. Per-member length/pattern rules are the wire layer's job.
 */
export function findTagProblem(tags: readonly Tag[], max = MAX_TAGS_PER_RESOURCE): TagProblem | undefined {
  const seen = new Set<string>();
  for (const { Key } of tags) {
    if (isReservedTagKey(Key)) return { kind: 'reserved', key: Key, message: RESERVED_TAG_PREFIX_MESSAGE };
    const folded = Key.toLowerCase();
    if (seen.has(folded)) return { kind: 'duplicate', key: Key, message: DUPLICATE_TAG_KEYS_MESSAGE };
    seen.add(folded);
  }
  if (tags.length > max) return { kind: 'tooMany', count: tags.length, message: `Cannot exceed quota for TagsPerResource: ${max}` };
  return undefined;
}

/**
 * Applies Tag* semantics: on users and roles keys are case-insensitive with the new spelling
 * replacing the old (`department=hr` over `Department=finance` leaves one tag); elsewhere
 * (policies, providers, MFA devices…) keys are case-sensitive. Order: existing tags keep their slot.
 */
export function mergeTags(existing: readonly Tag[], incoming: readonly Tag[], caseInsensitiveKeys: boolean): Tag[] {
  const fold = (k: string): string => (caseInsensitiveKeys ? k.toLowerCase() : k);
  const out = existing.map((t) => ({ Key: t.Key, Value: t.Value }));
  const index = new Map(out.map((t, i) => [fold(t.Key), i]));
  for (const t of incoming) {
    const i = index.get(fold(t.Key));
    if (i === undefined) {
      index.set(fold(t.Key), out.length);
      out.push({ Key: t.Key, Value: t.Value });
    } else out[i] = { Key: t.Key, Value: t.Value };
  }
  return out;
}

/** Removes the given keys (case-insensitively on users and roles). */
export function removeTags(existing: readonly Tag[], keys: readonly string[], caseInsensitiveKeys: boolean): Tag[] {
  const fold = (k: string): string => (caseInsensitiveKeys ? k.toLowerCase() : k);
  const drop = new Set(keys.map(fold));
  return existing.filter((t) => !drop.has(fold(t.Key)));
}

/** Tag sizes in code points, for callers that pack tags (STS PackedPolicySize). */
export function tagSize(tag: Tag): number {
  return codePointLength(tag.Key) + codePointLength(tag.Value);
}

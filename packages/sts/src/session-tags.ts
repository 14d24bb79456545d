import { InvalidParameterValue } from '@latchkey/errors';
import { isReservedTagKey, RESERVED_TAG_PREFIX_MESSAGE } from '@latchkey/model';
import type { Tag } from '@latchkey/store';
import { DUPLICATE_TAG_KEYS, TRANSITIVE_KEY_NOT_IN_TAGS, TRANSITIVE_TAG_CONFLICT } from './messages.js';

export interface SessionTagsResult {
  /** Every tag the new session carries: the inherited transitive ones first, then the request's. */
  readonly tags: Tag[];
  /** The transitive keys of the new session (inherited plus requested). */
  readonly transitiveTagKeys: string[];
  /** Only the request's own tags (what `sts:TagSession`, `aws:RequestTag/*` and the packed size see). */
  readonly requestTags: Tag[];
}

/**
 * Session tags of an AssumeRole: the request's `Tags` (at most 50 by the input shape; keys
 * case-insensitive, no `aws:` prefix), `TransitiveTagKeys` each among them, and the calling
 * session's transitive tags inherited; a request tag may not reuse an inherited transitive key.
 */
export function sessionTags(
  input: { Tags?: readonly { Key: string; Value: string }[]; TransitiveTagKeys?: readonly string[] },
  inherited: { tags?: readonly Tag[]; transitiveTagKeys?: readonly string[] } | undefined,
): SessionTagsResult {
  const requestTags = (input.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
  const seen = new Set<string>();
  for (const tag of requestTags) {
    if (isReservedTagKey(tag.key)) throw new InvalidParameterValue(RESERVED_TAG_PREFIX_MESSAGE);
    const folded = tag.key.toLowerCase();
    if (seen.has(folded)) throw new InvalidParameterValue(DUPLICATE_TAG_KEYS);
    seen.add(folded);
  }
  const requestedTransitive = input.TransitiveTagKeys ?? [];
  for (const key of requestedTransitive) if (!seen.has(key.toLowerCase())) throw new InvalidParameterValue(TRANSITIVE_KEY_NOT_IN_TAGS);

  const inheritedKeys = new Set((inherited?.transitiveTagKeys ?? []).map((k) => k.toLowerCase()));
  const inheritedTags = (inherited?.tags ?? []).filter((t) => inheritedKeys.has(t.key.toLowerCase()));
  for (const tag of requestTags) if (inheritedKeys.has(tag.key.toLowerCase())) throw new InvalidParameterValue(TRANSITIVE_TAG_CONFLICT);

  const transitive: string[] = [...(inherited?.transitiveTagKeys ?? []).filter((k) => inheritedTags.some((t) => t.key.toLowerCase() === k.toLowerCase()))];
  for (const key of requestedTransitive) if (!transitive.some((k) => k.toLowerCase() === key.toLowerCase())) transitive.push(key);
  return { tags: [...inheritedTags, ...requestTags], transitiveTagKeys: transitive, requestTags };
}

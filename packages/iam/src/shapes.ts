import { integer, list, required, string, structure } from '@latchkey/aws-query';
import { iamConstraints as iam } from '@latchkey/model';

// Input members many IAM operations share, declared once with the model's constraints.

/** `Marker` (1..320 of U+0020–U+00FF) and `MaxItems` (1..1000) of every paginated IAM call. */
export const pagingMembers = {
  Marker: string(iam.marker),
  MaxItems: integer(iam.maxItems),
} as const;

/** `Tags.member.N.Key` / `.Value`, at most 50. */
export const tagListShape = list(structure({ Key: required(string(iam.tagKey)), Value: required(string(iam.tagValue)) }), iam.tags);

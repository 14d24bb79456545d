import { integer, list, required, string, structure } from '@latchkey/aws-query';
import { MAX_SESSION_POLICY_ARNS, stsConstraints as sts } from '@latchkey/model';

// Input members several STS operations share, with the model's constraints.

/** `PolicyArns.member.N.arn` (the member name is lower-case `arn`), at most 10. */
export const policyArnsShape = list(structure({ arn: string(sts.roleArn) }), { max: MAX_SESSION_POLICY_ARNS });

/** `Tags.member.N.Key` / `.Value`, at most 50. */
export const sessionTagsShape = list(structure({ Key: required(string(sts.tagKey)), Value: required(string(sts.tagValue)) }), sts.tags);

export const transitiveTagKeysShape = list(string(sts.tagKey), sts.transitiveTagKeys);

export const assumeRoleDuration = integer(sts.assumeRoleDurationSeconds);

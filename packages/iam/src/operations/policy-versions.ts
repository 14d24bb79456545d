import { boolean, required, string, structure } from '@latchkey/aws-query';
import { DeleteConflict, NoSuchEntity } from '@latchkey/errors';
import { IAM_QUOTAS, iamConstraints as iam, policyVersionsExceeded } from '@latchkey/model';
import type { PolicyVersionRecord } from '@latchkey/store';
import { defineOperation, type AnyOperation } from '../operation.js';
import { pageOutput, pageRequest } from '../paging.js';
import { pagingMembers } from '../shapes.js';
import { authorizedPolicy, checkManagedDocument, policyVersionNotFound, POLICY_DELETE_CONFLICT } from './policies-common.js';

/** `PolicyVersion`; the document only where AWS returns it (GetPolicyVersion, authorization details). */
export function policyVersionOutput(v: PolicyVersionRecord, withDocument: boolean) {
  return {
    Document: withDocument ? v.document : undefined,
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefaultVersion,
    CreateDate: new Date(v.createdAt),
  };
}

export const CreatePolicyVersion = defineOperation({
  name: 'CreatePolicyVersion',
  input: structure({ PolicyArn: required(string(iam.arn)), PolicyDocument: required(string(iam.policyDocument)), SetAsDefault: boolean() }),
  async run(ctx, input) {
    const { policy } = await authorizedPolicy(ctx, 'iam:CreatePolicyVersion', input.PolicyArn, { lock: true, mutate: true });
    checkManagedDocument(input.PolicyDocument);
    if ((await ctx.repos.policies.countVersions(policy.arn)) >= IAM_QUOTAS.VersionsPerPolicy) throw policyVersionsExceeded();
    const version = await ctx.repos.policies.createVersion(policy.arn, input.PolicyDocument, input.SetAsDefault === true, ctx.now.getTime());
    return { PolicyVersion: policyVersionOutput(version, false) };
  },
});

export const GetPolicyVersion = defineOperation({
  name: 'GetPolicyVersion',
  readOnly: true,
  input: structure({ PolicyArn: required(string(iam.arn)), VersionId: required(string(iam.policyVersionId)) }),
  async run(ctx, input) {
    const { policy } = await authorizedPolicy(ctx, 'iam:GetPolicyVersion', input.PolicyArn);
    const version = await ctx.repos.policies.getVersion(policy.arn, input.VersionId);
    if (version === undefined) throw new NoSuchEntity(policyVersionNotFound(policy.arn, input.VersionId));
    return { PolicyVersion: policyVersionOutput(version, true) };
  },
});

export const ListPolicyVersions = defineOperation({
  name: 'ListPolicyVersions',
  readOnly: true,
  input: structure({ PolicyArn: required(string(iam.arn)), ...pagingMembers }),
  async run(ctx, input) {
    const { policy } = await authorizedPolicy(ctx, 'iam:ListPolicyVersions', input.PolicyArn);
    const page = await ctx.repos.policies.listVersions(policy.arn, pageRequest(input));
    return { Versions: page.items.map((v) => policyVersionOutput(v, false)), ...pageOutput(page) };
  },
});

export const DeletePolicyVersion = defineOperation({
  name: 'DeletePolicyVersion',
  input: structure({ PolicyArn: required(string(iam.arn)), VersionId: required(string(iam.policyVersionId)) }),
  async run(ctx, input) {
    const { policy } = await authorizedPolicy(ctx, 'iam:DeletePolicyVersion', input.PolicyArn, { lock: true, mutate: true });
    const version = await ctx.repos.policies.getVersion(policy.arn, input.VersionId);
    if (version === undefined) throw new NoSuchEntity(policyVersionNotFound(policy.arn, input.VersionId));
    if (version.isDefaultVersion) throw new DeleteConflict(POLICY_DELETE_CONFLICT.defaultVersion);
    await ctx.repos.policies.deleteVersion(policy.arn, input.VersionId);
    return undefined;
  },
});

export const SetDefaultPolicyVersion = defineOperation({
  name: 'SetDefaultPolicyVersion',
  input: structure({ PolicyArn: required(string(iam.arn)), VersionId: required(string(iam.policyVersionId)) }),
  async run(ctx, input) {
    const { policy } = await authorizedPolicy(ctx, 'iam:SetDefaultPolicyVersion', input.PolicyArn, { lock: true, mutate: true });
    const version = await ctx.repos.policies.getVersion(policy.arn, input.VersionId);
    if (version === undefined) throw new NoSuchEntity(policyVersionNotFound(policy.arn, input.VersionId));
    if (!version.isDefaultVersion) await ctx.repos.policies.setDefaultVersion(policy.arn, input.VersionId, ctx.now.getTime());
    return undefined;
  },
});

export const policyVersionOperations: readonly AnyOperation[] = [CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion];

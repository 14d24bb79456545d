import { enumOf, list, required, string, structure, XmlMap } from '@latchkey/aws-query';
import type { InputOf, XmlStructure } from '@latchkey/aws-query';
import { InvalidInput, NoSuchEntity } from '@latchkey/errors';
import { iamConstraints as iam, stringConstraint } from '@latchkey/model';
import type { PrincipalInfo } from '@latchkey/policy';
import type { ManagedPolicyDocument, PrincipalPolicySet, PrincipalType } from '@latchkey/store';
import { AWS_MANAGED_ACCOUNT_ID } from '@latchkey/store';
import { noSuchGroup, noSuchUser } from '../messages.js';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { pagingMembers } from '../shapes.js';
import { defaultCaller } from '../simulate/caller.js';
import { PolicyCache } from '../simulate/policy-cache.js';
import { CONTEXT_KEY_TYPES, parseSimulateInput } from '../simulate/simulate-input.js';
import type { EvaluationResult, SimulatedStatement, SimulateResponse } from '../simulate/simulate-response.js';
import type { Position } from '../simulate/statement-positions.js';
import { simulate, type LabelledPolicy, type SimulationSubject } from '../simulate/simulate.js';

// Model constraints of the simulation members (iam 2010-05-08).
const actionName = stringConstraint({ min: 3, max: 128 });
const resourceName = stringConstraint({ min: 1, max: 2048 });
const contextKeyName = stringConstraint({ min: 5, max: 256 });
const resourceHandlingOption = stringConstraint({ min: 1, max: 64 });

const contextEntryShape = structure({
  ContextKeyName: string(contextKeyName),
  ContextKeyValues: list(string()),
  ContextKeyType: enumOf(CONTEXT_KEY_TYPES),
});

const commonMembers = {
  PermissionsBoundaryPolicyInputList: list(string(iam.policyDocument)),
  ActionNames: required(list(string(actionName))),
  ResourceArns: list(string(resourceName)),
  ResourcePolicy: string(iam.policyDocument),
  ResourceOwner: string(resourceName),
  CallerArn: string(resourceName),
  ContextEntries: list(contextEntryShape),
  ResourceHandlingOption: string(resourceHandlingOption),
  ...pagingMembers,
} as const;

/** AWS's default page size for the simulation calls. */
const DEFAULT_SIMULATION_PAGE = 100;

/** Compiled documents shared by every simulation call of the process (bounded, by text). */
const sharedCache = new PolicyCache(2_000);

type CommonInput = InputOf<typeof commonMembers> & { PolicyInputList?: readonly string[] };

/** The decoded Query input as the simulator's request document (one validation path for the CLI and the API). */
function simulationRequest(input: CommonInput): Record<string, unknown> {
  const request: Record<string, unknown> = {
    PolicyInputList: input.PolicyInputList ?? [],
    ActionNames: input.ActionNames,
    MaxItems: input.MaxItems ?? DEFAULT_SIMULATION_PAGE,
  };
  const copy = (name: keyof CommonInput) => {
    if (input[name] !== undefined) request[name] = input[name];
  };
  for (const name of ['PermissionsBoundaryPolicyInputList', 'ResourceArns', 'ResourcePolicy', 'ResourceOwner', 'CallerArn', 'ResourceHandlingOption', 'Marker'] as const) copy(name);
  if (input.ContextEntries !== undefined) {
    request['ContextEntries'] = input.ContextEntries.map((e) => ({
      ...(e.ContextKeyName === undefined ? {} : { ContextKeyName: e.ContextKeyName }),
      ContextKeyValues: e.ContextKeyValues ?? [],
      ContextKeyType: e.ContextKeyType ?? 'string',
    }));
  }
  return request;
}

/** The response with AWS's map member (`EvalDecisionDetails`) as an XML map. */
function responseOutput(response: SimulateResponse): XmlStructure {
  const details = (d: EvaluationResult['EvalDecisionDetails']) => (d === undefined ? undefined : new XmlMap(d));
  const position = (p: Position | undefined): XmlStructure | undefined => (p === undefined ? undefined : { Line: p.Line, Column: p.Column });
  const statements = (list: readonly SimulatedStatement[]): XmlStructure[] =>
    list.map((m) => ({ SourcePolicyId: m.SourcePolicyId, SourcePolicyType: m.SourcePolicyType, StartPosition: position(m.StartPosition), EndPosition: position(m.EndPosition) }));
  const boundary = (b: { AllowedByPermissionsBoundary: boolean } | undefined) => (b === undefined ? undefined : { AllowedByPermissionsBoundary: b.AllowedByPermissionsBoundary });
  return {
    EvaluationResults: response.EvaluationResults.map((r) => ({
      EvalActionName: r.EvalActionName,
      EvalResourceName: r.EvalResourceName,
      EvalDecision: r.EvalDecision,
      MatchedStatements: statements(r.MatchedStatements),
      MissingContextValues: r.MissingContextValues,
      OrganizationsDecisionDetail: r.OrganizationsDecisionDetail === undefined ? undefined : { AllowedByOrganizations: r.OrganizationsDecisionDetail.AllowedByOrganizations },
      PermissionsBoundaryDecisionDetail: boundary(r.PermissionsBoundaryDecisionDetail),
      EvalDecisionDetails: details(r.EvalDecisionDetails),
      ResourceSpecificResults: r.ResourceSpecificResults?.map((s) => ({
        EvalResourceName: s.EvalResourceName,
        EvalResourceDecision: s.EvalResourceDecision,
        MatchedStatements: statements(s.MatchedStatements),
        MissingContextValues: s.MissingContextValues,
        EvalDecisionDetails: details(s.EvalDecisionDetails),
        PermissionsBoundaryDecisionDetail: boundary(s.PermissionsBoundaryDecisionDetail),
      })),
    })),
    IsTruncated: response.IsTruncated,
    Marker: response.Marker,
  };
}

/** A user, group or role named by `PolicySourceArn`, with its stored policies. */
export interface PolicySource {
  readonly type: PrincipalType;
  readonly arn: string;
  readonly policies: PrincipalPolicySet;
}

const SOURCE_ARN = /^arn:[\w-]+:iam::(\d{12}):(user|group|role)((?:\/[\u0021-\u007E]+)*\/)([\w+=,.@-]+)$/u;

/**
 * Looks up the entity of `PolicySourceArn` after authorizing `action` on that ARN (so a denied
 * caller learns nothing about existence), as AWS's simulator reads it: the entity's inline and
 * attached policies, a user's groups' policies, and the boundary.
 */
export async function policySource(ctx: OperationContext, action: string, arn: string): Promise<PolicySource> {
  const match = SOURCE_ARN.exec(arn);
  if (match === null) throw new InvalidInput(`Invalid ARN: ${arn} is not the ARN of an IAM user, group or role.`);
  await ctx.authorize(action, arn);
  const [, account, type, path, name] = match as unknown as [string, string, PrincipalType, string, string];
  const entity =
    account !== ctx.accountId
      ? undefined
      : type === 'user'
        ? await ctx.repos.users.getByName(account, name)
        : type === 'group'
          ? await ctx.repos.groups.getByName(account, name)
          : await ctx.repos.roles.getByName(account, name);
  const missing = () =>
    new NoSuchEntity(type === 'user' ? noSuchUser(name) : type === 'group' ? noSuchGroup(name) : `The role with name ${name} cannot be found.`);
  if (entity === undefined || entity.path !== path) throw missing();
  const policies = await ctx.repos.authorization.policiesFor(account, type, entity.id);
  if (policies === undefined) throw missing();
  return { type, arn: entity.arn, policies };
}

function managedLabel(p: ManagedPolicyDocument): LabelledPolicy {
  const account = p.arn.split(':')[4];
  return { id: p.arn.slice(p.arn.lastIndexOf('/') + 1), label: account === AWS_MANAGED_ACCOUNT_ID || account === '' ? 'aws-managed' : 'user-managed', text: p.document };
}

/** The entity's policies in AWS's `SourcePolicyType` words (user, group, role, aws-managed, user-managed). */
export function labelledPolicies(source: PolicySource): { identity: LabelledPolicy[]; boundary?: LabelledPolicy } {
  const { policies } = source;
  const identity: LabelledPolicy[] = [
    ...policies.inline.map((p) => ({ id: p.name, label: source.type, text: p.document })),
    ...policies.managed.map(managedLabel),
  ];
  for (const g of policies.groups) {
    identity.push(...g.inline.map((p) => ({ id: p.name, label: 'group', text: p.document })), ...g.managed.map(managedLabel));
  }
  return policies.boundary === null ? { identity } : { identity, boundary: managedLabel(policies.boundary) };
}

function sourcePrincipal(source: PolicySource): PrincipalInfo {
  const accountId = source.arn.split(':')[4] ?? '';
  // A group cannot make requests; its members can, so a group is simulated as "a user in it".
  return { kind: source.type === 'role' ? 'role' : 'user', arn: source.arn, accountId };
}

export const SimulatePrincipalPolicy = defineOperation({
  name: 'SimulatePrincipalPolicy',
  readOnly: true,
  input: structure({ PolicySourceArn: required(string(iam.arn)), PolicyInputList: list(string(iam.policyDocument)), ...commonMembers }),
  async run(ctx, input) {
    const source = await policySource(ctx, 'iam:SimulatePrincipalPolicy', input.PolicySourceArn);
    const request = simulationRequest(input);
    // AWS: for a user source the user is the caller unless CallerArn names another.
    if (input.CallerArn === undefined && source.type === 'user' && input.ResourcePolicy !== undefined) request['CallerArn'] = source.arn;
    const subject: SimulationSubject = { ...labelledPolicies(source), principal: sourcePrincipal(source) };
    return responseOutput(simulate(parseSimulateInput(request), sharedCache, subject).response);
  },
});

export const SimulateCustomPolicy = defineOperation({
  name: 'SimulateCustomPolicy',
  readOnly: true,
  input: structure({ PolicyInputList: required(list(string(iam.policyDocument))), ...commonMembers }),
  async run(ctx, input) {
    await ctx.authorize('iam:SimulateCustomPolicy', '*');
    // Without CallerArn the simulated caller is an unnamed user of the calling account.
    const principal = defaultCaller(ctx.accountId);
    return responseOutput(simulate(parseSimulateInput(simulationRequest(input)), sharedCache, { principal }).response);
  },
});

export const simulateOperations: readonly AnyOperation[] = [SimulatePrincipalPolicy, SimulateCustomPolicy];

import { InvalidInput } from '@latchkey/errors';
import { evaluate } from '@latchkey/policy';
import type { CompiledPolicy, Decision, DecisionValue, EvaluationRequest, PolicySet, PolicyType, PrincipalInfo } from '@latchkey/policy';
import { DEFAULT_ACCOUNT, defaultCaller, principalFromCallerArn } from './caller.js';
import type { PolicyCache } from './policy-cache.js';
import { simulationContext } from './simulation-context.js';
import type { EvaluationResult, SimulatedStatement, SimulateResponse } from './simulate-response.js';
import { accountOf } from './simulate-input.js';
import type { SimulateInput } from './simulate-input.js';

/** `SourcePolicyType` as AWS's simulator reports it for custom policies ("IAM Policy",
 * "Resource Policy"); the other labels are Latchkey's, for the policy types AWS's
 * SimulateCustomPolicy does not take. */
export const SOURCE_POLICY_TYPE_LABELS: Readonly<Record<PolicyType, string>> = {
  identity: 'IAM Policy',
  resource: 'Resource Policy',
  trust: 'Resource Policy',
  boundary: 'Permissions Boundary Policy',
  session: 'Session Policy',
  scp: 'Service Control Policy',
};

/** One evaluated (action, resource) pair: what `--explain` traces. */
export interface SimulatedEvaluation {
  readonly request: EvaluationRequest;
  readonly decision: Decision;
}

export interface Simulation {
  readonly response: SimulateResponse;
  readonly evaluations: readonly SimulatedEvaluation[];
}

/**
 * A stored policy taking part in a simulation (SimulatePrincipalPolicy): `id` is what AWS reports
 * as `SourcePolicyId` (the policy's name), `label` its `SourcePolicyType` (`user`, `group`,
 * `role`, `aws-managed`, `user-managed`).
 */
export interface LabelledPolicy {
  readonly id: string;
  readonly label: string;
  readonly text: string;
}

/** What SimulatePrincipalPolicy adds to a custom simulation: the entity's own policies. */
export interface SimulationSubject {
  /** The simulated principal when the request names no `CallerArn`. */
  readonly principal?: PrincipalInfo;
  /** Identity policies evaluated before `PolicyInputList`. */
  readonly identity?: readonly LabelledPolicy[];
  /** The entity's boundary; a `PermissionsBoundaryPolicyInputList` entry replaces it (AWS). */
  readonly boundary?: LabelledPolicy;
}

interface Source {
  readonly id: string;
  readonly label: string;
  readonly text: string;
}

interface CompiledInput {
  readonly set: PolicySet;
  /** Compiled policy id → what the result reports about it. */
  readonly sources: ReadonlyMap<string, Source>;
  /** The boundary and SCP levels compiled as identity policies: evaluating one alone (in the
   * caller's account) answers "does this layer allow the request?" for the decision details. */
  readonly boundaryAlone?: CompiledPolicy;
  readonly scpLevelsAlone?: readonly (readonly CompiledPolicy[])[];
}

/**
 * Runs `SimulateCustomPolicy` (plus Latchkey's extensions) on the engine: one result per action
 * and resource (action-major, as AWS orders them), paginated by MaxItems/Marker. Throws
 * `InvalidInput` / `MalformedPolicyDocument` (AWS's codes) for bad input.
 */
export function simulate(input: SimulateInput, cache: PolicyCache, subject: SimulationSubject = {}): Simulation {
  if (input.ResourcePolicy !== undefined && input.CallerArn === undefined) {
    // AWS: "CallerArn is required if you include a ResourcePolicy", so that the policy's
    // Principal element has a value to evaluate against.
    throw new InvalidInput('CallerArn is required if you include a ResourcePolicy.');
  }
  const compiled = compileInput(input, cache, subject);
  const ownerAccount = input.ResourceOwner === undefined ? undefined : accountOf(input.ResourceOwner);
  const principal: PrincipalInfo =
    input.CallerArn !== undefined ? principalFromCallerArn(input.CallerArn) : (subject.principal ?? defaultCaller(input.ResourceAccount ?? ownerAccount ?? DEFAULT_ACCOUNT));
  const namedCaller = input.CallerArn !== undefined || subject.principal !== undefined;
  const context = simulationContext(input);

  const total = input.ActionNames.length * input.ResourceArns.length;
  const start = input.Marker === undefined ? 0 : parseMarker(input.Marker, total);
  const end = input.MaxItems === undefined ? total : Math.min(total, start + input.MaxItems);

  const results: EvaluationResult[] = [];
  const evaluations: SimulatedEvaluation[] = [];
  for (let n = start; n < end; n++) {
    const action = input.ActionNames[Math.floor(n / input.ResourceArns.length)]!;
    const arn = input.ResourceArns[n % input.ResourceArns.length]!;
    const request: EvaluationRequest = { principal, action, resource: { arn, accountId: resourceAccount(arn, input, principal, ownerAccount, namedCaller) }, context };
    const decision = evaluate(request, compiled.set);
    evaluations.push({ request, decision });
    results.push(evaluationResult(input, compiled, cache, request, decision));
  }
  const response: SimulateResponse = { EvaluationResults: results, IsTruncated: end < total };
  if (end < total) response.Marker = String(end);
  return { response, evaluations };
}

/**
 * Who owns a resource: the `ResourceAccount` extension if given; else, with a named caller, the
 * ARN's account field, falling back to ResourceOwner and then the caller's account (AWS's
 * documented defaults). Without a named caller the caller lives in the resources' account, so
 * the simulation is same-account (as when AWS simulates for the signed-in user).
 */
function resourceAccount(arn: string, input: SimulateInput, principal: PrincipalInfo, ownerAccount: string | undefined, namedCaller: boolean): string {
  if (input.ResourceAccount !== undefined) return input.ResourceAccount;
  if (!namedCaller) return principal.accountId;
  const fromArn = arn === '*' ? undefined : arn.split(':')[4];
  return fromArn !== undefined && fromArn !== '' ? fromArn : (ownerAccount ?? principal.accountId);
}

function compileInput(input: SimulateInput, cache: PolicyCache, subject: SimulationSubject): CompiledInput {
  const sources = new Map<string, Source>();
  // Compiled ids are positional, so a user policy and a managed policy with one name stay apart.
  const load = (text: string, type: PolicyType, id: string, label: string = SOURCE_POLICY_TYPE_LABELS[type]): CompiledPolicy => {
    const key = `${sources.size}:${id}`;
    sources.set(key, { id, label, text });
    return cache.load(text, { type, id: key });
  };
  const stored = (subject.identity ?? []).map((p) => load(p.text, 'identity', p.id, p.label));
  const identity = [...stored, ...input.PolicyInputList.map((text, i) => load(text, 'identity', `PolicyInputList.${i + 1}`))];
  const set: { -readonly [K in keyof PolicySet]: PolicySet[K] } = { identity };
  const out: { -readonly [K in keyof CompiledInput]: CompiledInput[K] } = { set, sources };
  const boundaryText = input.PermissionsBoundaryPolicyInputList[0];
  const boundary: LabelledPolicy | undefined =
    boundaryText !== undefined ? { id: 'PermissionsBoundaryPolicyInputList.1', label: SOURCE_POLICY_TYPE_LABELS.boundary, text: boundaryText } : subject.boundary;
  if (boundary !== undefined) {
    set.boundary = load(boundary.text, 'boundary', boundary.id, boundary.label);
    const alone = loadAlone(cache, boundary.text, boundary.id);
    if (alone !== undefined) out.boundaryAlone = alone;
  }
  if (input.ResourcePolicy !== undefined) set.resource = load(input.ResourcePolicy, input.ResourcePolicyType, 'ResourcePolicy');
  if (input.SessionPolicyInputList !== undefined) set.session = input.SessionPolicyInputList.map((text, i) => load(text, 'session', `SessionPolicyInputList.${i + 1}`));
  if (input.ServiceControlPolicyInputList !== undefined) {
    const levels = input.ServiceControlPolicyInputList;
    set.scp = levels.map((docs, l) => docs.map((text, i) => load(text, 'scp', `ServiceControlPolicyInputList.${l + 1}.${i + 1}`)));
    const alone = levels.map((docs, l) => docs.map((text, i) => loadAlone(cache, text, `ServiceControlPolicyInputList.${l + 1}.${i + 1}`)));
    if (alone.every((level) => level.every((p) => p !== undefined))) out.scpLevelsAlone = alone as CompiledPolicy[][];
  }
  return out;
}

/** The document compiled as an identity policy, for the per-layer details; undefined when it
 * does not read as one (the details are then left out rather than failing the simulation). */
function loadAlone(cache: PolicyCache, text: string, id: string): CompiledPolicy | undefined {
  try {
    return cache.load(text, { type: 'identity', id });
  } catch {
    return undefined;
  }
}

function evaluationResult(input: SimulateInput, compiled: CompiledInput, cache: PolicyCache, request: EvaluationRequest, decision: Decision): EvaluationResult {
  const statements = decision.matchedStatements.map((m): SimulatedStatement => {
    const source = compiled.sources.get(m.policyId);
    const statement: SimulatedStatement = { SourcePolicyId: source?.id ?? m.policyId, SourcePolicyType: source?.label ?? SOURCE_POLICY_TYPE_LABELS[m.policyType] };
    const span = source === undefined ? undefined : cache.positions(source.text)?.[m.statementIndex];
    if (span !== undefined) {
      statement.StartPosition = span.StartPosition;
      statement.EndPosition = span.EndPosition;
    }
    return statement;
  });
  const missing = [...decision.missingContextKeys];
  // AWS reports per-resource results for named resources; "*" (the default) gets none.
  const named = input.resourcesGiven && request.resource.arn !== '*';
  const result: EvaluationResult = {
    EvalActionName: request.action,
    EvalResourceName: request.resource.arn,
    EvalDecision: decision.decision,
    MatchedStatements: statements,
    // AWS: with a list of resources, missing context values are reported per resource instead.
    MissingContextValues: named ? [] : missing,
  };
  // The caller's own account: evaluating a layer alone there says whether that layer allows.
  const alone = (identity: readonly CompiledPolicy[]): DecisionValue =>
    evaluate({ ...request, resource: { arn: request.resource.arn, accountId: request.principal.accountId } }, { identity }).decision;
  if (compiled.scpLevelsAlone !== undefined) {
    result.OrganizationsDecisionDetail = { AllowedByOrganizations: compiled.scpLevelsAlone.every((level) => alone(level) === 'allowed') };
  }
  const boundaryDetail = compiled.boundaryAlone === undefined ? undefined : { AllowedByPermissionsBoundary: alone([compiled.boundaryAlone]) === 'allowed' };
  if (boundaryDetail !== undefined) result.PermissionsBoundaryDecisionDetail = boundaryDetail;

  const crossAccount = request.resource.arn !== '*' && request.resource.accountId !== request.principal.accountId;
  const details = crossAccount ? crossAccountDetails(decision, compiled, alone) : named ? {} : undefined;
  if (details !== undefined) result.EvalDecisionDetails = details;
  if (named) {
    result.ResourceSpecificResults = [
      {
        EvalResourceName: request.resource.arn,
        EvalResourceDecision: decision.decision,
        MatchedStatements: statements,
        MissingContextValues: missing,
        ...(crossAccount && details !== undefined ? { EvalDecisionDetails: details } : {}),
        ...(boundaryDetail === undefined ? {} : { PermissionsBoundaryDecisionDetail: boundaryDetail }),
      },
    ];
  }
  return result;
}

/**
 * AWS's summary of how each side of a cross-account request decided. The identity side is
 * evaluated on its own in the caller's account; the resource side is read from the decision
 * (an explicit deny or allow from the resource policy, or the policy failing to allow), and left
 * out when the decision does not say.
 */
function crossAccountDetails(decision: Decision, compiled: CompiledInput, alone: (identity: readonly CompiledPolicy[]) => DecisionValue): Record<string, DecisionValue> {
  const details: Record<string, DecisionValue> = { 'IAM Policy': alone(compiled.set.identity) };
  const fromResource = decision.matchedStatements.filter((m) => m.policyType === 'resource' || m.policyType === 'trust');
  if (fromResource.some((m) => m.effect === 'Deny')) details['Resource Policy'] = 'explicitDeny';
  else if (fromResource.some((m) => m.effect === 'Allow')) details['Resource Policy'] = 'allowed';
  else if (compiled.set.resource === undefined || decision.notAllowedBy.includes('resource') || decision.notAllowedBy.includes('trust')) details['Resource Policy'] = 'implicitDeny';
  return details;
}

function parseMarker(marker: string, total: number): number {
  const n = /^\d{1,9}$/.test(marker) ? Number(marker) : NaN;
  if (!Number.isInteger(n) || n <= 0 || n >= total) throw new InvalidInput(`Invalid Marker: ${marker}`);
  return n;
}

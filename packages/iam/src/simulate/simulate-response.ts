import type { DecisionValue } from '@latchkey/policy';
import type { Position } from './statement-positions.js';

/** AWS's `Statement` (a matched statement) in a simulation result. */
export interface SimulatedStatement {
  SourcePolicyId: string;
  SourcePolicyType: string;
  StartPosition?: Position;
  EndPosition?: Position;
}

export interface ResourceSpecificResult {
  EvalResourceName: string;
  EvalResourceDecision: DecisionValue;
  MatchedStatements: SimulatedStatement[];
  MissingContextValues: string[];
  EvalDecisionDetails?: Record<string, DecisionValue>;
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: DecisionValue;
  MatchedStatements: SimulatedStatement[];
  MissingContextValues: string[];
  OrganizationsDecisionDetail?: { AllowedByOrganizations: boolean };
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  EvalDecisionDetails?: Record<string, DecisionValue>;
  ResourceSpecificResults?: ResourceSpecificResult[];
}

/** `SimulatePolicyResponse`, as `aws iam simulate-custom-policy` prints it. */
export interface SimulateResponse {
  EvaluationResults: EvaluationResult[];
  IsTruncated: boolean;
  Marker?: string;
}

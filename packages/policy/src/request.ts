/**
 * What the evaluator is asked: who (principal), does what (action), to what (resource), in
 * which circumstances (context). The caller (server, middleware, CLI) fills the context with
 * the keys AWS would set; the evaluator never invents values.
 */

export type ContextScalar = string | number | boolean;
/** Multi-valued keys (e.g. `aws:TagKeys`) are arrays; single-valued keys are scalars. */
export type ContextValue = ContextScalar | readonly ContextScalar[];
/** Keys in any case (AWS matches condition keys case-insensitively). */
export type RequestContext = Readonly<Record<string, ContextValue>>;

export type PrincipalKind =
  | 'root'
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'federated-user'
  | 'web-identity'
  | 'service'
  | 'anonymous';

export interface PrincipalInfo {
  readonly kind: PrincipalKind;
  /**
   * The ARN AWS reports for the caller: `arn:aws:iam::123456789012:user/alice`,
   * `arn:aws:sts::123456789012:assumed-role/Admin/session`, `arn:aws:iam::123456789012:root`.
   * Empty for `anonymous`; the service name (`ec2.amazonaws.com`) for `service`.
   */
  readonly arn: string;
  /** The account the principal belongs to; empty for anonymous and service principals. */
  readonly accountId: string;
  /** For `assumed-role`: the role's IAM ARN (`arn:aws:iam::123456789012:role/path/Admin`), which
   * resource and trust policies may name instead of the session ARN. */
  readonly roleArn?: string;
  /** For `web-identity` / federated principals: the provider (`arn:aws:iam::…:oidc-provider/…`
   * or `cognito-identity.amazonaws.com`) a `Federated` principal element is matched against. */
  readonly federatedProvider?: string;
}

export interface ResourceInfo {
  /** The resource ARN, or `*` for actions that take no resource. */
  readonly arn: string;
  /** The account owning the resource; when absent, the ARN's account field (or the principal's
   * account when that is empty) is used. */
  readonly accountId?: string;
}

export interface EvaluationRequest {
  readonly principal: PrincipalInfo;
  /** `service:Action`, any case. */
  readonly action: string;
  readonly resource: ResourceInfo;
  readonly context: RequestContext;
}

import { IAM_NAMESPACE, IAM_VERSION, STS_NAMESPACE, STS_VERSION, resolveOperation, type QueryParams, type XmlStructure } from '@latchkey/aws-query';
import type { Caller, IamService, RequestEnv } from '@latchkey/iam';
import { encodePolicyDocuments } from './encode-policy-documents.js';

/**
 * One AWS Query service behind the endpoint, chosen by the signing name of the request's
 * credential scope (`iam`, `sts`). `invoke` resolves the action and version (InvalidAction as AWS
 * answers), runs it for the authenticated caller and returns the result members to render.
 */
export interface QueryServiceHandler {
  /** The SigV4 signing name. */
  readonly signingName: string;
  readonly namespace: string;
  readonly version: string;
  /** True for an action this service serves (metrics label only known actions). */
  has(action: string): boolean;
  invoke(request: QueryParams, rawQuery: string, caller: Caller, env: RequestEnv): Promise<XmlStructure | undefined>;
  /** Actions after which cached credentials may be stale (their result is committed when this runs). */
  readonly credentialChangingActions?: ReadonlySet<string>;
  /** True for an action served without SigV4 when the request carries no signature (STS AssumeRoleWithWebIdentity). */
  isUnsigned?(action: string): boolean;
  /** Runs an unsigned action (only those `isUnsigned` accepts reach it). */
  invokeUnsigned?(request: QueryParams, rawQuery: string, env: RequestEnv): Promise<XmlStructure | undefined>;
  /** True for an action that changes nothing (its audit record is not waited for). Default: IAM's operation flag. */
  isReadOnly?(action: string): boolean;
  /** Called once by `createServer` before serving (change-feed subscriptions), and on close. */
  start?(): Promise<void>;
  close?(): void;
}

const IAM_CREDENTIAL_ACTIONS = new Set(['DeleteAccessKey', 'UpdateAccessKey', 'DeleteUser', 'UpdateUser']);

/** IAM over Query: the service's operations, with policy documents URL-encoded on the way out. */
export function iamQueryService(iam: IamService): QueryServiceHandler {
  const service = { version: IAM_VERSION, operations: iam.operations };
  return {
    signingName: 'iam',
    namespace: IAM_NAMESPACE,
    version: IAM_VERSION,
    credentialChangingActions: IAM_CREDENTIAL_ACTIONS,
    has: (action) => iam.operation(action) !== undefined,
    async invoke(request, rawQuery, caller, env) {
      const resolved = resolveOperation(service, request, rawQuery);
      if (resolved.kind !== 'operation') throw new TypeError('a request without Action reached the IAM service');
      const output = await iam.invoke(resolved.action, request.params, caller, env);
      return output === undefined ? undefined : encodePolicyDocuments(output);
    },
  };
}

/**
 * STS until its service lands (a later issue): signed requests are verified, and every action is
 * answered as AWS answers one it does not know (`InvalidAction`, "Could not find operation X for
 * version 2011-06-15").
 */
export function unimplementedStsService(): QueryServiceHandler {
  const service = { version: STS_VERSION, operations: {} as Readonly<Record<string, never>> };
  return {
    signingName: 'sts',
    namespace: STS_NAMESPACE,
    version: STS_VERSION,
    has: () => false,
    async invoke(request, rawQuery) {
      resolveOperation(service, request, rawQuery);
      throw new TypeError('unreachable: the STS placeholder has no operations');
    },
  };
}

import type { InputOf, Members, StructureShape, XmlStructure } from '@latchkey/aws-query';
import type { Keyring } from '@latchkey/keyring';
import type { Repositories } from '@latchkey/store';
import type { Caller, RequestEnv } from './caller.js';
import type { IdGenerator } from './ids.js';
import type { AuthorizationExtras } from './request-context.js';

/** What an operation's `run` gets: one transaction's repositories and everything injected. */
export interface OperationContext {
  /** Bound to the call's single transaction (or to plain reads for `readOnly` operations). */
  readonly repos: Repositories;
  readonly caller: Caller;
  readonly env: RequestEnv;
  /** The caller's account: every IAM operation acts inside it. */
  readonly accountId: string;
  /** `env.now`, the injected clock's reading for this request. */
  readonly now: Date;
  readonly ids: IdGenerator;
  readonly keyring: Keyring;
  /**
   * Throws `AccessDenied` unless the engine allows `action` (`iam:CreateUser`) on `resourceArn`
   * for the caller. Call it before any lookup whose failure would reveal whether an entity exists.
   */
  authorize(action: string, resourceArn: string, extras?: AuthorizationExtras): Promise<void>;
}

/** Result members exactly as AWS names them; `undefined` for operations without an output shape. */
export type OperationOutput = XmlStructure | undefined;

/**
 * One IAM API action. `input` is declared with the aws-query shape DSL (AWS's constraints and
 * ValidationError messages); `run` returns the result members named and shaped like AWS's
 * (timestamps as `Date`, policy documents as raw JSON text, which the server URL-encodes).
 */
export interface Operation<M extends Members = Members, O extends OperationOutput = OperationOutput> {
  /** The action name, e.g. `CreateUser`. */
  readonly name: string;
  readonly input: StructureShape<M>;
  /** True for operations that only read: they run outside a write transaction. */
  readonly readOnly?: boolean;
  /** When set, the secret-bearing members of the output (never logged). */
  readonly sensitiveOutput?: boolean;
  run(ctx: OperationContext, input: InputOf<M>): Promise<O>;
}

/** An operation with its types erased, as the registry holds it. */
export interface AnyOperation {
  readonly name: string;
  readonly input: StructureShape;
  readonly readOnly?: boolean;
  readonly sensitiveOutput?: boolean;
  run(ctx: OperationContext, input: never): Promise<OperationOutput>;
}

/** Declares an operation with `input`'s parsed type flowing into `run`. */
export function defineOperation<const M extends Members, O extends OperationOutput>(operation: Operation<M, O>): Operation<M, O> {
  return operation;
}

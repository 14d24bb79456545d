import type { InputOf, Members, StructureShape, XmlStructure } from '@latchkey/aws-query';
import type { Authorizer, Caller, CredentialServices, RequestEnv } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { RandomBytes } from '@latchkey/model';
import type { Repositories } from '@latchkey/store';
import type { MfaVerifier } from './mfa.js';
import type { RoleCache } from './role-cache.js';
import type { RoleUseRecorder } from './role-use.js';
import type { TrustPolicies } from './trust-policies.js';
import type { WebIdentityVerifier } from './web-identity.js';

/** What an STS operation's `run` gets: one transaction's (or read's) repositories and everything injected. */
export interface StsContext {
  readonly repos: Repositories;
  /** Undefined only for the unsigned operations (AssumeRoleWithWebIdentity). */
  readonly caller: Caller | undefined;
  readonly env: RequestEnv;
  readonly now: Date;
  readonly random: RandomBytes;
  readonly keyring: Keyring;
  readonly authorizer: Authorizer;
  readonly mfa: MfaVerifier;
  /** Password hasher and throttles (password sign-in). */
  readonly credentialServices: CredentialServices;
  readonly trustPolicies: TrustPolicies;
  readonly roleUse: RoleUseRecorder;
  readonly roles: RoleCache;
  readonly webIdentity: WebIdentityVerifier;
  /**
   * Runs `fn` in its own committed transaction. Operations run through `store.read`; only an MFA
   * check writes (the code is consumed, failures counted) and it commits on its own, so a code
   * stays used even when the trust policy then refuses, as a one-time code must.
   */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
}

/** An operation's context with the caller known (every signed operation). */
export interface SignedStsContext extends StsContext {
  readonly caller: Caller;
}

export type StsOutput = XmlStructure;

export interface StsOperation<M extends Members = Members> {
  readonly name: string;
  readonly input: StructureShape<M>;
  /** True for the operations AWS accepts without a signature (the token authenticates them). */
  readonly unsigned?: boolean;
  /** True when the result holds secrets (`Credentials`): never log it. */
  readonly sensitiveOutput?: boolean;
  run(ctx: StsContext, input: InputOf<M>): Promise<StsOutput>;
}

/** An operation with its types erased, as the registry holds it. */
export interface AnyStsOperation {
  readonly name: string;
  readonly input: StructureShape;
  readonly unsigned?: boolean;
  readonly sensitiveOutput?: boolean;
  run(ctx: StsContext, input: never): Promise<StsOutput>;
}

export function defineStsOperation<const M extends Members>(operation: StsOperation<M>): StsOperation<M> {
  return operation;
}

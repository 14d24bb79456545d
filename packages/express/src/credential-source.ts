import type { Caller } from '@latchkey/iam';
import type { Decision, RequestContext } from '@latchkey/policy';
import type { ServiceCatalogDocument } from './service-catalog-document.js';

/** What the middleware asks for when a request names an access key. */
export interface SigningKeyRequest {
  readonly accessKeyId: string;
  /** `X-Amz-Security-Token`, for temporary (`ASIA…`) credentials. */
  readonly sessionToken?: string;
  /** Credential scope date, `yyyymmdd`. */
  readonly date: string;
  readonly region: string;
  /** The service's own signing name: a source answers keys for this scope only. */
  readonly service: string;
}

/**
 * A SigV4 signing key derived for exactly one (access key, day, region, service) scope: enough
 * to verify that key's requests to this service on that day, useless for anything else.
 */
export interface ServiceSigningKey {
  readonly signingKey: Uint8Array;
  readonly status: 'Active' | 'Inactive';
  /** Temporary credentials: epoch ms at which they expire. */
  readonly expiresAt?: number;
  readonly principal: Caller;
}

/** One stored policy document and the id decisions report for it (an ARN, `user/alice/inline`). */
export interface PolicyDocument {
  readonly id: string;
  readonly document: string;
  /** Inline policies have a smaller size limit than managed ones; affects validation only. */
  readonly inline?: boolean;
}

/** A principal's current policies and tags, as the policy engine needs them. */
export interface PrincipalPolicies {
  readonly identity: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
  /** Session policies of temporary credentials; absent = none were passed. */
  readonly session?: readonly PolicyDocument[];
  /** The user's or role's own tags (session tags travel with the principal). */
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /** True when the principal no longer exists or a document could not be read: nothing is allowed. */
  readonly failClosed?: boolean;
}

/** What the middleware encodes into an optional authorization failure message. */
export interface AuthorizationFailure {
  readonly decision: Decision;
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
}

/**
 * Where the middleware gets what it needs without ever holding a user's secret. Implementations:
 * `embeddedCredentialSource` (in the Latchkey process, over the store) and
 * `remoteCredentialSource` (the Latchkey server's internal API). Failures are `AwsError`s
 * (`InvalidClientTokenId`, `ExpiredToken`); `undefined` means the key is unknown.
 */
export interface CredentialSource {
  getSigningKey(request: SigningKeyRequest): Promise<ServiceSigningKey | undefined>;
  getPrincipalPolicies(principal: Caller): Promise<PrincipalPolicies>;
  /** Optional: an STS-style encoded message (readable with `sts:DecodeAuthorizationMessage`). */
  encodeAuthorizationMessage?(failure: AuthorizationFailure): Promise<string>;
  /**
   * Optional: calls `listener` when keys, principals or policies may have changed (pushed, so
   * the middleware drops its cached answers at once instead of at the end of their TTL).
   * Returns the function that stops watching. Best effort: while it cannot watch, the TTL alone
   * bounds staleness, as without it.
   */
  watch?(listener: (changes: CredentialChanges) => void): () => void;
  /**
   * Optional: registers the service's catalog with the Latchkey server (internal API
   * `PutServiceCatalog`), replacing the one registered before. Rejects with the server's error
   * (`AccessDenied`, `ValidationException`, ...: its code and message) when it refuses.
   */
  putServiceCatalog?(document: ServiceCatalogDocument): Promise<{ readonly updatedAt: number }>;
  close?(): void | Promise<void>;
}

/** What a credential source's watch reports. */
export interface CredentialChanges {
  /** Changes may have been missed (watching started or resumed from nowhere): anything may have changed. */
  readonly reset: boolean;
  /** Kinds of the changes (`accessKey`, `user`, `policy`, `attachment`, ...; see the store's `ChangeKind`). */
  readonly kinds: readonly string[];
}

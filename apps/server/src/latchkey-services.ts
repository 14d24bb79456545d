import { storeServiceCatalogRegistry, type ServiceCatalogRegistry } from '@latchkey/express';
import { credentialServices, IamService, iamOperations, withCredentialServices, type Caller, type CredentialServices } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import type { RandomBytes } from '@latchkey/model';
import type { CredentialLookup } from '@latchkey/sigv4';
import type { Store } from '@latchkey/store';
import { StsService, storeMfaVerifier, type WebIdentityOptions } from '@latchkey/sts';
import type { QueryServiceHandler } from './query-service.js';
import { sessionCredentialLookup, stsQueryService } from './sts-query-service.js';

export interface LatchkeyServicesOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly random: RandomBytes;
  /** The server's clock (session expiry of temporary credentials). */
  readonly clock: () => number;
  /** Password hasher and failure throttles shared by IAM and STS. Default `credentialServices()`. */
  readonly credentialServices?: CredentialServices;
  /** JWKS fetching for AssumeRoleWithWebIdentity (see `jwksFetcher`). */
  readonly webIdentity?: WebIdentityOptions;
  /** IamService strict mode. */
  readonly strictPolicies?: boolean;
  /** See StsServiceOptions.revokeWithSourceKey (default true). */
  readonly revokeWithSourceKey?: boolean;
}

/** What `createServer` needs to serve IAM and STS together (spread into its options). */
export interface LatchkeyServices {
  readonly iam: IamService;
  readonly sts: StsService;
  readonly services: readonly QueryServiceHandler[];
  readonly temporaryCredentials: CredentialLookup<Caller>;
  /** In-house services' registered catalogs (internal API), which strict mode validates against. */
  readonly catalogs: ServiceCatalogRegistry;
}

/**
 * IAM and STS over one store, sharing one authorizer (one compiled-policy cache) and one set of
 * credential services (so IAM's EnableMFADevice and STS's MFA checks count failures together,
 * and password sign-in uses the hasher IAM hashed with); ASIA keys resolve through STS.
 */
export function latchkeyServices(options: LatchkeyServicesOptions): LatchkeyServices {
  const creds = options.credentialServices ?? credentialServices();
  const random = options.random;
  const catalogs = storeServiceCatalogRegistry(options.store);
  const iam = new IamService({
    store: options.store,
    keyring: options.keyring,
    random,
    operations: withCredentialServices(iamOperations, creds),
    ...(options.strictPolicies === undefined ? {} : { strictPolicies: options.strictPolicies }),
    serviceCatalogs: catalogs.catalogOf,
  });
  const sts = new StsService({
    store: options.store,
    keyring: options.keyring,
    random,
    authorizer: iam.authorizer,
    credentialServices: creds,
    mfa: storeMfaVerifier(options.keyring, creds.mfaThrottle),
    ...(options.webIdentity === undefined ? {} : { webIdentity: options.webIdentity }),
    ...(options.revokeWithSourceKey === undefined ? {} : { revokeWithSourceKey: options.revokeWithSourceKey }),
  });
  return { iam, sts, services: [stsQueryService(sts)], temporaryCredentials: sessionCredentialLookup(sts, options.clock), catalogs };
}

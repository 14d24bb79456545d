import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';

/** AWS credentials as the SDK's providers return them. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export type CredentialProvider = () => Promise<Credentials>;

export interface RefreshOptions {
  /** Refresh this long before `expiration`. Default 5 minutes (what the AWS SDKs use). */
  readonly refreshBeforeMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Memoizes a provider: its credentials are reused until `refreshBeforeMs` before they expire
 * (credentials without an expiration are kept), and concurrent callers share one refresh.
 */
export function refreshingCredentials(provider: CredentialProvider, options: RefreshOptions = {}): CredentialProvider {
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let current: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  return () => {
    if (current !== undefined && (current.expiration === undefined || current.expiration.getTime() - now() > refreshBeforeMs)) return Promise.resolve(current);
    pending ??= provider().then(
      (c) => {
        current = c;
        pending = undefined;
        return c;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
}

/**
 * The AWS SDK's default chain: environment (`AWS_ACCESS_KEY_ID`, …), shared credentials and
 * config files with profiles (`AWS_PROFILE`), SSO, process, web identity, container and
 * instance metadata, memoized with refresh before expiry.
 */
export function defaultCredentials(options: RefreshOptions & { readonly profile?: string } = {}): CredentialProvider {
  const chain = fromNodeProviderChain(options.profile === undefined ? {} : { profile: options.profile });
  return refreshingCredentials(() => chain() as Promise<Credentials>, options);
}

export interface RoleCredentialsOptions extends RefreshOptions {
  /** Latchkey's STS endpoint, `https://latchkey.internal:8443`. */
  readonly endpoint: string;
  readonly roleArn: string;
  /** Default: the SDK's generated `aws-sdk-js-<time>`. */
  readonly roleSessionName?: string;
  readonly durationSeconds?: number;
  /** Region signed for STS. Default `us-east-1`. */
  readonly region?: string;
  /** The credentials that call AssumeRole. Default: the SDK's default chain. */
  readonly sourceCredentials?: Credentials | CredentialProvider;
  /** MFA: the device's serial number and a function returning the current code. */
  readonly mfaSerial?: string;
  readonly mfaCode?: (mfaSerial: string) => Promise<string>;
  readonly externalId?: string;
  /** An inline session policy (JSON text). */
  readonly policy?: string;
}

/**
 * Role credentials from Latchkey's STS (`AssumeRole` through the SDK's own
 * `fromTemporaryCredentials`), refreshed `refreshBeforeMs` before they expire; with `mfaSerial`
 * the SDK asks `mfaCode` for a fresh code at every refresh.
 */
export function roleCredentials(options: RoleCredentialsOptions): CredentialProvider {
  const provider = fromTemporaryCredentials({
    params: {
      RoleArn: options.roleArn,
      ...(options.roleSessionName === undefined ? {} : { RoleSessionName: options.roleSessionName }),
      ...(options.durationSeconds === undefined ? {} : { DurationSeconds: options.durationSeconds }),
      ...(options.mfaSerial === undefined ? {} : { SerialNumber: options.mfaSerial }),
      ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      ...(options.policy === undefined ? {} : { Policy: options.policy }),
    },
    ...(options.sourceCredentials === undefined ? {} : { masterCredentials: options.sourceCredentials }),
    clientConfig: { endpoint: options.endpoint, region: options.region ?? 'us-east-1' },
    ...(options.mfaCode === undefined ? {} : { mfaCodeProvider: options.mfaCode }),
  });
  return refreshingCredentials(() => provider() as Promise<Credentials>, options);
}

import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ExpiredTokenException, IDPCommunicationError, InvalidIdentityToken } from '@latchkey/errors';
import { BoundedCache } from '@latchkey/keyring';

/**
 * Returns the JWKS of an OpenID Connect issuer (given the issuer URL, e.g.
 * `https://token.actions.githubusercontent.com`). The server implements it: discovery
 * (`/.well-known/openid-configuration` → `jwks_uri`) over HTTPS, or a local JWKS file/URL
 * configured for air-gapped setups. Throw (any error) when the keys cannot be had.
 */
export type FetchJwks = (issuerUrl: string) => Promise<JSONWebKeySet>;

export interface WebIdentityOptions {
  readonly fetchJwks?: FetchJwks;
  /** How long a fetched JWKS is used before it is fetched again. Default 10 minutes. */
  readonly jwksTtlMs?: number;
  /** A token whose `kid` is not in the cached JWKS refetches at most this often per issuer. Default 60 s. */
  readonly refetchIntervalMs?: number;
}

// AWS's texts (observed in public issue threads and AWS re:Post answers).
export const IDP_UNREACHABLE = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
export const NOT_A_JWT = 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)';
export const INCORRECT_AUDIENCE = 'Incorrect token audience';
export const noProvider = (issuer: string): string => `No OpenIDConnect provider found in your account for ${issuer}`;
export const INVALID_SIGNATURE = 'The web identity token signature is invalid.';
export const tokenExpired = (now: number, exp: number): string => `Token expired: current date/time ${now} must be before the expiration date/time ${exp}`;
export const TOKEN_NOT_YET_VALID = 'The web identity token is not yet valid (nbf).';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];

interface CachedJwks {
  readonly keys: ReturnType<typeof createLocalJWKSet>;
  readonly fetchedAt: number;
}

/** The token's claims as read before verification (only to find the provider). */
export function peekClaims(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch {
    throw new InvalidIdentityToken(NOT_A_JWT);
  }
}

/**
 * Verifies web identity tokens with jose against each issuer's JWKS, fetched through the injected
 * `fetchJwks` and cached (bounded); a token signed by a key the cache does not know refetches
 * once (key rotation at the IdP), rate-limited per issuer.
 */
export class WebIdentityVerifier {
  readonly #fetch: FetchJwks | undefined;
  readonly #ttl: number;
  readonly #refetch: number;
  readonly #cache = new BoundedCache<string, CachedJwks>(1_000);

  constructor(options: WebIdentityOptions = {}) {
    this.#fetch = options.fetchJwks;
    this.#ttl = options.jwksTtlMs ?? 600_000;
    this.#refetch = options.refetchIntervalMs ?? 60_000;
  }

  async #jwks(issuer: string, now: number, force: boolean): Promise<CachedJwks> {
    const cached = this.#cache.get(issuer);
    if (cached !== undefined && now - cached.fetchedAt < (force ? this.#refetch : this.#ttl) && now >= cached.fetchedAt) return cached;
    if (this.#fetch === undefined) throw new IDPCommunicationError(IDP_UNREACHABLE, { detail: 'no fetchJwks configured' });
    let set: JSONWebKeySet;
    try {
      set = await this.#fetch(issuer);
      const fresh = { keys: createLocalJWKSet(set), fetchedAt: now };
      this.#cache.set(issuer, fresh);
      return fresh;
    } catch (err) {
      throw new IDPCommunicationError(IDP_UNREACHABLE, { detail: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * Verifies signature, `iss` (exactly `issuer`, as the token spells it), `exp` and `nbf` at
   * `now` against the JWKS of `jwksIssuer` (the provider's registered URL); returns the claims.
   */
  async verify(token: string, issuer: string, jwksIssuer: string, now: Date): Promise<JWTPayload> {
    const ms = now.getTime();
    let jwks = await this.#jwks(jwksIssuer, ms, false);
    for (let attempt = 0; ; attempt++) {
      try {
        const { payload } = await jwtVerify(token, jwks.keys, { issuer, algorithms: ALGORITHMS, currentDate: now });
        return payload;
      } catch (err) {
        if (err instanceof joseErrors.JWKSNoMatchingKey && attempt === 0) {
          jwks = await this.#jwks(jwksIssuer, ms, true);
          continue;
        }
        if (err instanceof joseErrors.JWTExpired) {
          throw new ExpiredTokenException(tokenExpired(Math.floor(ms / 1000), Number(err.payload.exp)));
        }
        if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') throw new InvalidIdentityToken(TOKEN_NOT_YET_VALID);
        if (err instanceof joseErrors.JWTClaimValidationFailed) throw new InvalidIdentityToken(`The web identity token's ${err.claim} claim is invalid.`);
        throw new InvalidIdentityToken(INVALID_SIGNATURE, { detail: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}

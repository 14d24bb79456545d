import { AccessKeyResolver, type Caller } from '@latchkey/iam';
import type { Keyring } from '@latchkey/keyring';
import { getSigningKey } from '@latchkey/sigv4';
import type { Store } from '@latchkey/store';
import { StsService } from '@latchkey/sts';
import type { AuthorizationFailure, CredentialChanges, CredentialSource, PolicyDocument, PrincipalPolicies, ServiceSigningKey, SigningKeyRequest } from './credential-source.js';

export interface EmbeddedCredentialSourceOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  /** Clock, epoch ms (session expiry). */
  readonly now: () => number;
  /**
   * The STS service of the same process, for temporary (`ASIA…`) credentials; share it so the
   * decoded-session cache and source-key revocation are shared too. Default: a new one.
   */
  readonly sts?: StsService;
}

export interface EmbeddedCredentialSource extends CredentialSource {
  /** Subscribes to the store's change feed (key status, source-key revocation); call once. */
  start(): Promise<void>;
  close(): void;
}

function randomUnavailable(): Uint8Array {
  // The embedded source only resolves credentials; it never mints anything.
  throw new TypeError('embeddedCredentialSource: STS minting is not available here');
}

/**
 * A `CredentialSource` for a service running inside the Latchkey process: long-term keys
 * through `@latchkey/iam`'s resolver, temporary ones through `@latchkey/sts` (the session token
 * is decoded locally, no database read), and policies straight from the store. The secret is
 * unsealed only to derive the scoped signing key; it is not returned.
 */
export function embeddedCredentialSource(options: EmbeddedCredentialSourceOptions): EmbeddedCredentialSource {
  const { store, keyring, now } = options;
  const keys = new AccessKeyResolver(store, keyring);
  const sts = options.sts ?? new StsService({ store, keyring, random: randomUnavailable });
  const ownSts = options.sts === undefined;
  let unsubscribe: (() => void) | undefined;

  return {
    async start() {
      unsubscribe ??= await store.changes.subscribe((event) => keys.invalidate(event));
      if (ownSts) await sts.start();
    },
    close() {
      unsubscribe?.();
      unsubscribe = undefined;
      if (ownSts) sts.close();
    },

    watch(listener: (changes: CredentialChanges) => void): () => void {
      // The store's own change feed (on PostgreSQL, every instance's commits): each committed
      // change is reported as it arrives.
      let stopped = false;
      let stop: (() => void) | undefined;
      store.changes.subscribe((event) => listener({ reset: false, kinds: [event.kind] })).then(
        (unsubscribeWatch) => {
          if (stopped) unsubscribeWatch();
          else stop = unsubscribeWatch;
        },
        () => {
          // A store that cannot feed changes (closed): the TTL alone bounds staleness.
        },
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },

    async getSigningKey(request: SigningKeyRequest): Promise<ServiceSigningKey | undefined> {
      const { accessKeyId, sessionToken, date, region, service } = request;
      if (accessKeyId.startsWith('ASIA')) {
        if (sessionToken === undefined) return undefined;
        const resolved = await sts.resolveSessionCredentials(accessKeyId, sessionToken, new Date(now()));
        return { signingKey: getSigningKey(resolved.secretAccessKey, date, region, service), status: 'Active', expiresAt: resolved.expiresAt.getTime(), principal: resolved.principal };
      }
      const resolved = await keys.resolve(accessKeyId);
      if (resolved === undefined) return undefined;
      return { signingKey: getSigningKey(resolved.secretAccessKey, date, region, service), status: resolved.status, principal: resolved.principal };
    },

    getPrincipalPolicies(principal: Caller): Promise<PrincipalPolicies> {
      return store.read(async (repos) => {
        const identity = principal.identity;
        let own: PolicyDocument[] = [];
        let boundary: PolicyDocument | undefined;
        let tags: { key: string; value: string }[] = [];
        let failClosed = false;
        if (identity.kind !== 'root') {
          const prefix = `${identity.kind}/${identity.name}`;
          const [set, stored] = await Promise.all([repos.authorization.policiesFor(principal.accountId, identity.kind, identity.id), repos.tags.list(principal.accountId, identity.kind, identity.id)]);
          if (set === undefined) failClosed = true; // deleted under a live credential
          else {
            own = [
              ...set.inline.map((p) => ({ id: `${prefix}/${p.name}`, document: p.document, inline: true })),
              ...set.managed.map((m) => ({ id: m.arn, document: m.document })),
              ...set.groups.flatMap((g) => [
                ...g.inline.map((p) => ({ id: `group/${g.group.name}/${p.name}`, document: p.document, inline: true })),
                ...g.managed.map((m) => ({ id: m.arn, document: m.document })),
              ]),
            ];
            if (set.boundary !== null) boundary = { id: set.boundary.arn, document: set.boundary.document };
          }
          tags = stored.map((t) => ({ key: t.key, value: t.value }));
        }
        let session: PolicyDocument[] | undefined;
        const s = principal.session;
        if (s !== undefined && ((s.policies?.length ?? 0) > 0 || (s.policyArns?.length ?? 0) > 0)) {
          session = (s.policies ?? []).map((document, i) => ({ id: `session-policy/${i}`, document, inline: true }));
          for (const arn of s.policyArns ?? []) {
            const version = await repos.policies.getDefaultVersion(arn);
            // A deleted managed session policy grants nothing (the others still limit).
            if (version !== undefined) session.push({ id: arn, document: version.document });
          }
        }
        return { identity: own, ...(boundary === undefined ? {} : { boundary }), ...(session === undefined ? {} : { session }), tags, ...(failClosed ? { failClosed } : {}) };
      });
    },

    encodeAuthorizationMessage(failure: AuthorizationFailure): Promise<string> {
      return sts.encodeAuthorizationMessage(failure.decision, { caller: failure.caller, action: failure.action, resource: failure.resource, context: failure.context });
    },
  };
}

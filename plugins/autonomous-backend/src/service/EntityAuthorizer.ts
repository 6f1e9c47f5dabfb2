import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

export type EntityPermission = ResourcePermission<'catalog-entity'>;

const MAX_CACHED_DECISIONS = 10_000;

/**
 * Asks the permission framework whether the caller may do something to an entity.
 *
 * Each question to the framework costs a token signature and a loopback HTTP call, which is
 * most of the cost of a history page. So the broad answer for a caller and permission
 * ("allowed everywhere", "denied everywhere", or "depends on the entity") is asked once and
 * kept for a few seconds, shared by concurrent requests; only a conditional answer
 * (e.g. "owners may roll back") leads to the per-entity question, which the framework
 * resolves against the catalog.
 */
export class EntityAuthorizer {
  private readonly decisions = new Map<
    string,
    { expiresAt: number; result: Promise<AuthorizeResult> }
  >();

  constructor(
    private readonly permissions: PermissionsService,
    private readonly options: {
      cacheMs: number;
      now?: () => number;
      /**
       * Checked once the permission is granted: refuses a service principal the entity when
       * config limits its subject to other entities (`autonomous.serviceTokens`).
       */
      serviceScope?: (
        credentials: BackstageCredentials,
        entityRef: string,
      ) => Promise<void>;
    } = {
      cacheMs: 5_000,
    },
  ) {}

  async authorize(
    credentials: BackstageCredentials,
    permission: EntityPermission,
    entityRef: string,
  ): Promise<void> {
    const broad = await this.broadDecision(credentials, permission);
    if (broad === AuthorizeResult.ALLOW) {
      await this.options.serviceScope?.(credentials, entityRef);
      return;
    }
    if (broad === AuthorizeResult.CONDITIONAL) {
      const [decision] = await this.permissions.authorize(
        [{ permission, resourceRef: entityRef }],
        { credentials },
      );
      if (decision.result === AuthorizeResult.ALLOW) {
        await this.options.serviceScope?.(credentials, entityRef);
        return;
      }
    }
    throw new NotAllowedError(
      `you are not allowed ${permission.name} on ${entityRef}: ask the entity's owners or a portal admin for access`,
    );
  }

  private broadDecision(
    credentials: BackstageCredentials,
    permission: EntityPermission,
  ): Promise<AuthorizeResult> {
    const now = (this.options.now ?? Date.now)();
    const key = `${principalKey(credentials)}\n${permission.name}`;
    const cached = this.decisions.get(key);
    if (cached && cached.expiresAt > now) return cached.result;

    const result = this.permissions
      .authorizeConditional([{ permission }], { credentials })
      .then(([decision]) => decision.result);
    if (this.decisions.size >= MAX_CACHED_DECISIONS) this.evict(now);
    this.decisions.set(key, { expiresAt: now + this.options.cacheMs, result });
    // A failed question is not remembered: the next request asks again.
    result.catch(() => this.decisions.delete(key));
    return result;
  }

  private evict(now: number) {
    for (const [key, entry] of this.decisions) {
      if (entry.expiresAt <= now) this.decisions.delete(key);
    }
    if (this.decisions.size >= MAX_CACHED_DECISIONS) this.decisions.clear();
  }
}

/**
 * Who asks, as the permission framework sees it. A service principal's answer depends on its
 * access restrictions as well as its subject: two static tokens may share a subject and differ
 * in what they may do, so both are in the key.
 */
function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
    accessRestrictions?: unknown;
  };
  const restrictions =
    principal.type === 'service' && principal.accessRestrictions
      ? `\n${JSON.stringify(principal.accessRestrictions)}`
      : '';
  return `${principal.type}:${
    principal.userEntityRef ?? principal.subject ?? ''
  }${restrictions}`;
}

import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, ResponseError } from '@backstage/errors';
import { parseFullEntityRef, stringifyEntityRef } from './actions/common';

/**
 * Decides whether the user who runs a task may act on an upstream object that claims an
 * entity. An entity ref is task input, so a claim alone proves nothing about the user.
 *
 * @public
 */
export interface EntityOwnershipCheck {
  /** Throws a NotAllowedError unless these credentials own the entity. */
  assertOwner(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
}

/** `team-a` → `group:default/team-a`, as the catalog reads `spec.owner`. */
export function ownerRef(owner: string, namespace: string): string {
  const withKind = owner.includes(':') ? owner : `group:${owner}`;
  const [kind, rest] = [
    withKind.slice(0, withKind.indexOf(':')),
    withKind.slice(withKind.indexOf(':') + 1),
  ];
  const full = rest.includes('/') ? rest : `${namespace}/${rest}`;
  return `${kind}:${full}`.toLocaleLowerCase('en-US');
}

/**
 * The user owns the entity when its `spec.owner`, read from the catalog on the user's behalf,
 * is among the user's ownership refs (the user and the groups they belong to). Tasks started
 * by a backend service are trusted.
 *
 * @public
 */
export class CatalogOwnershipCheck implements EntityOwnershipCheck {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      userInfo: UserInfoService;
      fetch?: typeof fetch;
    },
  ) {}

  async assertOwner(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    if (this.deps.auth.isPrincipal(credentials, 'service')) return;
    if (!this.deps.auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        `only a signed-in user may act on objects of ${entityRef}`,
      );
    }
    const ref = parseFullEntityRef(entityRef);
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    const base = await this.deps.discovery.getBaseUrl('catalog');
    const url = `${base}/entities/by-name/${[ref.kind, ref.namespace, ref.name]
      .map(encodeURIComponent)
      .join('/')}`;
    const res = await (this.deps.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (res.status === 404) {
      throw new NotAllowedError(
        `${stringifyEntityRef(
          ref,
        )} is not in the catalog (or not visible to you); an existing object that claims it can only be changed by the entity's owner`,
      );
    }
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const entity = (await res.json()) as { spec?: { owner?: unknown } };
    const owner = entity.spec?.owner;
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(
      credentials,
    );
    const mine = new Set(
      ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
    );
    if (
      typeof owner !== 'string' ||
      !mine.has(ownerRef(owner, ref.namespace))
    ) {
      throw new NotAllowedError(
        `${stringifyEntityRef(ref)} is owned by ${
          typeof owner === 'string' ? owner : 'nobody'
        }, not by you or your groups; its objects are left alone`,
      );
    }
  }
}

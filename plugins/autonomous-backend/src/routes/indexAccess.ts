import { autonomousReadPermission } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityAuthorizer } from '../service/EntityAuthorizer';

/**
 * Which entities of an index page the caller may read (`autonomous.project.read`).
 *
 * The broad question comes first: denied everywhere is a 403 (the caller can read no project,
 * as every other route answers); allowed everywhere keeps the whole page; "depends on the
 * entity" (the catalog's ownership rule) asks once for all of the page's entities. A service
 * principal goes through the same entity authorizer as on every other route, so a token that
 * `autonomous.serviceTokens` limits to some entities finds only those.
 */
export class IndexReadAccess {
  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      auth: AuthService;
      authorizer: EntityAuthorizer;
      /** Who hears of an entity's changes (release and database signals). */
      readers?: {
        noteReader(credentials: BackstageCredentials, entityRef: string): void;
      };
    },
  ) {}

  /**
   * Makes the caller one of the readers of entities a listing showed them, which
   * {@link readable} allowed: the Autonomous page then hears, on each entity's own channel,
   * that its releases or databases changed. Only users become readers (the signals go to
   * users); a service principal reading an index page, as search does, does not.
   */
  noteReaders(credentials: BackstageCredentials, entityRefs: string[]): void {
    for (const ref of new Set(entityRefs)) {
      this.deps.readers?.noteReader(credentials, ref);
    }
  }

  async readable(
    credentials: BackstageCredentials,
    entityRefs: string[],
  ): Promise<Set<string>> {
    const refs = [...new Set(entityRefs)];
    const [broad] = await this.deps.permissions.authorizeConditional(
      [{ permission: autonomousReadPermission }],
      { credentials },
    );
    if (broad.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `you are not allowed ${autonomousReadPermission.name} on any entity: ask a portal admin for access`,
      );
    }
    if (this.deps.auth.isPrincipal(credentials, 'service')) {
      const allowed = await Promise.all(
        refs.map(ref =>
          this.deps.authorizer
            .authorize(credentials, autonomousReadPermission, ref)
            .then(
              () => true,
              e => {
                if ((e as Error)?.name === 'NotAllowedError') return false;
                throw e;
              },
            ),
        ),
      );
      return new Set(refs.filter((_, i) => allowed[i]));
    }
    if (broad.result === AuthorizeResult.ALLOW || !refs.length) {
      return new Set(refs);
    }
    const decisions = await this.deps.permissions.authorize(
      refs.map(resourceRef => ({
        permission: autonomousReadPermission,
        resourceRef,
      })),
      { credentials },
    );
    return new Set(
      refs.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    );
  }
}

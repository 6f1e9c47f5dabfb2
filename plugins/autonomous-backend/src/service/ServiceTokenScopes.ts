import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';

/** What one service subject may act on: named entities, and entities of named owners. */
export interface ServiceTokenScope {
  subject: string;
  entities: string[];
  owners: string[];
}

/**
 * `autonomous.serviceTokens`: limits a service principal (a static or external token's
 * `subject`) to named entities or owners. Backstage decides for a service principal by its
 * `accessRestrictions` alone, which name permissions, never entities; this says which
 * entities. A subject that is not listed is not limited here.
 */
export class ServiceTokenScopes {
  static fromConfig(config: Config): ServiceTokenScopes {
    const scopes = (
      config.getOptionalConfigArray('autonomous.serviceTokens') ?? []
    ).map((c, i): ServiceTokenScope => {
      const where = `autonomous.serviceTokens[${i}]`;
      const entities = (c.getOptionalStringArray('entities') ?? []).map(ref =>
        normalize(ref, 'component', `${where}.entities`),
      );
      const owners = (c.getOptionalStringArray('owners') ?? []).map(ref =>
        normalize(ref, 'group', `${where}.owners`),
      );
      if (!entities.length && !owners.length) {
        throw new Error(
          `${where} (subject ${c.getString(
            'subject',
          )}) names no entities and no owners: list what the token may act on, or leave the entry out`,
        );
      }
      return { subject: c.getString('subject'), entities, owners };
    });
    return new ServiceTokenScopes(scopes);
  }

  private readonly bySubject: Map<string, ServiceTokenScope>;

  constructor(scopes: ServiceTokenScope[]) {
    this.bySubject = new Map(scopes.map(s => [s.subject, s]));
  }

  /**
   * Refuses with a 403 when the caller is a service whose subject is limited and the entity
   * is neither named nor owned by a named owner. `entity` is read only when owners decide.
   */
  async check(
    credentials: BackstageCredentials,
    entityRef: string,
    entity: () => Promise<Entity | undefined>,
  ): Promise<void> {
    const principal = credentials.principal as {
      type?: string;
      subject?: string;
    };
    if (principal.type !== 'service' || !principal.subject) return;
    const scope = this.bySubject.get(principal.subject);
    if (!scope) return;
    const ref = normalize(entityRef, 'component', 'the entity');
    if (scope.entities.includes(ref)) return;
    if (scope.owners.length) {
      const owner = (await entity())?.spec?.owner;
      if (
        typeof owner === 'string' &&
        scope.owners.includes(normalize(owner, 'group', 'the owner', ref))
      ) {
        return;
      }
    }
    const allowed = [
      ...(scope.entities.length
        ? [`the entities ${scope.entities.join(', ')}`]
        : []),
      ...(scope.owners.length
        ? [`entities owned by ${scope.owners.join(', ')}`]
        : []),
    ].join(' and ');
    throw new NotAllowedError(
      `service ${principal.subject} may not act on ${ref}: autonomous.serviceTokens limits it to ${allowed}; add the entity or its owner there to allow it`,
    );
  }
}

/** `group:default/shop` from `shop`, `group:shop` or `Group:default/Shop`. */
function normalize(
  ref: string,
  defaultKind: string,
  what: string,
  relativeTo?: string,
): string {
  try {
    const defaultNamespace = relativeTo
      ? parseEntityRef(relativeTo).namespace
      : 'default';
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new Error(`${what}: "${ref}" is not an entity ref (${error})`);
  }
}

import {
  AUTONOMOUS_ANNOTATIONS,
  COMMUNITY_ANNOTATIONS,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { ProjectStore } from '../database/ProjectStore';
import { argocdApplicationFor, projectFromEntity } from './projectFromEntity';

/**
 * A project is its catalog entity's annotations with the portal's saved settings on top.
 *
 * The entity is read with the plugin's own credentials, after the route has authorized the
 * caller on it with theirs: a CI token then needs Autonomous permissions only, never the
 * catalog's (Backstage does not forward a token whose restrictions leave the catalog out, and
 * one that includes it may do anything there).
 */
export class ProjectService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly store: ProjectStore,
    private readonly auth: Pick<AuthService, 'getOwnServiceCredentials'>,
    /** Deleted projects are refused here, so no route or webhook acts on one again. */
    private readonly deletions?: {
      deletionOf(
        entityRef: string,
      ): Promise<
        { projectRef: string; deletedBy: string; deletedAt: string } | undefined
      >;
    },
  ) {}

  async getProject(entityRef: string): Promise<Project> {
    return (await this.resolve(entityRef)).project;
  }

  /** The catalog entity, or undefined when the catalog has none by that ref. */
  async entity(entityRef: string): Promise<Entity | undefined> {
    return this.catalog.getEntityByRef(entityRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
  }

  /** The project and the catalog entity it was read from (the entity picks upstream instances). */
  async resolve(
    entityRef: string,
    options: { deleted?: 'refuse' | 'include' } = {},
  ): Promise<{ project: Project; entity: Entity }> {
    if (options.deleted !== 'include') await this.refuseDeleted(entityRef);
    const entity = await this.entity(entityRef);
    if (!entity) {
      throw new NotFoundError(
        `${entityRef} is not in the catalog: check the kind, namespace and name, or register the entity first`,
      );
    }
    const fromEntity = projectFromEntity(entity);
    if (!fromEntity.ok) throw new NotFoundError(fromEntity.reason);
    const settings = await this.store.getSettings(entityRef);
    if (!settings) return { project: fromEntity.project, entity };
    const project: Project = {
      ...fromEntity.project,
      autoDeploy: settings.autoDeploy ?? fromEntity.project.autoDeploy,
      environments: settings.environments.length
        ? settings.environments.map(env => ({
            ...env,
            argocdApplication: argocdApplicationFor(
              entity.metadata.annotations?.[
                COMMUNITY_ANNOTATIONS.argocdAppName
              ],
              env.name,
              settings.environments.length,
            ),
          }))
        : fromEntity.project.environments,
      createdAt: settings.createdAt,
      updatedAt: settings.updatedAt,
    };
    return { project, entity };
  }

  private async refuseDeleted(entityRef: string) {
    const deletion = await this.deletions?.deletionOf(entityRef);
    if (!deletion) return;
    const by =
      deletion.projectRef === entityRef
        ? ''
        : ` with its project ${deletion.projectRef}`;
    throw new ConflictError(
      `${entityRef} was deleted${by} by ${deletion.deletedBy} at ${deletion.deletedAt}: its ArgoCD applications are gone and nothing is deployed to it any more; its release history stays readable`,
    );
  }

  /**
   * The services a project deploys: a System's Components that are Autonomous projects, each
   * with its own applications and releases; any other project is its own only service.
   */
  async servicesOf(
    resolved: { project: Project; entity: Entity },
    options: { deleted?: 'refuse' | 'include' } = {},
  ): Promise<Array<{ project: Project; entity: Entity }>> {
    if (resolved.entity.kind.toLocaleLowerCase('en-US') !== 'system') {
      return [resolved];
    }
    const system = parseEntityRef(resolved.project.entityRef);
    // spec.system may name the System as `payments`, `default/payments` or its full ref.
    const named = [
      system.name,
      `${system.namespace}/${system.name}`,
      resolved.project.entityRef,
    ];
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'component',
          [`metadata.annotations.${AUTONOMOUS_ANNOTATIONS.project}`]:
            CATALOG_FILTER_EXISTS,
          'spec.system': named,
        },
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const services = await Promise.all(
      items.map(e => this.resolve(stringifyEntityRef(e), options)),
    );
    return services
      .filter(s => s.project.system === resolved.project.entityRef)
      .sort((a, b) =>
        a.entity.metadata.name.localeCompare(b.entity.metadata.name),
      );
  }
}

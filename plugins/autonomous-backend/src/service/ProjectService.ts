import {
  COMMUNITY_ANNOTATIONS,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
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
  ): Promise<{ project: Project; entity: Entity }> {
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
}

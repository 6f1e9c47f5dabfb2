import {
  COMMUNITY_ANNOTATIONS,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ProjectStore } from '../database/ProjectStore';
import { argocdApplicationFor, projectFromEntity } from './projectFromEntity';

/** A project is its catalog entity's annotations with the portal's saved settings on top. */
export class ProjectService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly store: ProjectStore,
  ) {}

  async getProject(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Project> {
    return (await this.resolve(entityRef, credentials)).project;
  }

  /** The project and the catalog entity it was read from (the entity picks upstream instances). */
  async resolve(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ project: Project; entity: Entity }> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
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

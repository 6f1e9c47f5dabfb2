import {
  DeployServicesRequest,
  Project,
  ProjectDeletion,
  ProjectServices,
  ProjectStatus,
  Release,
  ReleaseGroup,
  ServiceOverview,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { deployableEnvironment } from '../service/deployableEnvironment';
import { ProjectService } from '../service/ProjectService';
import { ReleaseService } from '../service/ReleaseService';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { ProjectDeletionStore } from './ProjectDeletionStore';
import { ReleaseGroupStore } from './ReleaseGroupStore';
import { serviceEnvironmentOf } from './serviceReadiness';

type Resolved = { project: Project; entity: Entity };

export interface MicroserviceProjectsOptions {
  projects: Pick<ProjectService, 'resolve' | 'servicesOf'>;
  /** Deployment and running status of each environment (the status route's). */
  status(resolved: Resolved): Promise<ProjectStatus>;
  releases: Pick<ReleaseService, 'create' | 'cancel'>;
  releaseStore: Pick<DatabaseReleaseStore, 'findInFlight'>;
  groups: ReleaseGroupStore;
  deletions: ProjectDeletionStore;
  /** Uncached: a deletion acts on what ArgoCD holds now. */
  clients: UpstreamClients;
  bindings?: UpstreamBindings;
  logger: LoggerService;
}

const RECENT_GROUPS = 10;

/**
 * A project made of services: a System whose Components each have their own applications and
 * releases. Reports each service's readiness, deploys several in one request, and deletes the
 * whole project (its applications; never its history).
 */
export class MicroserviceProjects {
  constructor(private readonly options: MicroserviceProjectsOptions) {}

  async overview(resolved: Resolved): Promise<ProjectServices> {
    const { project } = resolved;
    const deletion = await this.options.deletions.ofProject(project.entityRef);
    const services = deletion
      ? []
      : await this.options.projects.servicesOf(resolved, {
          deleted: 'include',
        });
    return {
      entityRef: project.entityRef,
      kind: project.kind,
      services: await Promise.all(services.map(s => this.serviceOf(s))),
      releaseGroups: await this.options.groups.recent(
        project.entityRef,
        RECENT_GROUPS,
      ),
      deletion,
    };
  }

  private async serviceOf(service: Resolved): Promise<ServiceOverview> {
    const { project, entity } = service;
    const status = await this.options.status(service);
    return {
      entityRef: project.entityRef,
      name: entity.metadata.name,
      title: entity.metadata.title,
      sourcePath: project.sourcePath,
      environments: project.environments.map(env =>
        serviceEnvironmentOf(
          env,
          status.environments.find(s => s.environment === env.name) ?? {
            environment: env.name,
            namespace: env.namespace,
            summary: 'No status',
          },
        ),
      ),
    };
  }

  /**
   * One release per named service, to one environment, linked as one group. Everything that
   * can be known beforehand (the names, the environment, the annotations a build needs, a
   * release already in flight) is checked before the first release is created; should a later
   * one still be refused, those already created are cancelled and the refusal answered.
   */
  async deploy(
    resolved: Resolved,
    request: DeployServicesRequest,
    actor: string,
    /** Throws unless the caller may deploy this service (each is its own entity). */
    authorizeService: (entityRef: string) => Promise<void>,
  ): Promise<ReleaseGroup> {
    const { project } = resolved;
    const all = await this.options.projects.servicesOf(resolved, {
      deleted: 'include',
    });
    const byName = new Map(all.map(s => [s.entity.metadata.name, s]));
    const unknown = request.services.filter(name => !byName.has(name));
    if (unknown.length) {
      throw new InputError(
        `services: ${unknown.join(', ')} ${
          unknown.length === 1 ? 'is not a service' : 'are not services'
        } of ${project.entityRef}; its services are ${
          all.map(s => s.entity.metadata.name).join(', ') || 'none'
        } (Components with spec.system ${
          project.entityRef
        } and the annotation autonomous.dev/project)`,
      );
    }
    const chosen: Resolved[] = [];
    for (const name of request.services) {
      const listed = byName.get(name)!;
      await authorizeService(listed.project.entityRef);
      // Resolved again without `include`: a deleted service is refused here.
      chosen.push(
        await this.options.projects.resolve(listed.project.entityRef),
      );
    }
    for (const { project: service } of chosen) {
      deployableEnvironment(service, request.environment);
      if (
        !service.upstreams.jenkinsJobFullName ||
        !service.upstreams.harborRepositorySlug
      ) {
        throw new InputError(
          `${service.entityRef} names no Jenkins job or Harbor repository: add jenkins.io/job-full-name and goharbor.io/repository-slug to its catalog-info.yaml`,
        );
      }
    }
    const busy = (
      await Promise.all(
        chosen.map(s =>
          this.options.releaseStore.findInFlight(
            s.project.entityRef,
            request.environment,
          ),
        ),
      )
    ).flat();
    if (busy.length) {
      throw new ConflictError(
        `${busy
          .map(r => `${r.entityRef} has release #${r.number} ${r.status}`)
          .join(', ')} in ${
          request.environment
        }: wait for it or cancel it, then deploy the services together`,
      );
    }
    const groupId = await this.options.groups.open({
      entityRef: project.entityRef,
      environment: request.environment,
      requestedBy: actor,
      reason: request.reason,
    });
    const created: Array<{ service: Resolved; release: Release }> = [];
    try {
      for (const service of chosen) {
        const release = await this.options.releases.create(
          service,
          {
            environment: request.environment,
            ref: request.ref,
            reason:
              request.reason ??
              (chosen.length > 1
                ? `Deployed with ${chosen
                    .filter(s => s !== service)
                    .map(s => s.entity.metadata.name)
                    .join(', ')}`
                : undefined),
            onConflict: 'reject',
            trigger: 'manual',
          },
          actor,
        );
        await this.options.groups.add(groupId, release.id, created.length);
        created.push({ service, release });
      }
    } catch (e) {
      await this.undo(groupId, created, actor, e as Error);
      throw e;
    }
    return (await this.options.groups.get(groupId))!;
  }

  private async undo(
    groupId: string,
    created: Array<{ service: Resolved; release: Release }>,
    actor: string,
    cause: Error,
  ) {
    for (const { service, release } of created) {
      await this.options.releases
        .cancel(
          service,
          release,
          actor,
          `the services were deployed together and another one was refused: ${cause.message}`,
        )
        .catch(e =>
          this.options.logger.warn(
            `Could not cancel release ${release.id} of a refused group: ${e}`,
          ),
        );
    }
    if (!created.length) await this.options.groups.discard(groupId);
  }

  /**
   * Removes the project's ArgoCD applications (a System's: every service's, in every
   * environment) once the caller typed its name, and records it as deleted. Releases and their
   * events stay. A failure half-way is answered as it is; sending the delete again removes the
   * rest (an application already gone counts as removed).
   */
  async delete(
    resolved: Resolved,
    confirm: string,
    actor: string,
  ): Promise<ProjectDeletion> {
    const { project, entity } = resolved;
    if (confirm !== entity.metadata.name) {
      throw new InputError(
        `confirm: type the project's name, ${entity.metadata.name}, to delete ${project.entityRef} and its ArgoCD applications`,
      );
    }
    const services = await this.options.projects.servicesOf(resolved, {
      deleted: 'include',
    });
    const members = services.some(
      s => s.project.entityRef === project.entityRef,
    )
      ? services
      : [resolved, ...services];
    const busy = (
      await Promise.all(
        members.flatMap(m =>
          m.project.environments.map(env =>
            this.options.releaseStore.findInFlight(
              m.project.entityRef,
              env.name,
            ),
          ),
        ),
      )
    ).flat();
    if (busy.length) {
      throw new ConflictError(
        `${busy
          .map(
            r =>
              `${r.entityRef} has release #${r.number} ${r.status} in ${r.environment}`,
          )
          .join(', ')}: cancel it or wait for it to finish, then delete`,
      );
    }
    const bindings = this.options.bindings ?? new UpstreamBindings();
    const { clients } = this.options;
    // Every application is checked to claim its service before any is removed.
    const doomed: Array<{ member: Resolved; app: string }> = [];
    for (const member of members) {
      for (const env of member.project.environments) {
        const app = env.argocdApplication;
        if (!app || doomed.some(d => d.app === app)) continue;
        try {
          await bindings.boundApplication(clients, member.entity, app);
        } catch (e) {
          // Gone already (an earlier attempt, or never created): nothing to remove.
          if ((e as { status?: number }).status === 404) continue;
          throw e;
        }
        doomed.push({ member, app });
      }
    }
    const removed = new Map<string, string[]>(
      members.map(m => [m.project.entityRef, []]),
    );
    for (const { member, app } of doomed) {
      await clients.forEntity('argocd', member.entity).deleteApplication(app);
      removed.get(member.project.entityRef)!.push(app);
      this.options.logger.info(
        `Deleted ArgoCD application ${app} of ${member.project.entityRef} (project ${project.entityRef}, by ${actor})`,
      );
    }
    return this.options.deletions.record({
      projectRef: project.entityRef,
      deletedBy: actor,
      applications: removed,
    });
  }
}

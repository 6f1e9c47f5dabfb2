import {
  CreateReleaseRequest,
  Environment,
  isReleaseInFlight,
  Project,
  RedeployRequest,
  Release,
  ReleaseConflictPolicy,
  ReleaseTrigger,
  RollbackRequest,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { DatabaseReleaseStore, NewRelease } from '../database/ReleaseStore';
import { deployableEnvironment } from './deployableEnvironment';
import { UpstreamBindings } from './UpstreamBindings';

export interface ReleaseServiceOptions {
  releases: DatabaseReleaseStore;
  /**
   * Cached clients are fine here: cancel only writes, and the claims read before a release is
   * created are read again, fresh, by the orchestrator before each write.
   */
  clients: UpstreamClients;
  logger: LoggerService;
  /** Which upstream objects an entity may act on; default: only those that claim it. */
  bindings?: UpstreamBindings;
  /** Tells the orchestrator a release wants attention now. */
  wake(releaseId: string): void;
  onChange?(release: Release): void;
}

type Resolved = { project: Project; entity: Entity };

/** Creates, cancels, redeploys and rolls back releases; the orchestrator does the rest. */
export class ReleaseService {
  constructor(private readonly options: ReleaseServiceOptions) {}

  async create(
    { project, entity }: Resolved,
    request: CreateReleaseRequest,
    actor: string,
    /** What only the portal itself names: a webhook's trigger and the pushed commit. */
    origin: Pick<NewRelease, 'commitMessage' | 'committedAt'> & {
      trigger?: ReleaseTrigger;
    } = {},
  ): Promise<Release> {
    const env = deployableEnvironment(project, request.environment);
    if (!project.upstreams.jenkinsJobFullName) {
      throw new InputError(
        `${project.entityRef} names no Jenkins job: add the annotation jenkins.io/job-full-name to its catalog-info.yaml`,
      );
    }
    if (!project.upstreams.harborRepositorySlug) {
      throw new InputError(
        `${project.entityRef} names no Harbor repository: add the annotation goharbor.io/repository-slug (project/repository)`,
      );
    }
    await this.checkBound(entity, {
      job: project.upstreams.jenkinsJobFullName,
      application: env.argocdApplication,
    });
    const id = randomUUID();
    const ref = request.ref ?? (request.commitSha ? undefined : env.branch);
    return this.start(
      entity,
      {
        id,
        entityRef: project.entityRef,
        environment: env.name,
        ref,
        commitSha: request.commitSha?.toLowerCase(),
        commitMessage: origin.commitMessage,
        committedAt: origin.committedAt,
        trigger: origin.trigger ?? request.trigger ?? 'api',
        requestedBy: actor,
        reason: request.reason,
        buildJob: project.upstreams.jenkinsJobFullName,
        argocdApplication: env.argocdApplication,
      },
      request.onConflict ?? 'reject',
    );
  }

  async redeploy(
    { project, entity }: Resolved,
    source: Release,
    request: RedeployRequest,
    actor: string,
  ): Promise<Release> {
    if (!source.imageRef) {
      throw new ConflictError(
        `release ${source.version} has no image yet (it is ${source.status}); wait for its build or deploy a new one`,
      );
    }
    const env = deployableEnvironment(
      project,
      request.environment ?? source.environment,
    );
    await this.checkBound(entity, { application: env.argocdApplication });
    return this.start(
      entity,
      this.fromImage(project, env, source, 'redeploy', actor, request.reason),
      request.onConflict ?? 'reject',
    );
  }

  async rollback(
    { project, entity }: Resolved,
    target: Release,
    request: RollbackRequest,
    actor: string,
  ): Promise<Release> {
    if (target.status !== 'healthy' || !target.imageRef) {
      throw new ConflictError(
        `release ${target.version} is ${target.status}; only a healthy release can be rolled back to`,
      );
    }
    const env = deployableEnvironment(project, target.environment);
    await this.checkBound(entity, { application: env.argocdApplication });
    return this.start(
      entity,
      this.fromImage(project, env, target, 'rollback', actor, request.reason),
      request.onConflict ?? 'supersede',
    );
  }

  async cancel(
    { entity }: Resolved,
    release: Release,
    actor: string,
    reason?: string,
  ) {
    if (
      !isReleaseInFlight(release.status) ||
      release.status === 'rolling-back'
    ) {
      throw new ConflictError(
        `release ${release.version} is ${release.status} and cannot be cancelled; only a release on its way can`,
      );
    }
    const cancelled = await this.options.releases.transition(
      release.id,
      'cancelled',
      `Cancelled by ${actor}${reason ? `: ${reason}` : ''}`,
    );
    this.options.onChange?.(cancelled);
    await this.stopUpstream(entity, cancelled);
    return cancelled;
  }

  private fromImage(
    project: Project,
    env: Environment,
    source: Release,
    trigger: 'redeploy' | 'rollback',
    actor: string,
    reason?: string,
  ): NewRelease {
    return {
      entityRef: project.entityRef,
      environment: env.name,
      version: source.version,
      ref: source.ref,
      commitSha: source.commitSha,
      commitMessage: source.commitMessage,
      committedAt: source.committedAt,
      trigger,
      requestedBy: actor,
      reason:
        reason ??
        `${trigger === 'rollback' ? 'Roll back' : 'Redeploy'} to #${
          source.number
        } (${source.version})`,
      imageRef: source.imageRef,
      sourceReleaseId: source.id,
      buildJob: project.upstreams.jenkinsJobFullName,
      argocdApplication: env.argocdApplication,
    };
  }

  /**
   * Refuses (403) a release whose Jenkins job or ArgoCD application does not claim the entity,
   * before anything is written. An object that cannot be read now is checked again by the
   * orchestrator before its first write.
   */
  private async checkBound(
    entity: Entity,
    targets: { job?: string; application: string },
  ): Promise<void> {
    const bindings = this.options.bindings ?? new UpstreamBindings();
    const { clients } = this.options;
    const unreadable = () => undefined;
    const refusals = await Promise.all([
      (async () =>
        targets.job
          ? bindings.jobRefusalOf(clients, entity, targets.job)
          : undefined)().catch(unreadable),
      (async () =>
        bindings.applicationRefusal(
          entity,
          await clients
            .forEntity('argocd', entity)
            .getApplication(targets.application),
        ))().catch(unreadable),
    ]);
    const refusal = refusals.find(Boolean);
    if (refusal) throw new NotAllowedError(refusal);
  }

  private async start(
    entity: Entity,
    input: NewRelease,
    onConflict: ReleaseConflictPolicy,
  ): Promise<Release> {
    const { created, ahead } = await this.options.releases.startRelease(
      input,
      onConflict,
    );
    this.options.onChange?.(created);
    if (onConflict === 'supersede') {
      for (const old of ahead) {
        try {
          const cancelled = await this.options.releases.transition(
            old.id,
            'cancelled',
            `Superseded by release ${created.version} (${created.id})`,
          );
          this.options.onChange?.(cancelled);
          await this.stopUpstream(entity, cancelled);
        } catch (e) {
          // It finished meanwhile; nothing to supersede.
          if (!(e instanceof ConflictError)) throw e;
        }
      }
    }
    this.options.wake(created.id);
    return created;
  }

  /** Stops the Jenkins build of a cancelled release; best effort, the release is cancelled anyway. */
  private async stopUpstream(entity: Entity, release: Release): Promise<void> {
    if (!release.buildJob || release.buildNumber === undefined) return;
    try {
      await this.options.clients
        .forEntity('jenkins', entity)
        .stopBuild(release.buildJob, release.buildNumber);
    } catch (e) {
      this.options.logger.warn(
        `Could not stop Jenkins build #${release.buildNumber} of ${release.buildJob}: ${e}`,
      );
    }
  }
}

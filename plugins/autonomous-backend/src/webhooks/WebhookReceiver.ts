import {
  AUTONOMOUS_ANNOTATIONS,
  COMMUNITY_ANNOTATIONS,
  commitSubjectOf,
  Environment,
  Project,
  WebhookProvider,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { DatabaseWebhookDeliveryStore } from '../database/WebhookDeliveryStore';
import { plainText } from '../routes/requests';
import { ReleaseService } from '../service/ReleaseService';
import { decidePush } from './decide';
import { Delivery, Push } from './pushEvent';
import { WebhookSecrets } from './WebhookSecrets';

type Resolved = { project: Project; entity: Entity };

/** How a verified delivery ended for one project. */
export interface ProjectOutcome {
  entityRef: string;
  outcome: 'released' | 'ignored' | 'failed' | 'duplicate';
  detail: string;
  releaseIds: string[];
}

const SLUG_ANNOTATION: Record<WebhookProvider, string> = {
  github: COMMUNITY_ANNOTATIONS.githubProjectSlug,
  gitlab: COMMUNITY_ANNOTATIONS.gitlabProjectSlug,
};

const short = (sha: string) => sha.slice(0, 7);

/**
 * Verifies a delivery against its repository's secret, records it once per project and turns a
 * push to an environment's branch into a release. Nothing is written before the signature is
 * verified; a delivery id or a (project, environment, commit) seen before creates nothing.
 */
export class WebhookReceiver {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
      resolve(entityRef: string): Promise<Resolved>;
      secrets: WebhookSecrets;
      store: DatabaseWebhookDeliveryStore;
      releases: Pick<ReleaseService, 'create'>;
      logger: LoggerService;
      /** A delivery was settled for the project: its open pages list it without a reload. */
      onSettled?: (entityRef: string) => void;
    },
  ) {}

  /** The projects whose entity names this repository, with the portal's settings on top. */
  async projectsOf(delivery: Delivery): Promise<Resolved[]> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${SLUG_ANNOTATION[delivery.provider]}`]:
            delivery.repository,
          [`metadata.annotations.${AUTONOMOUS_ANNOTATIONS.project}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const resolved = await Promise.all(
      items.map(e =>
        this.deps.resolve(stringifyEntityRef(e)).catch(() => undefined),
      ),
    );
    return resolved.filter(
      (r): r is Resolved =>
        r?.project.repository?.provider === delivery.provider,
    );
  }

  /** Throws 401 unless the delivery carries the repository's secret (`check` compares). */
  async verify(
    delivery: Delivery,
    check: (secret: string) => boolean,
  ): Promise<Resolved[]> {
    const projects = await this.projectsOf(delivery);
    const [first] = projects;
    const secret =
      first &&
      (await this.deps.secrets.read(first.entity, first.project.repository!));
    if (!secret || !check(secret)) {
      // The same answer whether the repository is unknown, has no secret or was signed wrongly.
      throw new AuthenticationError(
        `the delivery is not signed with the webhook secret the portal keeps for ${delivery.provider} repository ${delivery.repository}: set the webhook's secret to the one shown when it was created or last rotated on the project's Overview`,
      );
    }
    return projects;
  }

  /** Records and acts on a verified delivery for each of its projects. */
  async receive(
    delivery: Delivery,
    projects: Resolved[],
  ): Promise<ProjectOutcome[]> {
    return Promise.all(
      projects.map(p =>
        this.receiveFor(delivery, p).catch(e => {
          this.deps.logger.error(
            `Webhook delivery ${delivery.deliveryId} for ${p.project.entityRef} could not be recorded: ${e}`,
          );
          throw e;
        }),
      ),
    );
  }

  private async receiveFor(
    delivery: Delivery,
    resolved: Resolved,
  ): Promise<ProjectOutcome> {
    const entityRef = resolved.project.entityRef;
    const key = { ...delivery, entityRef };
    const push = delivery.push;
    const claimed = await this.deps.store.claim({
      ...key,
      ref: push?.ref,
      commitSha: push?.after,
      commitSubject: push?.headCommit
        ? plainText(commitSubjectOf(push.headCommit.message) ?? '')
        : undefined,
    });
    if (!claimed) {
      return {
        entityRef,
        outcome: 'duplicate',
        detail: `delivery ${delivery.deliveryId} was received before; a redelivery creates nothing`,
        releaseIds: [],
      };
    }
    let result: Omit<ProjectOutcome, 'entityRef'>;
    try {
      result = push
        ? await this.releasePush(delivery, push, resolved)
        : {
            outcome: 'ignored',
            detail: `a ${delivery.event} delivery releases nothing: only push events do`,
            releaseIds: [],
          };
    } catch (e) {
      this.deps.logger.warn(
        `Webhook delivery ${delivery.deliveryId} for ${entityRef} failed: ${e}`,
      );
      result = {
        outcome: 'failed',
        detail: `could not be handled: ${
          (e as Error).message
        }; redeliver it to try again`,
        releaseIds: [],
      };
    }
    await this.deps.store.settle(key, {
      outcome: result.outcome as 'released' | 'ignored' | 'failed',
      detail: result.detail,
      releaseIds: result.releaseIds,
    });
    this.deps.onSettled?.(entityRef);
    return { entityRef, ...result };
  }

  private async releasePush(
    delivery: Delivery,
    push: Push,
    resolved: Resolved,
  ): Promise<Omit<ProjectOutcome, 'entityRef'>> {
    const decision = decidePush(resolved.project, push);
    const sentences = [...decision.ignored];
    const releaseIds: string[] = [];
    let failed = false;
    // Each environment claims its own (project, environment, commit): they release side by
    // side, and the answer GitHub waits for is the slowest one, not their sum.
    const outcomes = await Promise.all(
      decision.release.map(env =>
        this.releaseTo(delivery, push, resolved, env),
      ),
    );
    decision.release.forEach((env, i) => {
      const outcome = outcomes[i];
      sentences.push(`${env.name}: ${outcome.sentence}`);
      if (outcome.releaseId) releaseIds.push(outcome.releaseId);
      failed ||= outcome.failed ?? false;
    });
    let outcome: ProjectOutcome['outcome'] = failed ? 'failed' : 'ignored';
    if (releaseIds.length) outcome = 'released';
    return {
      outcome,
      detail: sentences.join('; '),
      releaseIds,
    };
  }

  private async releaseTo(
    delivery: Delivery,
    push: Push,
    { project, entity }: Resolved,
    env: Environment,
  ): Promise<{ sentence: string; releaseId?: string; failed?: boolean }> {
    const { store } = this.deps;
    const commit = {
      entityRef: project.entityRef,
      environment: env.name,
      commitSha: push.after,
    };
    const committedAt = push.headCommit?.timestamp;
    const newest = await store.newestCommitTime(project.entityRef, env.name);
    const earlier = await store.claimOf(commit);
    if (!earlier && committedAt && newest && committedAt < newest) {
      return {
        sentence: `commit ${short(
          push.after,
        )} (${committedAt.toISOString()}) is older than the newest one released here (${newest.toISOString()}): a late delivery is not deployed over a newer commit`,
      };
    }
    if (
      earlier ||
      !(await store.claimCommit({ ...commit, committedAt, ...delivery }))
    ) {
      const again = earlier ?? (await store.claimOf(commit));
      return {
        sentence: `commit ${short(push.after)} was already ${
          again?.releaseId ? `released as ${again.releaseId}` : 'being released'
        } through delivery ${again?.deliveryId}`,
      };
    }
    try {
      const subject = commitSubjectOf(push.headCommit?.message ?? '');
      const release = await this.deps.releases.create(
        { project, entity },
        {
          environment: env.name,
          ref: env.branch,
          commitSha: push.after,
          reason: plainText(
            `Pushed to ${env.branch}${subject ? `: ${subject}` : ''}`,
          ).slice(0, 500),
          onConflict: 'queue',
        },
        `webhook:${delivery.provider}`,
        {
          trigger: 'webhook',
          commitMessage: push.headCommit?.message,
          committedAt: committedAt?.toISOString(),
        },
      );
      await store.bindCommit(commit, release.id);
      return {
        sentence: `released as #${release.number} (${release.version})`,
        releaseId: release.id,
      };
    } catch (e) {
      await store.dropCommit(commit, delivery.deliveryId);
      if (e instanceof InputError || (e as Error).name === 'NotAllowedError') {
        return {
          sentence: `not released: ${(e as Error).message}`,
          failed: true,
        };
      }
      throw e;
    }
  }
}

import {
  builtCommitOf,
  JenkinsBuiltCommit,
  JenkinsJob,
  UpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { StageContext, StageResult } from './types';

/** The build parameter that lets a restarted backend find the build it already asked for. */
export const RELEASE_ID_PARAMETER = 'AUTONOMOUS_RELEASE_ID';

/** `project/repository` of the entity's Harbor slug, split at the first slash. */
export function splitHarborSlug(
  slug: string,
): { project: string; repository: string } | undefined {
  const index = slug.indexOf('/');
  if (index <= 0 || index === slug.length - 1) return undefined;
  return { project: slug.slice(0, index), repository: slug.slice(index + 1) };
}

function fail(message: string): StageResult {
  return { to: 'failed', message };
}

/** queued: wait for the releases ahead, reuse an image, or start the build. */
export async function queuedStage(ctx: StageContext): Promise<StageResult> {
  const { release } = ctx.claimed;
  const blockers = await ctx.blockers();
  if (blockers.length) {
    // Woken when the one ahead finishes; the poll is only a safety net.
    return { nextCheckInMs: ctx.settings.pollIntervalMs };
  }
  if (release.imageRef) {
    return {
      to: 'built',
      message: `Deploying ${release.imageRef} again: the image is already built, nothing is rebuilt`,
      continue: true,
    };
  }
  const job = release.buildJob;
  if (!job) {
    return fail(
      `${release.entityRef} names no Jenkins job: add the annotation jenkins.io/job-full-name to its catalog-info.yaml`,
    );
  }
  if (!ctx.project.upstreams.harborRepositorySlug) {
    return fail(
      `${release.entityRef} names no Harbor repository: add the annotation goharbor.io/repository-slug (project/repository)`,
    );
  }
  const jenkins = ctx.clients.forEntity('jenkins', ctx.entity);
  // Only a job that claims the entity (or that config maps to its owner) is ever built; the
  // one read gives its description and the number its next build gets.
  const info = (await jenkins.getJob(job)) as JenkinsJob & {
    description?: string | null;
  };
  const refusal = ctx.bindings.jobRefusal(ctx.entity, job, info.description);
  if (refusal) return fail(refusal);
  const buildFromNumber = Number.isInteger(info.nextBuildNumber)
    ? info.nextBuildNumber!
    : await jenkins.getNextBuildNumber(job);
  return {
    to: 'building',
    message: `Building ${
      release.ref ?? release.commitSha
    } with Jenkins job ${job}`,
    progress: { buildFromNumber },
    continue: true,
  };
}

/** building: trigger once, follow the queue item to a build, wait for it, resolve the digest. */
export async function buildingStage(ctx: StageContext): Promise<StageResult> {
  const { release, progress } = ctx.claimed;
  const job = release.buildJob;
  if (!job) {
    return fail(
      `The release names no Jenkins job to follow: deploy it again from ${release.entityRef}`,
    );
  }
  const jenkins = ctx.clients.forEntity('jenkins', ctx.entity);

  if (
    progress.buildNumber === undefined &&
    progress.buildQueueId === undefined
  ) {
    // The trigger POST may have reached Jenkins before a crash: look before asking again.
    const found = await jenkins.findBuildByParameter(
      job,
      { name: RELEASE_ID_PARAMETER, value: release.id },
      { fromBuildNumber: progress.buildFromNumber ?? 1 },
    );
    if (found) {
      return {
        progress: {
          buildQueueId: found.queueId,
          buildNumber: found.buildNumber,
        },
        note: found.buildNumber
          ? `Found Jenkins build #${found.buildNumber}, asked for before a restart`
          : `Found Jenkins queue item ${found.queueId}, asked for before a restart`,
        continue: true,
      };
    }
    const slug = ctx.project.upstreams.harborRepositorySlug ?? '';
    const queued = await jenkins.triggerBuild(job, {
      GIT_COMMIT: release.commitSha ?? release.ref ?? '',
      GIT_BRANCH: release.ref ?? '',
      IMAGE_REPOSITORY: slug,
      IMAGE_TAG: release.version,
      [RELEASE_ID_PARAMETER]: release.id,
    });
    return {
      progress: { buildQueueId: queued.queueId },
      note: `Jenkins queued the build (queue item ${queued.queueId})`,
      continue: true,
    };
  }

  if (progress.buildNumber === undefined) {
    let item;
    try {
      item = await jenkins.getQueueItem(progress.buildQueueId!);
    } catch (e) {
      // Jenkins forgets queue items five minutes after they leave the queue.
      if (e instanceof UpstreamError && e.status === 404) {
        return { progress: { buildQueueId: undefined }, continue: true };
      }
      throw e;
    }
    if (item.cancelled) {
      return fail(
        `The Jenkins queue item ${progress.buildQueueId} was cancelled before the build started`,
      );
    }
    const number = item.executable?.number;
    if (number === undefined) {
      return (
        timedOut(
          ctx,
          ctx.settings.buildTimeoutMs,
          'The build did not start',
        ) ?? {
          nextCheckInMs: Math.min(1_000, ctx.settings.pollIntervalMs),
        }
      );
    }
    return {
      progress: { buildNumber: number },
      note: `Jenkins build #${number} started`,
      continue: true,
    };
  }

  const build = await jenkins.getBuild(job, progress.buildNumber);
  if (build.building || build.result === null || build.result === undefined) {
    return (
      timedOut(
        ctx,
        ctx.settings.buildTimeoutMs,
        `Jenkins build #${progress.buildNumber} did not finish`,
      ) ?? { nextCheckInMs: ctx.settings.pollIntervalMs }
    );
  }
  if (build.result !== 'SUCCESS') {
    return fail(
      `Jenkins build #${progress.buildNumber} of ${job} finished ${build.result}: see the build log`,
    );
  }
  return resolveImage(ctx, progress.buildNumber, builtCommitOf(build));
}

/** The commit to record: what the build checked out, said against what was asked for. */
function commitNote(
  asked: string | undefined,
  built: JenkinsBuiltCommit | undefined,
): string {
  if (!built) return '';
  if (asked && !built.sha.startsWith(asked.toLowerCase())) {
    return `; it built commit ${built.sha}, not ${asked} as asked`;
  }
  return `; it built commit ${built.sha.slice(0, 7)}`;
}

async function resolveImage(
  ctx: StageContext,
  buildNumber: number,
  built: JenkinsBuiltCommit | undefined,
): Promise<StageResult> {
  const { release } = ctx.claimed;
  const slug = ctx.project.upstreams.harborRepositorySlug ?? '';
  const parts = splitHarborSlug(slug);
  if (!parts) {
    return fail(
      `goharbor.io/repository-slug "${slug}" is not project/repository: fix the annotation`,
    );
  }
  const harbor = ctx.clients.forEntity('harbor', ctx.entity);
  let digest: string;
  try {
    digest = await harbor.resolveDigest(
      parts.project,
      parts.repository,
      release.version,
    );
  } catch (e) {
    if (e instanceof UpstreamError && e.status === 404) {
      return fail(
        `Jenkins build #${buildNumber} succeeded but Harbor has no tag ${release.version} in ${slug}: the job must push IMAGE_TAG to IMAGE_REPOSITORY`,
      );
    }
    throw e;
  }
  return {
    to: 'built',
    imageRef: `${harbor.registryHost}/${slug}@${digest}`,
    ...(built ? { commit: built } : {}),
    message: `Jenkins build #${buildNumber} succeeded${commitNote(
      release.commitSha,
      built,
    )}; Harbor resolved ${slug}:${release.version} to ${digest}`,
    continue: true,
  };
}

/** A failure when the stage has run longer than its limit; undefined while it may go on. */
export function timedOut(
  ctx: StageContext,
  limitMs: number,
  what: string,
): StageResult | undefined {
  const since = Date.parse(ctx.claimed.progress.stageStartedAt ?? '');
  if (!Number.isFinite(since)) return undefined;
  const elapsed = ctx.now().getTime() - since;
  if (elapsed <= limitMs) return undefined;
  return fail(`${what} within ${Math.round(limitMs / 60_000)} min`);
}

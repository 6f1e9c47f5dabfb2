import type { SandboxContext } from '../context.ts';
import type { HarborState } from '../harbor.ts';
import { commitFor } from './commits.ts';
import { pipelineLog } from './pipelineLog.ts';
import type { Build, Job, QueueItem } from './types.ts';

/**
 * Jenkins' jobs, queue and builds on the sandbox's clock: an item waits its quiet period, becomes a
 * build, and the build ends (pushing its image to Harbor) after its duration.
 */
export class JenkinsState {
  private readonly ctx: SandboxContext;
  private readonly harbor: HarborState;
  readonly jobs = new Map<string, Job>();
  readonly queue = new Map<number, QueueItem>();
  private nextQueueId = 1;
  /** The registry host that appears in build logs (the sandbox's own address). */
  registryHost = 'sandbox';

  constructor(ctx: SandboxContext, harbor: HarborState) {
    this.ctx = ctx;
    this.harbor = harbor;
  }

  advance(): void {
    const now = this.ctx.now();
    for (const item of this.queue.values()) {
      if (!item.build && !item.cancelled && now >= item.startAt) {
        this.start(item, item.startAt);
      }
      if (item.leftAt !== undefined && now - item.leftAt > 5 * 60_000) {
        this.queue.delete(item.id);
      }
    }
    for (const job of this.jobs.values()) {
      for (const build of job.builds) {
        if (
          build.result === null &&
          now >= build.startedAt + build.durationMs
        ) {
          this.finish(build, build.startedAt + build.durationMs);
        }
      }
    }
  }

  private start(item: QueueItem, at: number): void {
    const job = this.jobs.get(item.job);
    if (!job) {
      item.cancelled = true;
      item.leftAt = at;
      return;
    }
    const number = job.nextBuildNumber++;
    const fail =
      this.ctx.buildDefaults.fail || item.params.SANDBOX_FAIL === 'true';
    const durationMs =
      Number(item.params.SANDBOX_DURATION_MS) ||
      this.ctx.buildDefaults.durationMs ||
      this.ctx.timings.buildDurationMs;
    const build: Build = {
      job: job.fullName,
      number,
      queueId: item.id,
      startedAt: at,
      durationMs,
      fail,
      params: item.params,
      commit: commitFor(
        job.fullName,
        number,
        item.params,
        this.ctx.pushedCommits,
      ),
      lines: [],
      result: null,
    };
    const repository = item.params.IMAGE_REPOSITORY;
    if (repository) {
      build.image = {
        repository,
        tag:
          item.params.IMAGE_TAG ||
          (item.params.GIT_COMMIT ?? '').slice(0, 12) ||
          `build-${number}`,
      };
    }
    build.lines = pipelineLog(build, this.registryHost);
    job.builds.unshift(build);
    item.build = build;
    item.leftAt = at;
  }

  private finish(build: Build, at: number): void {
    let result = build.fail ? 'FAILURE' : 'SUCCESS';
    const end = build.durationMs;
    if (build.fail) {
      build.lines.push(
        { atMs: end, text: `FAIL src/routes.test.ts` },
        { atMs: end, text: `Tests:       1 failed, 41 passed, 42 total` },
        { atMs: end, text: `ERROR: script returned exit code 1` },
      );
    } else if (build.image) {
      const push = this.harbor.push(
        build.image.repository,
        build.image.tag,
        `${build.job}#${build.number}`,
      );
      if (push.ok) {
        build.image.digest = push.digest;
        build.lines.push({
          atMs: end,
          text: `${build.image.tag}: digest: ${push.digest} size: 1573`,
        });
      } else {
        build.lines.push(
          { atMs: end, text: push.message },
          { atMs: end, text: `ERROR: script returned exit code 1` },
        );
        result = 'FAILURE';
      }
    }
    build.lines.push({ atMs: end, text: `[Pipeline] End of Pipeline` });
    build.lines.push({ atMs: end, text: `Finished: ${result}` });
    build.result = result;
    build.finishedAt = at;
  }

  stop(build: Build): void {
    if (build.result !== null) return;
    const now = this.ctx.now();
    const elapsed = now - build.startedAt;
    build.lines = build.lines.filter(l => l.atMs <= elapsed);
    build.lines.push(
      { atMs: elapsed, text: 'Aborted by autonomous' },
      { atMs: elapsed, text: 'Finished: ABORTED' },
    );
    build.durationMs = elapsed;
    build.result = 'ABORTED';
    build.finishedAt = now;
  }

  logText(build: Build): string {
    const elapsed = this.ctx.now() - build.startedAt;
    const visible =
      build.result !== null
        ? build.lines
        : build.lines.filter(l => l.atMs <= elapsed);
    return visible.map(l => `${l.text}\n`).join('');
  }

  enqueue(job: Job, params: Record<string, string>): QueueItem {
    const now = this.ctx.now();
    const item: QueueItem = {
      id: this.nextQueueId++,
      job: job.fullName,
      params,
      inQueueSince: now,
      startAt: now + this.ctx.timings.queueDelayMs,
      cancelled: false,
    };
    this.queue.set(item.id, item);
    return item;
  }

  dump() {
    return {
      jobs: [...this.jobs.values()].map(j => ({
        fullName: j.fullName,
        folder: j.folder,
        nextBuildNumber: j.nextBuildNumber,
        builds: j.builds.map(b => ({
          number: b.number,
          queueId: b.queueId,
          result: b.result,
          params: b.params,
          image: b.image,
        })),
      })),
      queue: [...this.queue.values()].map(q => ({
        id: q.id,
        job: q.job,
        cancelled: q.cancelled,
        build: q.build?.number,
      })),
    };
  }
}

import {
  BuildLogChunk,
  PodSummary,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { setTimeout as delay } from 'node:timers/promises';
import { ReleaseStore } from '../database/ReleaseStore';
import { ProjectService } from './ProjectService';
import { asCallerError } from './upstreamErrors';
import {
  EnvironmentWorkloads,
  logFileName,
  PodLog,
  PodLogRequest,
  podSummaries,
} from './workload';

export interface LogServiceOptions {
  projects: Pick<ProjectService, 'resolve'>;
  releases: Pick<ReleaseStore, 'getRelease'>;
  /** Shared, cached clients: one-off reads many viewers repeat. */
  clients: UpstreamClients;
  /** Clients without the read cache: following a log must see every new line. */
  freshClients: UpstreamClients;
  /** How often a followed build log asks Jenkins for more. Default 1 s. */
  pollIntervalMs?: number;
  /** How long a followed build log waits for a queued build to start. Default 60 s. */
  buildStartWaitMs?: number;
}

interface Build {
  job: string;
  number: number;
  entity: Entity;
}

/** While a release is queued or building, Jenkins may still give it a build. */
const MAY_STILL_BUILD: ReadonlyArray<Release['status']> = [
  'queued',
  'building',
];

/**
 * Build logs from Jenkins and pod logs from Kubernetes, for releases and environments the
 * caller was already allowed to read.
 */
export class LogService {
  private readonly pollIntervalMs: number;
  private readonly buildStartWaitMs: number;
  private readonly workloads: EnvironmentWorkloads;

  constructor(private readonly options: LogServiceOptions) {
    this.workloads = new EnvironmentWorkloads(options);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.buildStartWaitMs = options.buildStartWaitMs ?? 60_000;
  }

  async getRelease(id: string): Promise<Release> {
    const release = await this.options.releases.getRelease(id);
    if (!release) throw new NotFoundError(`no release with id ${id}`);
    return release;
  }

  /** One piece of the build log from byte `start`, through the shared read cache. */
  async readBuildLog(
    release: Release,
    credentials: BackstageCredentials,
    start: number,
  ): Promise<BuildLogChunk> {
    const build = await this.startedBuild(release, credentials);
    const jenkins = this.options.clients.forEntity('jenkins', build.entity);
    const chunk = await upstream(() =>
      jenkins.getLog(build.job, build.number, start),
    );
    return { text: chunk.text, nextStart: chunk.nextStart, more: chunk.more };
  }

  /**
   * The whole build log so far (Jenkins answers everything from byte 0 in one response). Read
   * past the cache: a whole log is large and read once, so keeping it helps nobody.
   */
  async downloadBuildLog(
    release: Release,
    credentials: BackstageCredentials,
  ): Promise<{ fileName: string; text: string }> {
    const build = await this.startedBuild(release, credentials);
    const jenkins = this.options.freshClients.forEntity(
      'jenkins',
      build.entity,
    );
    const chunk = await upstream(() =>
      jenkins.getLog(build.job, build.number, 0),
    );
    return { fileName: logFileName(build.job, build.number), text: chunk.text };
  }

  /**
   * The build log as it grows, until the build finishes or `signal` aborts. Waits for a
   * queued release's build to start first. Yields at least once (maybe `''`) when the build
   * is found, so a caller can answer before the first line is written.
   */
  async *followBuildLog(
    release: Release,
    credentials: BackstageCredentials,
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    buildJobOf(release);
    const entity = (
      await this.options.projects.resolve(release.entityRef, credentials)
    ).entity;
    const started = await this.waitForBuild(release, signal);
    if (!started) return;
    const job = started.buildJob!;
    const number = started.buildNumber!;
    const jenkins = this.options.freshClients.forEntity('jenkins', entity);
    let start = 0;
    for (;;) {
      const from = start;
      const chunk = await upstream(() => jenkins.getLog(job, number, from));
      start = chunk.nextStart;
      yield chunk.text;
      if (!chunk.more || signal.aborted) return;
      if (!(await sleep(this.pollIntervalMs, signal))) return;
    }
  }

  async listPods(
    entityRef: string,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<PodSummary[]> {
    const workload = await this.workloads.resolve(
      entityRef,
      environment,
      credentials,
    );
    return podSummaries(
      await upstream(() => this.workloads.pods(workload, 'cached')),
    );
  }

  async openPodLog(
    entityRef: string,
    environment: string,
    podName: string,
    request: PodLogRequest,
    credentials: BackstageCredentials,
    signal: AbortSignal,
  ): Promise<PodLog> {
    const workload = await this.workloads.resolve(
      entityRef,
      environment,
      credentials,
    );
    return upstream(() =>
      this.workloads.openLog(workload, podName, request, signal),
    );
  }

  private async startedBuild(
    release: Release,
    credentials: BackstageCredentials,
  ): Promise<Build> {
    const job = buildJobOf(release);
    if (release.buildNumber === undefined) {
      throw new NotFoundError(
        MAY_STILL_BUILD.includes(release.status)
          ? `release ${release.id} has no build yet (it is ${release.status}); its log starts when Jenkins starts the build: follow /releases/${release.id}/build-log/stream to wait for it`
          : `release ${release.id} is ${release.status} and its build never started, so there is no build log`,
      );
    }
    const entity = (
      await this.options.projects.resolve(release.entityRef, credentials)
    ).entity;
    return { job, number: release.buildNumber, entity };
  }

  /** The release once it has a build number; undefined when the caller went away first. */
  private async waitForBuild(
    release: Release,
    signal: AbortSignal,
  ): Promise<Release | undefined> {
    const deadline = Date.now() + this.buildStartWaitMs;
    let current = release;
    while (current.buildNumber === undefined) {
      if (!MAY_STILL_BUILD.includes(current.status)) {
        throw new NotFoundError(
          `release ${release.id} is ${current.status} and its build never started, so there is no build log`,
        );
      }
      if (Date.now() >= deadline) {
        throw new NotFoundError(
          `release ${release.id} has no build yet: it is still ${
            current.status
          } after ${Math.round(
            this.buildStartWaitMs / 1000,
          )} s (Jenkins has not started its build); ask again later`,
        );
      }
      if (!(await sleep(this.pollIntervalMs, signal))) return undefined;
      current = await this.getRelease(release.id);
    }
    return current;
  }
}

function buildJobOf(release: Release): string {
  if (!release.buildJob) {
    throw new NotFoundError(
      release.sourceReleaseId
        ? `release ${release.id} builds nothing: it deploys the image of release ${release.sourceReleaseId}, whose build log has the build`
        : `release ${release.id} builds nothing (it has no Jenkins job), so there is no build log`,
    );
  }
  return release.buildJob;
}

/** Sleeps; false when the signal aborted first. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Upstream failures as the caller's errors. The backend's error handler answers with any
 * error's own `status`, so an UpstreamError would pass Jenkins' or Kubernetes' status
 * through: a 401 from a misconfigured token would read as "you are signed out".
 */
async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asCallerError(error);
  }
}

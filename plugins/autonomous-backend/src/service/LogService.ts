import {
  BuildLogChunk,
  PodSummary,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { setTimeout as delay } from 'node:timers/promises';
import { ReleaseStore } from '../database/ReleaseStore';
import { ProjectService } from './ProjectService';
import { asCallerError } from './upstreamErrors';
import { SharedBuildLogs } from './logReads/SharedBuildLogs';
import {
  DEFAULT_LOG_LIMITS,
  formatBytes,
  LogLimits,
} from './logReads/logLimits';
import {
  EnvironmentWorkloads,
  logFileName,
  PodLog,
  PodLogRequest,
  podSummaries,
} from './workload';
import { UpstreamBindings } from './UpstreamBindings';

export interface LogServiceOptions {
  projects: Pick<ProjectService, 'resolve'>;
  releases: Pick<ReleaseStore, 'getRelease'>;
  /** Shared, cached clients: one-off reads many viewers repeat. */
  clients: UpstreamClients;
  /** Clients without the read cache: following a log must see every new line. */
  freshClients: UpstreamClients;
  /**
   * Clients without the read cache whose answers end after `downloadPieceBytes`: a download
   * is read piece by piece, never whole.
   */
  downloadClients?: UpstreamClients;
  /** The largest piece of a download read at once. Default DOWNLOAD_PIECE_BYTES. */
  downloadPieceBytes?: number;
  limits?: Partial<LogLimits>;
  /** How long a followed build log waits for a queued build to start. Default 60 s. */
  buildStartWaitMs?: number;
  /** Which upstream objects an entity may act on; default: only those that claim it. */
  bindings?: UpstreamBindings;
}

/** The most of a download read from Jenkins at once (downloadClients cut answers there). */
export const DOWNLOAD_PIECE_BYTES = 1024 * 1024;

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
  readonly limits: LogLimits;
  private readonly buildStartWaitMs: number;
  private readonly downloadPieceBytes: number;
  private readonly workloads: EnvironmentWorkloads;
  readonly followedBuilds: SharedBuildLogs;

  constructor(private readonly options: LogServiceOptions) {
    this.workloads = new EnvironmentWorkloads(options);
    this.limits = { ...DEFAULT_LOG_LIMITS, ...options.limits };
    this.buildStartWaitMs = options.buildStartWaitMs ?? 60_000;
    this.downloadPieceBytes =
      options.downloadPieceBytes ?? DOWNLOAD_PIECE_BYTES;
    this.followedBuilds = new SharedBuildLogs({
      pollIntervalMs: this.limits.pollIntervalMs,
      maxBytes: this.limits.maxLogBytes,
    });
  }

  async getRelease(id: string): Promise<Release> {
    const release = await this.options.releases.getRelease(id);
    if (!release) throw new NotFoundError(`no release with id ${id}`);
    return release;
  }

  /**
   * One piece of the build log from byte `start`. Only the piece from 0 goes through the shared
   * read cache: everyone who opens the log asks for it, while each reader's later offsets are
   * their own and a cache entry per offset would help nobody.
   */
  async readBuildLog(release: Release, start: number): Promise<BuildLogChunk> {
    const build = await this.startedBuild(release);
    const clients =
      start === 0 ? this.options.clients : this.options.freshClients;
    const jenkins = clients.forEntity('jenkins', build.entity);
    const chunk = await upstream(() =>
      jenkins.getLog(build.job, build.number, start),
    );
    return { text: chunk.text, nextStart: chunk.nextStart, more: chunk.more };
  }

  /**
   * The build log so far as a file, read piece by piece past the cache and sent as it is read,
   * up to `maxLogBytes`; a longer log ends with a line that says where it was cut.
   */
  async downloadBuildLog(
    release: Release,
  ): Promise<{ fileName: string; pieces: AsyncGenerator<string> }> {
    const build = await this.startedBuild(release);
    const jenkins = (
      this.options.downloadClients ?? this.options.freshClients
    ).forEntity('jenkins', build.entity);
    const maxBytes = this.limits.maxLogBytes;
    const pieceBytes = this.downloadPieceBytes;
    const read = (start: number) =>
      upstream(() => jenkins.getLog(build.job, build.number, start));
    // The first piece is read before answering, so a failing Jenkins gets a proper error.
    const first = await read(0);
    async function* pieces(): AsyncGenerator<string> {
      let piece = first;
      let start = 0;
      for (;;) {
        const bytes = Buffer.byteLength(piece.text);
        if (start + bytes > maxBytes) {
          const last = cutToBytes(piece.text, maxBytes - start);
          yield last;
          yield `\n[download stopped at ${formatBytes(
            maxBytes,
          )} (autonomous.logs.maxLogBytes); read on with GET /releases/${
            release.id
          }/build-log?start=${start + Buffer.byteLength(last)}]\n`;
          return;
        }
        yield piece.text;
        start += bytes;
        // The size Jenkins reports (X-Text-Size) says whether there is more; without it, a
        // piece cut at the piece size may have more behind it.
        const more = piece.nextStart > start || bytes >= pieceBytes - 3;
        if (!more || bytes === 0) return;
        piece = await read(start);
      }
    }
    return {
      fileName: logFileName(build.job, build.number),
      pieces: pieces(),
    };
  }

  /**
   * The build log as it grows, until the build finishes or `signal` aborts. Waits for a
   * queued release's build to start first. Yields at least once (maybe `''`) when the build
   * is found, so a caller can answer before the first line is written. Everyone following
   * the same build shares one poller.
   */
  async *followBuildLog(
    release: Release,
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    buildJobOf(release);
    const entity = (await this.options.projects.resolve(release.entityRef))
      .entity;
    const started = await this.waitForBuild(release, signal);
    if (!started) return;
    const job = started.buildJob!;
    const number = started.buildNumber!;
    const jenkins = this.options.freshClients.forEntity('jenkins', entity);
    yield* this.followedBuilds.follow(
      `${jenkins.instanceName}:${job}#${number}`,
      start => upstream(() => jenkins.getLog(job, number, start)),
      signal,
    );
  }

  async listPods(
    entityRef: string,
    environment: string,
  ): Promise<PodSummary[]> {
    const workload = await this.workloads.resolve(entityRef, environment);
    return podSummaries(
      await upstream(() => this.workloads.pods(workload, 'cached')),
    );
  }

  async openPodLog(
    entityRef: string,
    environment: string,
    podName: string,
    request: PodLogRequest,
    signal: AbortSignal,
  ): Promise<PodLog> {
    const workload = await this.workloads.resolve(entityRef, environment);
    const log = await upstream(() =>
      this.workloads.openLog(workload, podName, request, signal),
    );
    const max = this.limits.maxLogBytes;
    if (log.text === undefined || Buffer.byteLength(log.text) <= max) {
      return log;
    }
    return {
      fileName: log.fileName,
      text: `${cutToBytes(log.text, max)}\n[log cut at ${formatBytes(
        max,
      )} (autonomous.logs.maxLogBytes); read its end with tailLines]\n`,
    };
  }

  private async startedBuild(release: Release): Promise<Build> {
    const job = buildJobOf(release);
    if (release.buildNumber === undefined) {
      throw new NotFoundError(
        MAY_STILL_BUILD.includes(release.status)
          ? `release ${release.id} has no build yet (it is ${release.status}); its log starts when Jenkins starts the build: follow /releases/${release.id}/build-log/stream to wait for it`
          : `release ${release.id} is ${release.status} and its build never started, so there is no build log`,
      );
    }
    const entity = (await this.options.projects.resolve(release.entityRef))
      .entity;
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
      if (!(await sleep(this.limits.pollIntervalMs, signal))) return undefined;
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

/** The longest start of `text` that is at most `bytes` long in UTF-8. */
export function cutToBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text);
  if (buffer.byteLength <= bytes) return text;
  let end = Math.max(0, bytes);
  // Never cut inside a character: step back to the start of a UTF-8 sequence.
  while (end > 0 && (buffer[end] & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString('utf8');
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

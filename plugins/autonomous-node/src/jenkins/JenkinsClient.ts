import { JenkinsInstanceConfig } from '../config';
import {
  UpstreamClientOptions,
  cachedRead,
  httpOptions,
} from '../clientOptions';
import { UpstreamError } from '../errors';
import { UpstreamHttp, UpstreamRequest, UpstreamResponse } from '../http';
import { readCacheKey } from '../cache/ReadCache';
import { JenkinsCrumbSession } from './crumb';
import { findBuildByParameter, readNextBuildNumber } from './buildLookup';
import { jenkinsJobPath } from './jobPath';
import {
  JenkinsBuild,
  JenkinsBuildParameter,
  JenkinsJob,
  JenkinsLogChunk,
  JenkinsQueueItem,
  JenkinsQueuedBuild,
  JenkinsRequestedBuild,
} from './types';

export { jenkinsJobPath };

/**
 * Jenkins over its remote access API. With a user and API token (HTTP basic) no crumb is
 * needed; otherwise a crumb is fetched once, sent back with its session cookie, and renewed
 * when Jenkins refuses it.
 *
 * @public
 */
export class JenkinsClient {
  private readonly http: UpstreamHttp;
  /** Absent with an API token, which needs no crumb. */
  private readonly crumbs?: JenkinsCrumbSession;

  constructor(
    private readonly instance: JenkinsInstanceConfig,
    private readonly options: UpstreamClientOptions = {},
  ) {
    const usesApiToken = Boolean(instance.username && instance.apiToken);
    const basic = usesApiToken
      ? `Basic ${Buffer.from(
          `${instance.username}:${instance.apiToken}`,
        ).toString('base64')}`
      : undefined;
    this.http = new UpstreamHttp({
      system: 'jenkins',
      baseUrl: instance.url,
      secrets: [instance.apiToken],
      authHeaders: (): Record<string, string> =>
        basic ? { Authorization: basic } : {},
      ...httpOptions(options),
    });
    if (!usesApiToken) this.crumbs = new JenkinsCrumbSession(this.http);
  }

  get instanceName(): string {
    return this.instance.name;
  }

  private key(job: string, operation: string) {
    return readCacheKey('jenkins', this.instance.name, `job/${job}`, operation);
  }

  private async invalidate(job: string) {
    await this.options.cache?.invalidate(
      readCacheKey('jenkins', this.instance.name, `job/${job}`, ''),
    );
  }

  /** A POST, with a crumb unless authenticated with an API token. */
  private async post(
    req: Omit<UpstreamRequest, 'method'>,
  ): Promise<UpstreamResponse> {
    const send = async () => {
      const crumb = this.crumbs ? await this.crumbs.headers() : {};
      const headers = { ...req.headers, ...crumb };
      return this.http.request({ ...req, method: 'POST', headers });
    };
    try {
      return await send();
    } catch (error) {
      // A refused crumb means nothing ran: get a fresh one and try once more.
      if (this.crumbs?.forgetIfRefused(error)) return send();
      throw error;
    }
  }

  /**
   * Creates a pipeline job from its config.xml in a folder (`''` for the root), or replaces
   * the config of the job when it exists.
   */
  async upsertJob(
    folder: string,
    name: string,
    configXml: string,
  ): Promise<'created' | 'updated'> {
    const fullName = [folder, name].filter(Boolean).join('/');
    const exists = await this.http.request({
      method: 'GET',
      path: `${jenkinsJobPath(fullName)}/api/json`,
      query: { tree: 'name' },
      operation: `lookup of job "${fullName}"`,
      acceptStatus: [404],
    });
    const headers = { 'Content-Type': 'application/xml' };
    try {
      if (exists.status === 404) {
        await this.post({
          path: `${folder ? jenkinsJobPath(folder) : ''}/createItem`,
          query: { name },
          headers,
          body: configXml,
          operation: `creation of job "${fullName}"`,
        });
        return 'created';
      }
      await this.post({
        path: `${jenkinsJobPath(fullName)}/config.xml`,
        headers,
        body: configXml,
        // Replacing a config with the same XML is safe to repeat.
        idempotent: true,
        operation: `update of the configuration of job "${fullName}"`,
      });
      return 'updated';
    } finally {
      await this.invalidate(fullName);
    }
  }

  async getJob(fullName: string): Promise<JenkinsJob> {
    return cachedRead(
      this.options.cache,
      this.key(fullName, 'get'),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `${jenkinsJobPath(fullName)}/api/json`,
          operation: `read of job "${fullName}"`,
        });
        return res.json<JenkinsJob>();
      },
    );
  }

  /**
   * Queues a build with parameters. Never retried: a repeated POST would start a second
   * build. Returns the queue item to follow with {@link JenkinsClient.waitForBuildNumber}.
   */
  async triggerBuild(
    fullName: string,
    parameters: Record<string, string> = {},
  ): Promise<JenkinsQueuedBuild> {
    try {
      const res = await this.post({
        path: `${jenkinsJobPath(fullName)}/buildWithParameters`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(parameters).toString(),
        operation: `build trigger of job "${fullName}"`,
      });
      const location = res.headers.get('location') ?? '';
      const match = /\/queue\/item\/(\d+)/.exec(location);
      if (!match) {
        throw new UpstreamError({
          system: 'jenkins',
          operation: `build trigger of job "${fullName}"`,
          status: res.status,
          reason: 'the answer has no queue item Location header',
          retryable: false,
        });
      }
      return {
        queueId: Number(match[1]),
        queueUrl: this.http.url(`/queue/item/${match[1]}/`),
      };
    } finally {
      await this.invalidate(fullName);
    }
  }

  async getQueueItem(queueId: number): Promise<JenkinsQueueItem> {
    const res = await this.http.request({
      method: 'GET',
      path: `/queue/item/${queueId}/api/json`,
      operation: `read of queue item ${queueId}`,
    });
    return res.json<JenkinsQueueItem>();
  }

  /**
   * Follows a queue item until it becomes a build and returns the build number. Jenkins
   * forgets items five minutes after they leave the queue.
   */
  async waitForBuildNumber(
    queueId: number,
    options: { pollMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const pollMs = options.pollMs ?? 1000;
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    for (;;) {
      const item = await this.getQueueItem(queueId);
      if (item.executable?.number !== undefined) return item.executable.number;
      if (item.cancelled) {
        throw new UpstreamError({
          system: 'jenkins',
          operation: `build of queue item ${queueId}`,
          reason: 'the queue item was cancelled before it started',
          retryable: false,
        });
      }
      if (Date.now() > deadline || options.signal?.aborted) {
        throw new UpstreamError({
          system: 'jenkins',
          operation: `build of queue item ${queueId}`,
          reason: `still queued: ${item.why ?? 'no reason given'}`,
          retryable: true,
        });
      }
      await this.sleep(pollMs);
    }
  }

  /** Triggers a build and waits until it has a number. */
  async triggerBuildAndWait(
    fullName: string,
    parameters: Record<string, string> = {},
    options?: { pollMs?: number; timeoutMs?: number },
  ): Promise<JenkinsQueuedBuild & { buildNumber: number }> {
    const queued = await this.triggerBuild(fullName, parameters);
    const buildNumber = await this.waitForBuildNumber(queued.queueId, options);
    return { ...queued, buildNumber };
  }

  /** The number the job's next build will get, read from Jenkins (never from the read cache). */
  async getNextBuildNumber(fullName: string): Promise<number> {
    return readNextBuildNumber(this.http, fullName);
  }

  /**
   * Finds a build that was asked for with this parameter value: first among the items
   * waiting in the queue, then among the job's builds numbered `fromBuildNumber` or later,
   * reading each one's parameters fresh. A restarted caller uses it to learn whether its
   * trigger reached Jenkins before it died, so it never builds twice. The job must declare
   * the parameter: Jenkins drops undeclared ones. `settleMs` (default 250) is the pause
   * before the builds are looked at once more when nothing was found.
   */
  async findBuildByParameter(
    fullName: string,
    parameter: JenkinsBuildParameter,
    options: { fromBuildNumber: number; settleMs?: number },
  ): Promise<JenkinsRequestedBuild | undefined> {
    return findBuildByParameter(this.http, fullName, parameter, {
      ...options,
      sleep: ms => this.sleep(ms),
    });
  }

  private sleep(ms: number): Promise<void> {
    return this.options.sleep
      ? this.options.sleep(ms)
      : new Promise(resolve => setTimeout(resolve, ms));
  }

  async getBuild(fullName: string, buildNumber: number): Promise<JenkinsBuild> {
    return cachedRead(
      this.options.cache,
      this.key(fullName, `build/${buildNumber}`),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `${jenkinsJobPath(fullName)}/${buildNumber}/api/json`,
          operation: `read of build ${buildNumber} of job "${fullName}"`,
        });
        return res.json<JenkinsBuild>();
      },
    );
  }

  /** The log from byte `start` on; pass `nextStart` back while `more` is true. */
  async getLog(
    fullName: string,
    buildNumber: number,
    start = 0,
  ): Promise<JenkinsLogChunk> {
    return cachedRead(
      this.options.cache,
      this.key(fullName, `build/${buildNumber}/log/${start}`),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `${jenkinsJobPath(
            fullName,
          )}/${buildNumber}/logText/progressiveText`,
          query: { start },
          headers: { Accept: 'text/plain' },
          operation: `read of the log of build ${buildNumber} of job "${fullName}"`,
        });
        const size = Number(res.headers.get('x-text-size'));
        return {
          text: res.text,
          nextStart: Number.isFinite(size)
            ? size
            : start + Buffer.byteLength(res.text),
          more: res.headers.has('x-more-data'),
        };
      },
    );
  }

  async stopBuild(fullName: string, buildNumber: number): Promise<void> {
    try {
      await this.post({
        path: `${jenkinsJobPath(fullName)}/${buildNumber}/stop`,
        // Stopping a stopped build changes nothing.
        idempotent: true,
        operation: `stop of build ${buildNumber} of job "${fullName}"`,
      });
    } finally {
      await this.invalidate(fullName);
    }
  }
}

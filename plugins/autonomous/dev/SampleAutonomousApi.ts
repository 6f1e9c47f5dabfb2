import {
  ActionAccepted,
  EnvironmentDrift,
  EnvironmentRollout,
  CreateReleaseRequest,
  isReleaseInFlight,
  PodSummary,
  Project,
  ProjectStatus,
  RedeployRequest,
  Release,
  RELEASE_PAGE_SIZE,
  ReleaseHealthGates,
  ReleasePage,
  ReleaseWithEvents,
  RollbackRequest,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AutonomousApi,
  AutonomousConsoleApi,
  AutonomousDashboardApi,
  AutonomousDatabaseApi,
  DownloadedFile,
  ListReleasesOptions,
  LogStreamOptions,
  PodLogOptions,
} from '../src';
import { sampleHistory, sampleProject } from './sampleProject';
import { samplePods, sampleStatus } from './sampleEnvironments';
import {
  buildLogAt,
  podLogLine,
  refusal,
  SampleRun,
  sleep,
  viewOf,
} from './sampleRun';

/** The part of the API the Releases tab uses (the wizard's instance list, the webhook, the settings, the gates' settings and the services are not). */
export type ReleasesApi = Omit<
  AutonomousApi,
  | keyof AutonomousDatabaseApi
  | keyof AutonomousConsoleApi
  | keyof AutonomousDashboardApi
  | 'listUpstreamInstances'
  | 'getProjectWebhook'
  | 'rotateWebhookSecret'
  | 'listWebhookDeliveries'
  | 'getProjectSettings'
  | 'setAutoDeploy'
  | 'setDomains'
  | 'setVariables'
  | 'setScaling'
  | 'getHealthGates'
  | 'setHealthGates'
  | 'listProjectServices'
  | 'deployServices'
  | 'deleteProject'
>;

/**
 * The dev app's stand-in for the backend: the sample history, plus releases started from the
 * page that move through their stages in about twenty seconds, with build and pod logs.
 */
export class SampleAutonomousApi implements ReleasesApi {
  private readonly runs: SampleRun[] = [];
  private readonly automated = new Map<string, boolean>();
  private sequence = 46;

  async getProject(): Promise<Project> {
    return sampleProject;
  }

  private all(now = Date.now()): Release[] {
    const started = this.runs.map(run => viewOf(run, now)).reverse();
    return [...started, ...sampleHistory];
  }

  async listReleases(
    _ref: unknown,
    options: ListReleasesOptions = {},
  ): Promise<ReleasePage> {
    const all = this.all();
    const limit = options.limit ?? RELEASE_PAGE_SIZE.default;
    const start = options.cursor ? Number(options.cursor) : 0;
    const end = start + limit;
    return {
      items: all.slice(start, end),
      nextCursor: end < all.length ? String(end) : undefined,
    };
  }

  async getRelease(id: string): Promise<ReleaseWithEvents> {
    const run = this.runs.find(r => r.release.id === id);
    if (run) {
      return viewOf(run, Date.now());
    }
    const release = sampleHistory.find(r => r.id === id);
    if (!release) {
      return refusal(404, `No release ${id} in the sample data`);
    }
    return { ...release, events: [] };
  }

  /** The sample project has no health gates: its releases are healthy once rolled out. */
  async getReleaseHealthGates(id: string): Promise<ReleaseHealthGates> {
    return { releaseId: id, gates: [], steps: [] };
  }

  private async start(
    fields: Partial<Release> & { environment: string },
    onConflict: CreateReleaseRequest['onConflict'],
    buildless: boolean,
  ): Promise<Release> {
    const now = Date.now();
    const busy = this.runs.find(
      run =>
        run.release.environment === fields.environment &&
        isReleaseInFlight(viewOf(run, now).status),
    );
    let startsAt = now;
    if (busy && (!onConflict || onConflict === 'reject')) {
      const inFlight = viewOf(busy, now);
      return refusal(
        409,
        `Release ${inFlight.version} is ${inFlight.status} in ${fields.environment}; queue after it or cancel it`,
      );
    }
    if (busy && onConflict === 'supersede') {
      busy.cancelledAt = now;
    } else if (busy) {
      startsAt = busy.startsAt + 25_000;
    }
    const id = `rel-${this.sequence++}`;
    const release: Release = {
      id,
      number: this.sequence - 1,
      entityRef: sampleProject.entityRef,
      version: `main-${this.sequence - 1}`,
      trigger: 'manual',
      requestedBy: 'user:default/guest',
      status: 'queued',
      createdAt: new Date(now).toISOString(),
      buildJob: buildless ? undefined : 'shop/main',
      ...fields,
    };
    const run: SampleRun = { release, startsAt, buildless };
    this.runs.push(run);
    return viewOf(run, now);
  }

  async createRelease(
    _ref: unknown,
    request: CreateReleaseRequest,
  ): Promise<Release> {
    return this.start(
      {
        environment: request.environment,
        ref: request.commitSha ? undefined : request.ref ?? 'main',
        commitSha:
          request.commitSha ?? 'c0ffee1234567890c0ffee1234567890c0ffee12',
        reason: request.reason,
        trigger: request.trigger ?? 'manual',
      },
      request.onConflict,
      false,
    );
  }

  async cancelRelease(id: string): Promise<Release> {
    const run = this.runs.find(r => r.release.id === id);
    if (!run || !isReleaseInFlight(viewOf(run, Date.now()).status)) {
      return refusal(
        409,
        `Release ${id} is not in flight; only a release on its way can be cancelled`,
      );
    }
    run.cancelledAt = Date.now();
    return viewOf(run, Date.now());
  }

  private async again(
    id: string,
    trigger: 'redeploy' | 'rollback',
    request: RedeployRequest | RollbackRequest,
    environment?: string,
  ): Promise<Release> {
    const source = this.all().find(r => r.id === id);
    if (!source?.imageRef) {
      return refusal(409, `Release ${id} has no image to deploy again`);
    }
    return this.start(
      {
        environment: environment ?? source.environment,
        trigger,
        commitSha: source.commitSha,
        commitMessage: source.commitMessage,
        imageRef: source.imageRef,
        sourceReleaseId: source.id,
        sourceReleaseNumber: source.number,
        reason: request.reason,
      },
      request.onConflict ?? (trigger === 'rollback' ? 'supersede' : undefined),
      true,
    );
  }

  async redeployRelease(id: string, request: RedeployRequest = {}) {
    return this.again(id, 'redeploy', request, request.environment);
  }

  async rollbackRelease(id: string, request: RollbackRequest = {}) {
    return this.again(id, 'rollback', request);
  }

  async getProjectStatus(): Promise<ProjectStatus> {
    return sampleStatus(this.all(), this.automated);
  }

  async syncEnvironment(
    _ref: unknown,
    environment: string,
  ): Promise<ActionAccepted> {
    return { message: `Sync of shop-${environment} requested (sample data)` };
  }

  async refreshEnvironment(
    _ref: unknown,
    environment: string,
  ): Promise<ActionAccepted> {
    return {
      message: `Hard refresh of shop-${environment} requested (sample data)`,
    };
  }

  async getEnvironmentDrift(
    _ref: unknown,
    environment: string,
  ): Promise<EnvironmentDrift> {
    return { environment, drifted: false, resources: [] };
  }

  async getEnvironmentRollout(
    _ref: unknown,
    environment: string,
  ): Promise<EnvironmentRollout> {
    const reason = `shop-${environment} deploys with a rolling update (sample data)`;
    return {
      environment,
      strategy: 'rolling',
      paused: false,
      aborted: false,
      inProgress: false,
      steps: [],
      promote: { possible: false, reason },
      abort: { possible: false, reason },
    };
  }

  async promoteEnvironmentRollout(): Promise<{
    message: string;
    rollout: EnvironmentRollout;
  }> {
    throw new Error('The sample data has no Argo Rollouts rollout to promote');
  }

  async abortEnvironmentRollout(): Promise<{
    message: string;
    rollout: EnvironmentRollout;
  }> {
    throw new Error('The sample data has no Argo Rollouts rollout to abort');
  }

  async reconcileEnvironment(
    _ref: unknown,
    environment: string,
  ): Promise<ActionAccepted> {
    return {
      message: `Hard refresh and sync of shop-${environment} requested (sample data)`,
    };
  }

  async setAutomatedSync(
    _ref: unknown,
    environment: string,
    enabled: boolean,
  ): Promise<ActionAccepted> {
    this.automated.set(environment, enabled);
    return {
      message: `Automated sync of shop-${environment} ${
        enabled ? 'resumed' : 'suspended'
      } (sample data)`,
    };
  }

  private run(id: string): SampleRun | undefined {
    return this.runs.find(r => r.release.id === id);
  }

  async getBuildLog(id: string, start = 0) {
    const run = this.run(id);
    const { text, building } = run
      ? buildLogAt(run, Date.now())
      : { text: 'Finished: SUCCESS\n', building: false };
    return { text: text.slice(start), nextStart: text.length, more: building };
  }

  async *streamBuildLog(id: string, options: LogStreamOptions = {}) {
    let sent = 0;
    for (;;) {
      const { text, more } = await this.getBuildLog(id, sent);
      if (text) {
        yield text;
      }
      sent += text.length;
      if (!more || options.signal?.aborted) {
        return;
      }
      await sleep(500);
    }
  }

  async downloadBuildLog(id: string): Promise<DownloadedFile> {
    const { text } = await this.getBuildLog(id);
    return {
      blob: new Blob([text], { type: 'text/plain' }),
      filename: `${id}-build.log`,
    };
  }

  async listPods(_ref: unknown, environment: string): Promise<PodSummary[]> {
    return samplePods(environment);
  }

  async podLogs(
    _ref: unknown,
    _env: string,
    pod: string,
    options: PodLogOptions = {},
  ) {
    const lines = Array.from({ length: 30 }, (_, i) =>
      podLogLine(pod, options, i),
    );
    return `${lines.join('\n')}\n`;
  }

  async *streamPodLogs(
    ref: unknown,
    env: string,
    pod: string,
    options: PodLogOptions & LogStreamOptions = {},
  ) {
    yield await this.podLogs(ref, env, pod, options);
    for (let i = 30; !options.signal?.aborted; i++) {
      await sleep(2_000);
      yield `${podLogLine(pod, options, i)}\n`;
    }
  }

  async downloadPodLogs(
    ref: unknown,
    env: string,
    pod: string,
    options: PodLogOptions = {},
  ) {
    const text = await this.podLogs(ref, env, pod, options);
    return {
      blob: new Blob([text], { type: 'text/plain' }),
      filename: `${pod}.log`,
    };
  }
}

/**
 * The dev app shows the Releases tab only. A database or console call (no page of the dev app
 * makes one) is refused with where to find those pages: the portal, `yarn start` at the root.
 */
export function releasesOnly(api: ReleasesApi): AutonomousApi {
  return new Proxy(api, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver);
      return () =>
        Promise.reject(
          new Error(
            `${String(
              property,
            )} is not served by the dev app, which shows sample releases only; run the portal (yarn start at the repository root) for databases`,
          ),
        );
    },
  }) as AutonomousApi;
}

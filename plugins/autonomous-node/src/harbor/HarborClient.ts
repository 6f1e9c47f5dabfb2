import { HarborInstanceConfig, harborRegistryHost } from '../config';
import {
  UpstreamClientOptions,
  cachedRead,
  httpOptions,
} from '../clientOptions';
import { UpstreamError } from '../errors';
import { UpstreamHttp } from '../http';
import { readCacheKey } from '../cache/ReadCache';
import {
  HarborArtifact,
  HarborProject,
  HarborProjectOptions,
  HarborRobotAccount,
} from './types';
import { encodePathSegment } from '../pathSegment';

const API = '/api/v2.0';
const enc = (name: string) => encodePathSegment(name, 'the Harbor name');

/** Harbor wants slashes in repository names encoded twice: `a/b` → `a%252Fb`. @public */
export function harborRepositoryPath(repository: string): string {
  return encodeURIComponent(
    encodePathSegment(repository, 'the Harbor repository'),
  );
}

const EVERY_REPOSITORY = {
  repository: [
    { kind: 'doublestar', decoration: 'repoMatches', pattern: '**' },
  ],
};

/**
 * Harbor over its v2.0 API with HTTP basic (a robot account or an administrator).
 *
 * @public
 */
export class HarborClient {
  private readonly http: UpstreamHttp;
  private readonly registry: string;

  constructor(
    private readonly instance: HarborInstanceConfig,
    private readonly options: UpstreamClientOptions = {},
  ) {
    const basic =
      instance.username && instance.password
        ? `Basic ${Buffer.from(
            `${instance.username}:${instance.password}`,
          ).toString('base64')}`
        : undefined;
    this.http = new UpstreamHttp({
      system: 'harbor',
      baseUrl: instance.url,
      secrets: [instance.password],
      authHeaders: (): Record<string, string> =>
        basic ? { Authorization: basic } : {},
      ...httpOptions(options),
    });
    // Checked here too: a client may be made from an instance that no config reader saw.
    this.registry = harborRegistryHost(instance);
  }

  get instanceName(): string {
    return this.instance.name;
  }

  /**
   * The host images of this Harbor are pulled by (`registryHost`, default the host of its
   * URL): an image reference is `<registryHost>/<project>/<repository>@<digest>`.
   */
  get registryHost(): string {
    return this.registry;
  }

  private key(object: string, operation: string) {
    return readCacheKey('harbor', this.instance.name, object, operation);
  }

  async getProject(name: string): Promise<HarborProject | undefined> {
    const res = await this.http.request({
      method: 'GET',
      path: `${API}/projects/${enc(name)}`,
      headers: { 'X-Is-Resource-Name': 'true' },
      operation: `read of project "${name}"`,
      acceptStatus: [404],
    });
    return res.status === 404 ? undefined : res.json<HarborProject>();
  }

  /**
   * Makes sure the project exists with a tag-immutability rule and a retention policy.
   * Safe to call again: what exists is kept.
   */
  async ensureProject(
    name: string,
    options: HarborProjectOptions = {},
  ): Promise<HarborProject> {
    const isPublic = options.public ?? false;
    try {
      await this.http.request({
        method: 'POST',
        path: `${API}/projects`,
        body: {
          project_name: name,
          public: isPublic,
          metadata: { public: String(isPublic) },
        },
        operation: `creation of project "${name}"`,
        acceptStatus: [409],
      });
    } finally {
      await this.options.cache?.invalidate(this.key(`project/${name}`, ''));
    }
    const project = await this.getProject(name);
    if (!project) {
      throw new UpstreamError({
        system: 'harbor',
        operation: `creation of project "${name}"`,
        reason: 'the project was created but cannot be read back',
        retryable: true,
      });
    }
    await this.ensureImmutability(name, options.immutableTagPattern ?? '**');
    if (!project.metadata?.retention_id) {
      await this.createRetentionPolicy(project, options);
    }
    return (await this.getProject(name)) ?? project;
  }

  private async ensureImmutability(project: string, pattern: string) {
    const res = await this.http.request({
      method: 'GET',
      path: `${API}/projects/${enc(project)}/immutabletagrules`,
      headers: { 'X-Is-Resource-Name': 'true' },
      operation: `read of the tag immutability rules of project "${project}"`,
    });
    const rules =
      res.json<
        Array<{
          tag_selectors?: Array<{ pattern?: string }>;
          disabled?: boolean;
        }>
      >() ?? [];
    if (
      rules.some(
        r => !r.disabled && r.tag_selectors?.some(t => t.pattern === pattern),
      )
    ) {
      return;
    }
    await this.http.request({
      method: 'POST',
      path: `${API}/projects/${enc(project)}/immutabletagrules`,
      headers: { 'X-Is-Resource-Name': 'true' },
      body: {
        disabled: false,
        action: 'immutable',
        template: 'immutable_template',
        tag_selectors: [{ kind: 'doublestar', decoration: 'matches', pattern }],
        scope_selectors: EVERY_REPOSITORY,
      },
      operation: `creation of a tag immutability rule in project "${project}"`,
    });
  }

  private async createRetentionPolicy(
    project: HarborProject,
    options: HarborProjectOptions,
  ) {
    const keep = options.retainLatestPushed ?? 50;
    await this.http.request({
      method: 'POST',
      path: `${API}/retentions`,
      body: {
        algorithm: 'or',
        rules: [
          {
            disabled: false,
            action: 'retain',
            template: 'latestPushedK',
            params: { latestPushedK: keep },
            tag_selectors: [
              { kind: 'doublestar', decoration: 'matches', pattern: '**' },
            ],
            scope_selectors: EVERY_REPOSITORY,
          },
        ],
        trigger: {
          kind: 'Schedule',
          settings: { cron: options.retentionCron ?? '0 0 0 * * *' },
        },
        scope: { level: 'project', ref: project.project_id },
      },
      operation: `creation of the retention policy of project "${project.name}"`,
    });
  }

  /** The artifact a tag (or digest) points at, with its scan overview. */
  async getArtifact(
    project: string,
    repository: string,
    reference: string,
  ): Promise<HarborArtifact> {
    return cachedRead(
      this.options.cache,
      this.key(`artifact/${project}/${repository}`, reference),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `${API}/projects/${enc(
            project,
          )}/repositories/${harborRepositoryPath(repository)}/artifacts/${enc(
            reference,
          )}`,
          query: { with_tag: true, with_scan_overview: true },
          operation: `read of artifact "${project}/${repository}:${reference}"`,
        });
        return res.json<HarborArtifact>();
      },
    );
  }

  /** Resolves a tag to the `sha256:…` digest a release is pinned to. */
  async resolveDigest(
    project: string,
    repository: string,
    tag: string,
  ): Promise<string> {
    return (await this.getArtifact(project, repository, tag)).digest;
  }

  async listArtifacts(
    project: string,
    repository: string,
    options: { page?: number; pageSize?: number } = {},
  ): Promise<HarborArtifact[]> {
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? 20;
    return cachedRead(
      this.options.cache,
      this.key(`artifact/${project}/${repository}`, `list/${page}/${pageSize}`),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: `${API}/projects/${enc(
            project,
          )}/repositories/${harborRepositoryPath(repository)}/artifacts`,
          query: {
            page,
            page_size: pageSize,
            with_tag: true,
            with_scan_overview: true,
          },
          operation: `listing of artifacts of "${project}/${repository}"`,
        });
        return res.json<HarborArtifact[]>() ?? [];
      },
    );
  }

  /**
   * Creates a project robot account that may push and pull, for the CI. The secret is
   * returned to the caller only once; store it in Vault.
   */
  async createRobotAccount(
    project: string,
    name: string,
    options: { durationDays?: number; description?: string } = {},
  ): Promise<HarborRobotAccount> {
    const res = await this.http.request({
      method: 'POST',
      path: `${API}/robots`,
      body: {
        name,
        description: options.description ?? `CI pushes to ${project}`,
        level: 'project',
        duration: options.durationDays ?? -1,
        disable: false,
        permissions: [
          {
            kind: 'project',
            namespace: project,
            access: [
              { resource: 'repository', action: 'push' },
              { resource: 'repository', action: 'pull' },
              { resource: 'artifact', action: 'read' },
            ],
          },
        ],
      },
      operation: `creation of robot account "${name}" in project "${project}"`,
    });
    const body = res.json<{
      id: number;
      name: string;
      secret: string;
      expires_at?: number;
    }>();
    return {
      id: body.id,
      name: body.name,
      secret: body.secret,
      expiresAt: body.expires_at,
    };
  }
}

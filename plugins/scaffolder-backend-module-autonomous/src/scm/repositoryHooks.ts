import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
  getGitLabRequestOptions,
} from '@backstage/integration';
import { InputError } from '@backstage/errors';

/** The SCM systems the portal's webhook routes understand. */
export type HookProvider = 'github' | 'gitlab';

/** A push webhook as the SCM stores it; the secret is never read back. */
export interface RepositoryHook {
  id: number;
  url: string;
}

/** Push webhooks of one repository, through the portal's SCM integration. */
export interface RepositoryHooks {
  provider: HookProvider;
  /** `owner/repo` (GitLab: the project's full path). */
  slug: string;
  list(): Promise<RepositoryHook[]>;
  create(url: string, secret: string): Promise<RepositoryHook>;
  update(id: number, url: string, secret: string): Promise<void>;
}

async function answer<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) {
    const text = (await res.text()).slice(0, 300);
    throw new Error(
      `${what} failed: ${res.status} ${res.statusText}${
        text ? `: ${text}` : ''
      }`,
    );
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/**
 * GitHub's repository webhooks (REST `repos/{owner}/{repo}/hooks`): JSON deliveries of push
 * events, signed with the secret (`X-Hub-Signature-256`).
 */
function githubHooks(
  apiBaseUrl: string,
  slug: string,
  token: string,
  fetchFn: typeof fetch,
): RepositoryHooks {
  const base = `${apiBaseUrl}/repos/${slug}/hooks`;
  const headers = {
    Authorization: `Bearer ${token}`,
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'Content-Type': 'application/json',
  };
  const body = (url: string, secret: string) => ({
    active: true,
    events: ['push'],
    config: { url, content_type: 'json', secret, insecure_ssl: '0' },
  });
  return {
    provider: 'github',
    slug,
    async list() {
      const hooks = await answer<
        Array<{ id: number; config: { url?: string } }>
      >(
        await fetchFn(`${base}?per_page=100`, { headers }),
        `Listing the webhooks of GitHub repository ${slug}`,
      );
      return hooks.map(h => ({ id: h.id, url: h.config.url ?? '' }));
    },
    async create(url, secret) {
      const hook = await answer<{ id: number }>(
        await fetchFn(base, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: 'web', ...body(url, secret) }),
        }),
        `Creating a webhook on GitHub repository ${slug}`,
      );
      return { id: hook.id, url };
    },
    async update(id, url, secret) {
      await answer(
        await fetchFn(`${base}/${id}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify(body(url, secret)),
        }),
        `Updating webhook ${id} of GitHub repository ${slug}`,
      );
    },
  };
}

/**
 * GitLab's project hooks (REST `projects/:id/hooks`): push events, the secret sent verbatim
 * as `X-Gitlab-Token`.
 */
function gitlabHooks(
  apiBaseUrl: string,
  slug: string,
  headers: Record<string, string>,
  fetchFn: typeof fetch,
): RepositoryHooks {
  const base = `${apiBaseUrl}/projects/${encodeURIComponent(slug)}/hooks`;
  const json = { ...headers, 'Content-Type': 'application/json' };
  const body = (url: string, secret: string) => ({
    url,
    token: secret,
    push_events: true,
    tag_push_events: false,
    merge_requests_events: false,
    enable_ssl_verification: true,
  });
  return {
    provider: 'gitlab',
    slug,
    async list() {
      const hooks = await answer<Array<{ id: number; url: string }>>(
        await fetchFn(`${base}?per_page=100`, { headers }),
        `Listing the hooks of GitLab project ${slug}`,
      );
      return hooks.map(h => ({ id: h.id, url: h.url }));
    },
    async create(url, secret) {
      const hook = await answer<{ id: number }>(
        await fetchFn(base, {
          method: 'POST',
          headers: json,
          body: JSON.stringify(body(url, secret)),
        }),
        `Creating a hook on GitLab project ${slug}`,
      );
      return { id: hook.id, url };
    },
    async update(id, url, secret) {
      await answer(
        await fetchFn(`${base}/${id}`, {
          method: 'PUT',
          headers: json,
          body: JSON.stringify(body(url, secret)),
        }),
        `Updating hook ${id} of GitLab project ${slug}`,
      );
    },
  };
}

/**
 * The hooks of a repository on a host the portal has an integration for (GitHub: a token or
 * a GitHub App, through `DefaultGithubCredentialsProvider`; GitLab: the integration's token).
 */
export class RepositoryHooksFactory {
  private readonly github: GithubCredentialsProvider;

  constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {
    this.github =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  }

  /** Which provider serves the host; an InputError for hosts without a GitHub or GitLab integration. */
  providerOf(host: string): { provider: HookProvider; apiBaseUrl: string } {
    const github = this.integrations.github.byHost(host);
    if (github?.config.apiBaseUrl) {
      return { provider: 'github', apiBaseUrl: github.config.apiBaseUrl };
    }
    const gitlab = this.integrations.gitlab.byHost(host);
    if (gitlab) {
      return { provider: 'gitlab', apiBaseUrl: gitlab.config.apiBaseUrl };
    }
    throw new InputError(
      `${host} has no GitHub or GitLab integration with an API URL; configure it under integrations in app-config`,
    );
  }

  async forRepository(
    host: string,
    owner: string,
    repo: string,
  ): Promise<RepositoryHooks> {
    const { provider, apiBaseUrl } = this.providerOf(host);
    const slug = `${owner}/${repo}`;
    if (provider === 'github') {
      const { token } = await this.github.getCredentials({
        url: `https://${host}/${slug}`,
      });
      if (!token) {
        throw new InputError(
          `The GitHub integration for ${host} has no credentials for ${slug}; configure a token or a GitHub App`,
        );
      }
      return githubHooks(apiBaseUrl, slug, token, this.fetchFn);
    }
    const config = this.integrations.gitlab.byHost(host)!.config;
    return gitlabHooks(
      apiBaseUrl,
      slug,
      getGitLabRequestOptions(config).headers,
      this.fetchFn,
    );
  }
}

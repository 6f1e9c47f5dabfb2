import { WebhookProvider } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { InputError } from '@backstage/errors';
import { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { parseInput } from '../routes/validation';

/** What a delivery says, read from its headers and body; trusted only once verified. */
export interface Delivery {
  provider: WebhookProvider;
  deliveryId: string;
  hookId?: string;
  /** `push` for pushes (GitHub's name; GitLab's Push Hook is read as `push` too). */
  event: string;
  /** The repository slug the payload names: where its secret is looked up. */
  repository: string;
  push?: Push;
}

export interface Push {
  /** `refs/heads/main`, `refs/tags/v1`. */
  ref: string;
  /** The branch was deleted: `after` is all zeros. */
  deleted: boolean;
  /** The head commit after the push. */
  after: string;
  headCommit?: { id: string; message: string; timestamp?: Date };
  /**
   * Every file the push added, changed or removed, from the commits the payload lists; absent
   * when the payload does not list them all (GitLab lists 20 of `total_commits_count`, GitHub
   * at most 2048), so a path filter never skips a push it cannot see whole.
   */
  changedPaths?: string[];
}

const NO_COMMIT = /^0+$/;
const sha = z.string().regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i, 'must be a SHA');
const text = (max: number) => z.string().max(max);
const paths = z.array(text(4096)).max(10_000).optional();
const commit = z.object({
  id: sha,
  message: text(65_536),
  timestamp: z.string().max(64).optional(),
  added: paths,
  modified: paths,
  removed: paths,
});

/** The most commits GitHub lists in a push; a push of more is not seen whole. */
const GITHUB_MAX_COMMITS = 2048;

function changedPathsOf(
  commits: Array<z.infer<typeof commit>> | undefined,
  complete: boolean,
): string[] | undefined {
  if (!commits?.length || !complete) return undefined;
  if (commits.some(c => !c.added && !c.modified && !c.removed)) {
    return undefined;
  }
  const changed = new Set<string>();
  for (const c of commits) {
    for (const path of [
      ...(c.added ?? []),
      ...(c.modified ?? []),
      ...(c.removed ?? []),
    ]) {
      changed.add(path);
    }
  }
  return [...changed];
}

const githubBody = z.object({
  repository: z.object(
    { full_name: text(255).min(3) },
    {
      message:
        'is missing: add the webhook on the repository, not on an organization',
    },
  ),
  ref: text(255).optional(),
  after: sha.optional(),
  deleted: z.boolean().optional(),
  head_commit: commit.nullable().optional(),
  commits: z.array(commit).max(GITHUB_MAX_COMMITS).optional(),
});

const gitlabBody = z.object({
  project: z.object(
    { path_with_namespace: text(255).min(3) },
    { message: 'is missing: send a project webhook' },
  ),
  ref: text(255).optional(),
  after: sha.optional(),
  checkout_sha: sha.nullable().optional(),
  commits: z.array(commit).max(2048).optional(),
  total_commits_count: z.number().int().nonnegative().optional(),
});

function header(
  headers: IncomingHttpHeaders,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function required(headers: IncomingHttpHeaders, name: string, what: string) {
  const value = header(headers, name);
  if (!value || value.length > 128) {
    throw new InputError(
      `the ${name} header is missing or longer than 128 characters: this route takes ${what} deliveries as the host sends them`,
    );
  }
  return value;
}

function timeOf(value?: string): Date | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Reads a GitHub delivery (X-GitHub-Event, X-GitHub-Delivery, X-GitHub-Hook-ID). */
export function readGithubDelivery(
  headers: IncomingHttpHeaders,
  payload: unknown,
): Delivery {
  const event = required(headers, 'X-GitHub-Event', 'GitHub');
  const deliveryId = required(headers, 'X-GitHub-Delivery', 'GitHub');
  const body = parseInput(githubBody, payload, 'GitHub delivery');
  const delivery: Delivery = {
    provider: 'github',
    deliveryId,
    hookId: header(headers, 'X-GitHub-Hook-ID')?.slice(0, 128),
    event,
    repository: body.repository.full_name,
  };
  if (event !== 'push') return delivery;
  if (!body.ref || !body.after) {
    throw new InputError(
      'invalid GitHub delivery: a push names its ref and after commit',
    );
  }
  const head = body.head_commit ?? undefined;
  delivery.push = {
    ref: body.ref,
    after: body.after.toLowerCase(),
    deleted: Boolean(body.deleted) || NO_COMMIT.test(body.after),
    headCommit: head && {
      id: head.id.toLowerCase(),
      message: head.message,
      timestamp: timeOf(head.timestamp),
    },
    changedPaths: changedPathsOf(
      body.commits,
      (body.commits?.length ?? 0) < GITHUB_MAX_COMMITS,
    ),
  };
  return delivery;
}

const GITLAB_EVENTS: Record<string, string> = {
  'Push Hook': 'push',
  'Tag Push Hook': 'tag_push',
};

/** Reads a GitLab delivery (X-Gitlab-Event, X-Gitlab-Event-UUID, X-Gitlab-Webhook-UUID). */
export function readGitlabDelivery(
  headers: IncomingHttpHeaders,
  payload: unknown,
): Delivery {
  const name = required(headers, 'X-Gitlab-Event', 'GitLab');
  const deliveryId =
    header(headers, 'X-Gitlab-Event-UUID') ??
    required(headers, 'Idempotency-Key', 'GitLab');
  if (deliveryId.length > 128) {
    throw new InputError('the X-Gitlab-Event-UUID header is too long');
  }
  const body = parseInput(gitlabBody, payload, 'GitLab delivery');
  const event = GITLAB_EVENTS[name] ?? name.toLowerCase().replace(/ /g, '_');
  const delivery: Delivery = {
    provider: 'gitlab',
    deliveryId,
    hookId: header(headers, 'X-Gitlab-Webhook-UUID')?.slice(0, 128),
    event,
    repository: body.project.path_with_namespace,
  };
  if (event !== 'push' && event !== 'tag_push') return delivery;
  if (!body.ref || !body.after) {
    throw new InputError(
      'invalid GitLab delivery: a push names its ref and after commit',
    );
  }
  const after = (body.checkout_sha ?? body.after).toLowerCase();
  // GitLab lists the 20 newest commits; the head is the one the push ends on.
  const head = body.commits?.find(c => c.id.toLowerCase() === after);
  delivery.event = 'push';
  delivery.push = {
    ref: body.ref,
    after,
    deleted: NO_COMMIT.test(body.after),
    headCommit: head && {
      id: after,
      message: head.message,
      timestamp: timeOf(head.timestamp),
    },
    changedPaths: changedPathsOf(
      body.commits,
      body.total_commits_count === undefined ||
        body.total_commits_count <= (body.commits?.length ?? 0),
    ),
  };
  return delivery;
}

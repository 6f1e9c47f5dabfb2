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
}

const NO_COMMIT = /^0+$/;
const sha = z.string().regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i, 'must be a SHA');
const text = (max: number) => z.string().max(max);
const commit = z.object({
  id: sha,
  message: text(65_536),
  timestamp: z.string().max(64).optional(),
});

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
  };
  return delivery;
}

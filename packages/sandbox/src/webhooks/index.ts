import type { Router } from 'express';
import { createHmac, randomUUID } from 'node:crypto';
import type { GitHubHook } from '../github/index.ts';
import { githubPushPayload, gitlabPushPayload, randomSha } from './payloads.ts';
import type { PushFacts } from './payloads.ts';

/** Where one webhook delivers, as the host keeps it. */
export interface WebhookTarget {
  url: string;
  secret?: string;
  /** GitHub's numeric hook id, GitLab's webhook UUID. */
  hookId?: string;
}

export interface PushRequest extends Partial<PushFacts> {
  provider: 'github' | 'gitlab';
  repository: string;
  /** Deliver the same delivery (same id) this many times, as a redelivery does. Default 1. */
  times?: number;
}

export interface SentDelivery {
  url: string;
  deliveryId: string;
  hookId?: string;
  status: number;
  body: unknown;
}

const DEFAULT_PUSH_MESSAGE = 'Change from the sandbox';

const sign = (algorithm: 'sha1' | 'sha256', body: string, secret: string) =>
  `${algorithm}=${createHmac(algorithm, secret).update(body).digest('hex')}`;

/** The headers GitHub's and GitLab's webhook services send with a push. */
function headersFor(
  provider: PushRequest['provider'],
  target: WebhookTarget,
  deliveryId: string,
  body: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
  };
  if (provider === 'github') {
    Object.assign(headers, {
      'User-Agent': 'GitHub-Hookshot/sandbox',
      'X-GitHub-Event': 'push',
      'X-GitHub-Delivery': deliveryId,
      'X-GitHub-Hook-ID': target.hookId ?? '1',
      'X-GitHub-Hook-Installation-Target-Type': 'repository',
      'X-GitHub-Hook-Installation-Target-ID': '1',
    });
    if (target.secret) {
      headers['X-Hub-Signature'] = sign('sha1', body, target.secret);
      headers['X-Hub-Signature-256'] = sign('sha256', body, target.secret);
    }
    return headers;
  }
  Object.assign(headers, {
    'User-Agent': 'GitLab/17.0.0',
    'X-Gitlab-Event': 'Push Hook',
    'X-Gitlab-Event-UUID': deliveryId,
    'X-Gitlab-Webhook-UUID': target.hookId ?? deliveryId,
    'X-Gitlab-Instance': 'https://gitlab.com',
    'Idempotency-Key': deliveryId,
  });
  if (target.secret) headers['X-Gitlab-Token'] = target.secret;
  return headers;
}

/** Sends one push to each target, signed as the host signs it; each target its own delivery id. */
export async function sendPushWebhooks(
  push: PushRequest,
  targets: WebhookTarget[],
  fetchImpl: typeof fetch = fetch,
): Promise<SentDelivery[]> {
  const facts: PushFacts = {
    repository: push.repository,
    branch: push.branch ?? 'main',
    after: push.after ?? randomSha(),
    before: push.before ?? randomSha(),
    message: push.message ?? DEFAULT_PUSH_MESSAGE,
    timestamp: push.timestamp ?? new Date().toISOString(),
    pusher: push.pusher ?? 'sandbox-user',
  };
  const body = JSON.stringify(
    push.provider === 'github'
      ? githubPushPayload(facts)
      : gitlabPushPayload(facts),
  );
  const sent: SentDelivery[] = [];
  for (const target of targets) {
    const deliveryId = randomUUID();
    for (let i = 0; i < (push.times ?? 1); i++) {
      const res = await fetchImpl(target.url, {
        method: 'POST',
        headers: headersFor(push.provider, target, deliveryId, body),
        body,
      });
      const text = await res.text();
      let answer: unknown = text;
      try {
        answer = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      sent.push({
        url: target.url,
        deliveryId,
        hookId: target.hookId,
        status: res.status,
        body: answer,
      });
    }
  }
  return sent;
}

/** Why a control request cannot be sent, or undefined when it can. */
export function pushRequestProblem(body: any): string | undefined {
  if (!['github', 'gitlab'].includes(body?.provider)) {
    return 'provider must be github or gitlab';
  }
  if (
    typeof body.repository !== 'string' ||
    !/^[\w.-]+(\/[\w.-]+)+$/.test(body.repository)
  ) {
    return 'repository must be owner/name (GitHub) or group/project (GitLab)';
  }
  if (body.after !== undefined && !/^[0-9a-f]{40}$/.test(body.after)) {
    return 'after must be 40 lowercase hexadecimal characters';
  }
  if (body.times !== undefined && ![1, 2, 3, 4, 5].includes(body.times)) {
    return 'times must be a whole number from 1 to 5';
  }
  if (body.url !== undefined && !/^https?:\/\/\S+$/.test(body.url)) {
    return 'url must be an http(s) URL such as http://localhost:7007/api/autonomous/webhooks/github';
  }
  return undefined;
}

/**
 * `POST /_sandbox/webhooks/push`: sends a push webhook as GitHub or GitLab would. With `url`
 * (and `secret`) it delivers there; without, a GitHub push goes to every push hook of the
 * repository in the GitHub double, each with its own delivery id and its stored secret.
 */
export function webhookControlRoutes(
  router: Router,
  options: {
    githubHooks?(repository: string): GitHubHook[];
    fetch?: typeof fetch;
    /** The pushed commit, before it is delivered: the sandbox's repository now holds it. */
    onPush?(sha: string, message: string): void;
  } = {},
): void {
  router.post('/webhooks/push', async (req, res) => {
    const problem = pushRequestProblem(req.body);
    if (problem) {
      res.status(400).json({ message: problem });
      return;
    }
    const { url, secret, hookId, ...push } = req.body;
    const targets: WebhookTarget[] = url
      ? [{ url, secret, hookId }]
      : (push.provider === 'github'
          ? options.githubHooks?.(push.repository) ?? []
          : []
        )
          .filter(
            h => h.active && h.events.some(e => ['push', '*'].includes(e)),
          )
          .map(h => ({
            url: h.config.url,
            secret: h.config.secret,
            hookId: String(h.id),
          }));
    if (!targets.length) {
      res.status(400).json({
        message: `no push webhook to send to: give url (and secret), or create a hook on ${push.repository} in the GitHub double`,
      });
      return;
    }
    const commit = {
      after: push.after ?? randomSha(),
      message: push.message ?? DEFAULT_PUSH_MESSAGE,
    };
    options.onPush?.(commit.after, commit.message);
    res.json({
      deliveries: await sendPushWebhooks(
        { ...push, ...commit },
        targets,
        options.fetch,
      ),
    });
  });
}

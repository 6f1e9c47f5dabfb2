/** The Git hosts whose push webhooks the portal receives. @public */
export const WEBHOOK_PROVIDERS = ['github', 'gitlab'] as const;
/** @public */
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

/** The Vault key that holds a webhook's secret. @public */
export const WEBHOOK_SECRET_KEY = 'secret';

/**
 * Where a repository's webhook secret is kept, under the Vault KV v2 mount: the scaffolder's
 * `autonomous:webhook:create` writes it there and the portal's webhook routes read it there.
 * @public
 */
export function webhookSecretPath(
  provider: WebhookProvider,
  slug: string,
): string {
  return `autonomous/webhooks/${provider}/${slug}`;
}

/**
 * Words in a head commit's message that keep a push from being released (any case).
 * @public
 */
export const WEBHOOK_SKIP_MARKERS = [
  '[skip ci]',
  '[ci skip]',
  '[skip cd]',
  '[skip autonomous]',
] as const;

/** What to paste into the repository's webhook settings. @public */
export interface ProjectWebhook {
  provider: WebhookProvider;
  /** `owner/repo` (GitHub) or the project's path with its namespace (GitLab). */
  repository: string;
  /** The Payload URL (GitHub) or URL (GitLab). */
  url: string;
  contentType: 'application/json';
  /** The events to send: pushes. */
  events: string[];
  /** Whether Vault holds a secret for the repository; its value is shown only when rotated. */
  secretConfigured: boolean;
  /** When the secret was last written (created or rotated). */
  secretUpdatedAt?: string;
  /** Where the secret lives, under the Vault instance's KV mount. */
  vaultPath: string;
  /** The environments a push may release, with their branch and whether auto-deploy is on. */
  environments: Array<{ name: string; branch: string; autoDeploy: boolean }>;
}

/** The answer to a rotation: the only time the secret is shown. @public */
export interface RotatedWebhookSecret {
  secret: string;
  /** Vault's version of the secret just written. */
  version: number;
  url: string;
  message: string;
}

/** How a delivery ended for one project. @public */
export type WebhookDeliveryOutcome =
  | 'received'
  | 'released'
  | 'ignored'
  | 'failed';

/** One push (or other event) a Git host delivered, as recorded for a project. @public */
export interface WebhookDeliveryRecord {
  provider: WebhookProvider;
  /** X-GitHub-Delivery or X-Gitlab-Event-UUID. */
  deliveryId: string;
  /** X-GitHub-Hook-ID or X-Gitlab-Webhook-UUID, when sent: tells two hooks apart. */
  hookId?: string;
  event: string;
  ref?: string;
  commitSha?: string;
  commitSubject?: string;
  outcome: WebhookDeliveryOutcome;
  /** Why, per environment: "production: released as #12"; "staging: auto-deploy is off". */
  detail?: string;
  releaseIds: string[];
  receivedAt: string;
}

/** @public */
export interface WebhookDeliveryPage {
  items: WebhookDeliveryRecord[];
  nextCursor?: string;
}

/** @public */
export const WEBHOOK_DELIVERY_PAGE_SIZE = { default: 20, max: 100 } as const;

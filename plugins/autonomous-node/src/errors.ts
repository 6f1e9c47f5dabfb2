/** The engines the suite drives. @public */
export type UpstreamSystem =
  | 'jenkins'
  | 'harbor'
  | 'argocd'
  | 'vault'
  | 'kubernetes'
  | 'prometheus'
  | 'loki';

/** Every upstream system, in a stable order. @public */
export const UPSTREAM_SYSTEMS: ReadonlyArray<UpstreamSystem> = [
  'jenkins',
  'harbor',
  'argocd',
  'vault',
  'kubernetes',
  'prometheus',
  'loki',
];

const SYSTEM_LABELS: Record<UpstreamSystem, string> = {
  jenkins: 'Jenkins',
  harbor: 'Harbor',
  argocd: 'ArgoCD',
  vault: 'Vault',
  kubernetes: 'Kubernetes',
  prometheus: 'Prometheus',
  loki: 'Loki',
};

const STATUS_TEXTS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The display name of a system in messages, e.g. `ArgoCD`. @public */
export function upstreamLabel(system: UpstreamSystem): string {
  return SYSTEM_LABELS[system];
}

/** @public */
export interface UpstreamErrorOptions {
  system: UpstreamSystem;
  /** What was being done, e.g. `sync of application "shop"`. */
  operation: string;
  /** The HTTP status; absent for timeouts and network failures. */
  status?: number;
  statusText?: string;
  /** Why it failed, in the upstream's own words when it gave any. */
  reason: string;
  retryable?: boolean;
  /** Only ever a cause whose text has already been scrubbed of credentials. */
  cause?: Error;
}

/**
 * A call to an upstream engine failed. The message reads like
 * `ArgoCD sync of application "shop" failed: 409 Conflict: another operation is already in progress`
 * and never carries credentials.
 *
 * @public
 */
export class UpstreamError extends Error {
  readonly system: UpstreamSystem;
  readonly operation: string;
  readonly status?: number;
  readonly reason: string;
  readonly retryable: boolean;

  constructor(options: UpstreamErrorOptions) {
    const { system, operation, status, reason } = options;
    const statusPart =
      status === undefined
        ? ''
        : `${status} ${
            options.statusText || STATUS_TEXTS[status] || 'Error'
          }: `;
    super(
      `${upstreamLabel(system)} ${operation} failed: ${statusPart}${reason}`,
      options.cause ? { cause: options.cause } : undefined,
    );
    this.name = 'UpstreamError';
    this.system = system;
    this.operation = operation;
    this.status = status;
    this.reason = reason;
    this.retryable =
      options.retryable ??
      (status === undefined || status === 429 || status >= 500);
  }

  /** True when the upstream answered 404. */
  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** True when the upstream answered 409. */
  get isConflict(): boolean {
    return this.status === 409;
  }

  /**
   * True when ArgoCD refused a sync because another operation runs on the application
   * ({@link ArgoCdOperationInProgressError}): a state that ends by itself, in seconds.
   */
  get isOperationInProgress(): boolean {
    return false;
  }
}

/** @public */
export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof Error && error.name === 'UpstreamError';
}

/**
 * Removes credentials from text that may end up in a message, a cause or a log: the given
 * secret values, Authorization header values, basic-auth user info in URLs and token-like
 * query parameters.
 *
 * @public
 */
export function scrubSecrets(
  text: string,
  secrets: ReadonlyArray<string | undefined> = [],
): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join('***');
      const encoded = Buffer.from(secret).toString('base64');
      out = out.split(encoded).join('***');
    }
  }
  return out
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1***@')
    .replace(
      /\b(token|password|secret|api[_-]?token|client_token)(["']?\s*[:=]\s*["']?)[^"'\s&,}]+/gi,
      '$1$2***',
    );
}

/** Builds the text of a reason from the upstream's error body, whatever its shape. @public */
export function reasonFromBody(body: string, fallback: string): string {
  const trimmed = body.trim();
  if (!trimmed) return fallback;
  try {
    const json = JSON.parse(trimmed);
    const reason = reasonFromJson(json);
    if (reason) return truncate(tidy(reason));
  } catch {
    // not JSON: fall through to text
  }
  if (/^<(!doctype|html)/i.test(trimmed)) {
    const heading =
      /<h[12][^>]*>([\s\S]*?)<\/h[12]>/i.exec(trimmed)?.[1] ??
      /<title[^>]*>([\s\S]*?)<\/title>/i.exec(trimmed)?.[1];
    const paragraph = /<p[^>]*>([\s\S]*?)<\/p>/i.exec(trimmed)?.[1];
    const text = [heading, paragraph]
      .filter(Boolean)
      .map(s => s!.replace(/<[^>]+>/g, '').trim())
      .filter(Boolean)
      .join(': ');
    return text ? truncate(text) : fallback;
  }
  return truncate(trimmed.split('\n')[0]);
}

function reasonFromJson(json: unknown): string | undefined {
  if (!json || typeof json !== 'object') {
    return typeof json === 'string' ? json : undefined;
  }
  const obj = json as Record<string, unknown>;
  if (Array.isArray(obj.errors) && obj.errors.length > 0) {
    // Harbor: [{code, message}]; Vault: ['message', …]
    return obj.errors
      .map(e =>
        typeof e === 'string'
          ? e
          : String((e as any)?.message || (e as any)?.code || ''),
      )
      .filter(Boolean)
      .join('; ');
  }
  // ArgoCD {error, message}, Kubernetes Status {message}, Prometheus {error}
  if (typeof obj.message === 'string' && obj.message) return obj.message;
  if (typeof obj.error === 'string' && obj.error) return obj.error;
  return undefined;
}

/** Vault joins errors as `1 error occurred:\n\t* permission denied\n\n`; keep the errors. */
function tidy(text: string): string {
  return text
    .replace(/\s*\n\t\*\s*/g, '; ')
    .replace(/^\s*\d+ errors? occurred:[;\s]*/, '')
    .replace(/\s+/g, ' ')
    .replace(/^[;\s]+|[;\s]+$/g, '');
}

function truncate(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

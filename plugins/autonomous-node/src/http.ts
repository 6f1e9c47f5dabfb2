import {
  UpstreamError,
  UpstreamSystem,
  reasonFromBody,
  scrubSecrets,
} from './errors';

/** The fetch function the clients call; inject one in tests. @public */
export type FetchFunction = (
  input: string,
  init?: RequestInit,
) => Promise<Response>;

/** How hard to try an upstream before giving up. @public */
export interface RetryPolicy {
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls. Default 2. */
  retries?: number;
  /** First backoff delay; doubles per attempt, with full jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** Longest wait between attempts, also caps `Retry-After`. Default 10 000 ms. */
  maxDelayMs?: number;
}

/** @public */
export interface UpstreamHttpOptions extends RetryPolicy {
  system: UpstreamSystem;
  /** The instance URL; may carry a path prefix, which is kept. */
  baseUrl: string;
  /** Headers carrying credentials, resolved per attempt. */
  authHeaders?: () => Promise<Record<string, string>> | Record<string, string>;
  /** Secret values to scrub from anything that may be shown or logged. */
  secrets?: ReadonlyArray<string | undefined>;
  fetch?: FetchFunction;
  /** Waits between attempts; replaced in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Told about retries; messages are scrubbed and never carry request or response bodies. */
  logger?: { warn(message: string): void };
}

/** @public */
export interface UpstreamRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the instance URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** What is being done, for error messages, e.g. `sync of application "shop"`. */
  operation: string;
  /**
   * Marks a non-GET/HEAD/PUT/DELETE call as safe to repeat. Never set it on a call that
   * starts something, such as a build.
   */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Statuses that are answers rather than failures, e.g. 404 for "does it exist". */
  acceptStatus?: number[];
}

/** @public */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** Joins an instance URL (which may carry a path prefix) and an API path. @public */
export function joinUrl(
  baseUrl: string,
  path: string,
  query?: UpstreamRequest['query'],
): string {
  const base = baseUrl.replace(/\/+$/, '');
  const url = `${base}${path.startsWith('/') ? path : `/${path}`}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.append(key, String(value));
  }
  const qs = params.toString();
  if (!qs) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${qs}`;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(
  value: string | null,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const defaultSleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * HTTP to one upstream instance: a timeout per attempt, retries with exponential backoff and
 * jitter for idempotent calls only, `Retry-After` honoured, and errors turned into
 * {@link UpstreamError} with credentials scrubbed.
 *
 * @public
 */
export class UpstreamHttp {
  readonly system: UpstreamSystem;
  readonly baseUrl: string;
  private readonly options: UpstreamHttpOptions;
  private readonly fetchFn: FetchFunction;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: UpstreamHttpOptions) {
    this.options = options;
    this.system = options.system;
    this.baseUrl = options.baseUrl;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Scrubs this instance's credentials from a text. */
  scrub(text: string): string {
    return scrubSecrets(text, this.options.secrets);
  }

  url(path: string, query?: UpstreamRequest['query']): string {
    return joinUrl(this.baseUrl, path, query);
  }

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const retryable = req.idempotent ?? IDEMPOTENT_METHODS.has(req.method);
    const attempts =
      1 + (retryable ? Math.max(0, this.options.retries ?? 2) : 0);
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(req);
      if (!(result instanceof UpstreamError)) return result;
      if (!result.retryable || attempt + 1 >= attempts) throw result;
      const delayMs = this.delayFor(attempt + 1, result);
      this.options.logger?.warn(
        `${result.message}; attempt ${
          attempt + 2
        } of ${attempts} in ${delayMs} ms`,
      );
      await this.sleep(delayMs);
    }
  }

  private retryAfterMs = new WeakMap<UpstreamError, number>();

  private delayFor(attempt: number, error: UpstreamError): number {
    const max = this.options.maxDelayMs ?? 10_000;
    const retryAfter = this.retryAfterMs.get(error);
    if (retryAfter !== undefined) return Math.min(retryAfter, max);
    const base = this.options.baseDelayMs ?? 250;
    const ceiling = Math.min(max, base * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private async attempt(
    req: UpstreamRequest,
  ): Promise<UpstreamResponse | UpstreamError> {
    const url = this.url(req.path, req.query);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(await this.options.authHeaders?.()),
      ...req.headers,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      if (typeof req.body === 'string') {
        body = req.body;
      } else {
        body = JSON.stringify(req.body);
        headers['Content-Type'] ??= 'application/json';
      }
    }
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(url, {
        method: req.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = req.method === 'HEAD' ? '' : await response.text();
    } catch (error) {
      const name = (error as Error)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return new UpstreamError({
        system: this.system,
        operation: req.operation,
        reason: timedOut
          ? `no answer within ${timeoutMs} ms`
          : `could not reach ${this.scrub(
              safeOrigin(this.baseUrl),
            )}: ${this.scrub(describeNetworkError(error))}`,
        retryable: true,
      });
    }
    const ok =
      (response.status >= 200 && response.status < 400) ||
      req.acceptStatus?.includes(response.status);
    if (ok) {
      return {
        status: response.status,
        headers: response.headers,
        text,
        json<T>() {
          return (text ? JSON.parse(text) : undefined) as T;
        },
      };
    }
    const error = new UpstreamError({
      system: this.system,
      operation: req.operation,
      status: response.status,
      statusText: response.statusText,
      reason: this.scrub(
        reasonFromBody(text, response.statusText || 'no reason given'),
      ),
    });
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfter !== undefined) this.retryAfterMs.set(error, retryAfter);
    return error;
  }
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the configured URL';
  }
}

function describeNetworkError(error: unknown): string {
  const err = error as {
    message?: string;
    cause?: { code?: string; message?: string };
  };
  return (
    err?.cause?.code ?? err?.cause?.message ?? err?.message ?? 'network error'
  );
}

/**
 * Runs an attempt with the same retry rules as {@link UpstreamHttp}, for clients built on
 * another library: retries only when `idempotent` and the error is retryable.
 */
export async function callWithRetries<T>(
  attempt: () => Promise<T>,
  options: RetryPolicy & {
    idempotent: boolean;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<T> {
  const attempts =
    1 + (options.idempotent ? Math.max(0, options.retries ?? 2) : 0);
  const sleep = options.sleep ?? defaultSleep;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = (error as UpstreamError)?.retryable === true;
      if (!retryable || n + 1 >= attempts) throw error;
      const base = options.baseDelayMs ?? 250;
      const ceiling = Math.min(options.maxDelayMs ?? 10_000, base * 2 ** n);
      await sleep(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}

import { HttpError, UnreachableError } from './errors.ts';

/** Where the plugin's routes live under the backend's base URL. */
export const PLUGIN_PATH = '/api/autonomous';

const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiClientOptions {
  /** The portal backend's base URL, e.g. `http://localhost:7007`. */
  url: string;
  token: string;
  fetch?: typeof fetch;
}

/** The portal's release API, authenticated with a Backstage token. */
export interface ApiClient {
  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T>;
  post<T>(path: string, body: object): Promise<T>;
  /** A text/plain answer, whole. */
  text(path: string): Promise<string>;
  /** A text/plain answer, handed over piece by piece as it arrives. */
  stream(path: string, onText: (text: string) => void): Promise<void>;
}

const STATUS_HINTS: Record<number, string> = {
  401: 'the portal did not accept the token: set AUTONOMOUS_TOKEN (or --token) to a static token from backend.auth.externalAccess, or to a current user token (user tokens expire after about an hour)',
  403: "the token's subject may not do this: ask the portal's administrators to allow it",
};

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function send(
    method: 'GET' | 'POST',
    path: string,
    init: { query?: Record<string, string | undefined>; body?: object },
    timeout: boolean,
  ): Promise<Response> {
    const url = new URL(`${base}${PLUGIN_PATH}${path}`);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      accept: 'application/json, text/plain',
    };
    if (init.body) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: init.body ? JSON.stringify(init.body) : undefined,
        signal: timeout ? AbortSignal.timeout(REQUEST_TIMEOUT_MS) : undefined,
      });
    } catch (error) {
      throw new UnreachableError(base, networkReason(error));
    }
    if (!response.ok) {
      throw await httpError(response);
    }
    return response;
  }

  return {
    async get<T>(path: string, query?: Record<string, string | undefined>) {
      const response = await send('GET', path, { query }, true);
      return (await readJson(response, base)) as T;
    },
    async post<T>(path: string, body: object) {
      const response = await send('POST', path, { body }, true);
      return (await readJson(response, base)) as T;
    },
    async text(path: string) {
      const response = await send('GET', path, {}, true);
      return response.text();
    },
    async stream(path: string, onText: (text: string) => void) {
      const response = await send('GET', path, {}, false);
      if (!response.body) return;
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body) {
          const text = decoder.decode(chunk, { stream: true });
          if (text) onText(text);
        }
      } catch (error) {
        throw new UnreachableError(base, networkReason(error));
      }
      const rest = decoder.decode();
      if (rest) onText(rest);
    },
  };
}

async function readJson(response: Response, base: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(
      response.status,
      `${base} answered with something that is not JSON: ${preview(text)}`,
      'check that AUTONOMOUS_URL is the portal backend (e.g. http://localhost:7007), not the frontend',
    );
  }
}

/** Backstage error bodies are `{ error: { name, message }, response: { statusCode } }`. */
async function httpError(response: Response): Promise<HttpError> {
  const text = await response.text().catch(() => '');
  let message: string | undefined;
  try {
    const body = JSON.parse(text);
    if (typeof body?.error?.message === 'string') message = body.error.message;
  } catch {
    // Not a Backstage error body (a proxy's page, say): show its start instead.
  }
  return new HttpError(
    response.status,
    message ?? (preview(text) || response.statusText || 'request failed'),
    STATUS_HINTS[response.status],
  );
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * fetch rejects with `TypeError('fetch failed')` and the real reason in `cause`. Checked by
 * shape, not `instanceof Error`: under Jest the error comes from another realm.
 */
function networkReason(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { message?: unknown };
  };
  if (name === 'TimeoutError') {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  if (typeof message === 'string' && message) return message;
  return String(error);
}

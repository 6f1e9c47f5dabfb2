import {
  checkRequest,
  checkResponse,
} from '@autonomous-dev/upstream-contracts';
import type { UpstreamSystem } from '@autonomous-dev/upstream-contracts';
import { startSandbox } from '../sandbox.ts';
import type { RunningSandbox, StartSandboxOptions } from '../sandbox.ts';

const CONTRACT_SYSTEMS = ['argocd', 'harbor', 'kubernetes', 'vault', 'jenkins'];

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The test sends a request the real API would refuse on purpose: skip the request check. */
  invalidOnPurpose?: boolean;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export const auth = {
  jenkins: {
    Authorization: `Basic ${Buffer.from('autonomous:sandbox').toString(
      'base64',
    )}`,
  },
  harbor: {
    Authorization: `Basic ${Buffer.from('admin:sandbox').toString('base64')}`,
  },
  argocd: { Authorization: 'Bearer sandbox' },
  kubernetes: { Authorization: 'Bearer sandbox' },
  vault: { 'X-Vault-Token': 'sandbox' },
};

/**
 * A fetch wrapper for tests: every request it sends to a system with a vendored contract is
 * checked with `checkRequest`, and every JSON response with `checkResponse`. Problems are
 * collected in `problems` so a test can assert there were none.
 */
export class ContractClient {
  readonly problems: string[] = [];
  constructor(readonly baseUrl: string) {}

  /** Fails (from an afterEach hook, for example) when any request or response broke its contract. */
  assertNoProblems() {
    if (this.problems.length) {
      throw new Error(`contract problems:\n${this.problems.join('\n')}`);
    }
  }

  async call(
    system: string,
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult> {
    const method = options.method ?? 'GET';
    const url = `${this.baseUrl}/${system}${path}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.headers ?? {}))
      headers[k.toLowerCase()] = v;
    const checked = CONTRACT_SYSTEMS.includes(system);
    if (checked && !options.invalidOnPurpose) {
      const result = checkRequest(
        system as UpstreamSystem,
        { method, url, headers, body: options.body },
        { basePath: `/${system}` },
      );
      if (!result.ok)
        this.problems.push(
          ...result.problems.map(p => `request ${method} ${path}: ${p}`),
        );
    }
    const response = await fetch(url, {
      method,
      headers,
      body: options.body as BodyInit | undefined,
    });
    const text = await response.text();
    let json: any;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      json = JSON.parse(text);
      if (checked) {
        const result = checkResponse(
          system as UpstreamSystem,
          { method, url, status: response.status, body: json },
          { basePath: `/${system}` },
        );
        if (!result.ok)
          this.problems.push(
            ...result.problems.map(p => `response ${method} ${path}: ${p}`),
          );
      }
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  json(
    system: string,
    path: string,
    method: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    return this.call(system, path, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }

  async control(path: string, method = 'GET', body?: unknown): Promise<any> {
    const response = await fetch(`${this.baseUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
  }
}

export async function startTestSandbox(options: StartSandboxOptions = {}) {
  const running: RunningSandbox = await startSandbox({
    port: 0,
    speed: 'fast',
    ...options,
  });
  return { running, client: new ContractClient(running.url) };
}

/** Polls until `fn` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 5000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

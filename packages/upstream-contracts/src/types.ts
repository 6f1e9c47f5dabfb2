/** The upstream systems whose API specifications are vendored in this package. */
export type UpstreamSystem =
  | 'argocd'
  | 'harbor'
  | 'kubernetes'
  | 'vault'
  | 'jenkins';

/** An HTTP request as a client sent it. */
export interface RecordedRequest {
  method: string;
  /** Absolute URL or a path with an optional query string. */
  url: string;
  headers: Record<string, string>;
  /** The raw body text, or an already parsed JSON value. */
  body?: string | unknown;
}

/** An HTTP response to check against the response schema of its operation. */
export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  body: unknown;
}

/** The outcome of a check: the operation that matched, or every problem found. */
export type ContractResult =
  | { ok: true; operation: string }
  | { ok: false; problems: string[] };

export interface CheckOptions {
  /**
   * The instance's URL path prefix in front of the API's own paths, for example `/argocd` when a
   * sandbox serves Argo CD at `http://localhost:7200/argocd`.
   */
  basePath?: string;
}

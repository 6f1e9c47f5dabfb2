export interface Config {
  autonomous?: {
    /** Settings shared by every upstream client. */
    upstreams?: {
      /** Per-attempt timeout of an upstream call, in milliseconds. Default 10000. */
      timeoutMs?: number;
      /** Extra attempts for idempotent calls on network errors, timeouts, 429 and 5xx. Default 2. */
      retries?: number;
      /** How long a read of an upstream object is shared between viewers, in seconds. Default 10. */
      cacheTtlSeconds?: number;
    };
    jenkins?: {
      instances: Array<{
        name: string;
        url: string;
        username?: string;
        /** @visibility secret */
        apiToken?: string;
      }>;
    };
    harbor?: {
      instances: Array<{
        name: string;
        url: string;
        /** A robot account name or an administrator. */
        username?: string;
        /** @visibility secret */
        password?: string;
        /**
         * The host (with an optional port) images are pulled by, e.g. `harbor.example.com`;
         * image references are `<registryHost>/<project>/<repository>@<digest>`. Default: the
         * host (with port) of `url`.
         */
        registryHost?: string;
      }>;
    };
    argocd?: {
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        token?: string;
      }>;
    };
    vault?: {
      instances: Array<{
        name: string;
        url: string;
        /** A token; or log in with Kubernetes auth through kubernetesRole. @visibility secret */
        token?: string;
        /** Role for Kubernetes auth (`/v1/auth/<mount>/login` with the service account token). */
        kubernetesRole?: string;
        /** Mount path of the Kubernetes auth method. Default `kubernetes`. */
        kubernetesMountPath?: string;
        /** Default `/var/run/secrets/kubernetes.io/serviceaccount/token`. */
        serviceAccountTokenPath?: string;
        /** Mount path of the KV v2 engine. Default `secret`. */
        kvMount?: string;
      }>;
    };
    kubernetes?: {
      instances: Array<{
        name: string;
        /** The API server URL; may carry a path prefix. */
        url: string;
        /** @visibility secret */
        token?: string;
        /** Base64 PEM of the cluster CA. */
        caData?: string;
        skipTLSVerify?: boolean;
      }>;
    };
    prometheus?: {
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        token?: string;
      }>;
    };
    loki?: {
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        token?: string;
        /** Sent as `X-Scope-OrgID` to a multi-tenant Loki. */
        orgId?: string;
      }>;
    };
  };
}

/**
 * A duration: `{ seconds: 5 }` (weeks down to milliseconds), an ISO 8601 duration (`PT5S`) or
 * a short form (`5s`, `2m`), as Backstage's readDurationFromConfig reads it.
 */
type Duration =
  | {
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    }
  | string;

export interface Config {
  autonomous?: {
    /**
     * How long a caller's broad permission decision ("allowed everywhere", "denied
     * everywhere" or "depends on the entity") is reused before the permission framework is
     * asked again. Default 5 seconds; 0 asks on every request.
     */
    permissionDecisionCache?: Duration;
    /** @deprecated use permissionDecisionCache; milliseconds. */
    permissionDecisionCacheMs?: number;

    /** How custom domains are served (Helm parameters of each environment's application). */
    domains?: {
      /** The cert-manager ClusterIssuer named on the Ingress. Default letsencrypt. */
      clusterIssuer?: string;
      /** The Ingress class. Default nginx. */
      ingressClassName?: string;
    };

    /**
     * Limits service principals (static or external access tokens, by their `subject`) to
     * named entities or to the entities of named owners; a listed subject asking about any
     * other entity gets a 403. A subject not listed is not limited by entity.
     */
    serviceTokens?: Array<{
      /** The token's `subject` in backend.auth.externalAccess. */
      subject: string;
      /** Entity refs, e.g. `component:default/storefront` (kind defaults to component). */
      entities?: string[];
      /** Owner refs, e.g. `group:default/shop` (kind defaults to group), matched to spec.owner. */
      owners?: string[];
    }>;

    /**
     * Upstream objects an owner's entities may use although they do not claim them. By default
     * the backend changes an ArgoCD Application, triggers a Jenkins job or reads the pods of an
     * application only when the object claims the entity (the Application's annotation
     * `autonomous.dev/entity-ref`, or its `autonomous.dev/entity-*` labels; the line
     * `autonomous.dev/entity-ref: <entity ref>` in the job's description).
     */
    bindings?: Array<{
      /** Owner ref, e.g. `group:default/shop-team` (kind defaults to group), matched to spec.owner. */
      owner: string;
      /** ArgoCD Application names the owner's entities may act on. */
      argocdApplications?: string[];
      /** Jenkins job full names, e.g. `shop/storefront`, the owner's entities may build with. */
      jenkinsJobs?: string[];
    }>;

    /**
     * Limits on build and pod log reads, which hold upstream connections and memory. A
     * refused read is answered 429 with the limit's name and a Retry-After.
     */
    logs?: {
      /** Follows (build or pod log streams) one caller may hold open at once. Default 5. */
      maxFollowsPerCaller?: number;
      /** Follows held open at once by all callers, per replica. Default 100. */
      maxFollows?: number;
      /** A follow ends after this long; the caller may open a new one. Default 30 min. */
      maxFollowDuration?: Duration;
      /**
       * The most bytes of a log a download, a whole pod log or a followed build log holds.
       * Default 20 MiB (20971520).
       */
      maxLogBytes?: number;
      /** How often a followed build log asks Jenkins for more (one poller per build). Default 1 s. */
      pollInterval?: Duration;
      /** Log reads (pieces, follows, downloads) one caller may start per window. */
      rateLimit?: {
        /** Default 120. */
        requests?: number;
        /** Default 1 min. */
        window?: Duration;
      };
    };

    /** The release orchestrator: moves releases from build to healthy. */
    /**
     * Databases provisioned for Resource entities of spec.type database (every value
     * optional; defaults in the README).
     */
    databases?: {
      /** Whether this replica runs the provisioning worker. Default: orchestrator.enabled. */
      enabled?: boolean;
      /** Vault KV v2 path under which each instance's credentials live. Default autonomous/databases. */
      vaultPathPrefix?: string;
      /** The Vault instance (autonomous.vault.instances) to use; default the entity's or the first. */
      vaultInstance?: string;
      /** StatefulSet ready, volume bound and endpoints ready within this. Default 10 min. */
      readinessTimeout?: Duration;
      /** How long the read-only user Job may run. Default 10 min. */
      jobTimeout?: Duration;
      /** How long a final backup or a restore may take. Default 60 min. */
      backupTimeout?: Duration;
      /** Upstream failures are retried with backoff this long before a step fails. Default 5 min. */
      retryWindow?: Duration;
      /** How often due instances are looked for. Default 2 s. */
      pollInterval?: Duration;
      /** A backend that died gives up its instances after this. Default 1 min. */
      lease?: Duration;
      /** The database console. */
      console?: {
        /** The server-side statement timeout (statement_timeout, max_statement_time). Default 30 s. */
        timeout?: Duration;
        /** Rows answered when a request names no maxRows. Default 1,000. */
        maxRows?: number;
        /** The most rows a request may ask for. Default 100,000. */
        maxRowsLimit?: number;
      };
      /** Per engine (postgresql, mysql, mongodb, redis, cassandra, oracle, mssql). */
      engines?: {
        [engine: string]: {
          /** Helm repository of the chart. */
          repoURL?: string;
          chart?: string;
          /** The chart's version. */
          version?: string;
          /**
           * Helm values laid over the defaults, sent as parameters; `${name}`, `${database}`,
           * `${owner}`, `${secret}`, `${version}` and `${storage}` are filled in per instance.
           */
          values?: { [key: string]: unknown };
          /** Engine versions offered; the first is the default unless defaultVersion says. */
          versions?: string[];
          defaultVersion?: string;
          defaultStorageGi?: number;
          /** Image of the Jobs that run the engine's client (users, backup, restore). */
          toolsImage?: string;
          /** Port when the Service does not name one. */
          port?: number;
          /** The backup Job's shell command (the engine's dump tool); defaults in the README. */
          backupCommand?: string;
          /** The restore Job's shell command (the engine's restore tool). */
          restoreCommand?: string;
        };
      };
      /** Backups of database instances; without `storage` no backup can run. */
      backups?: {
        /** How often due backups and restores are looked for. Default 2 s. */
        pollInterval?: Duration;
        /** A backend that died gives up its backups after this. Default 1 min. */
        lease?: Duration;
        /** A scheduled run this late is reported missed. Default 15 min. */
        missedGrace?: Duration;
        /** The Kubernetes instance the backup Jobs run on; default the entity's. */
        kubernetesInstance?: string;
        /** Where dumps go: an S3-compatible bucket or a PersistentVolumeClaim. */
        storage?:
          | {
              type: 's3';
              bucket: string;
              /** Default us-east-1. */
              region?: string;
              /** An S3-compatible endpoint (MinIO, Ceph); default AWS. */
              endpoint?: string;
              /** Path-style URLs, as most S3-compatible stores need. Default false. */
              forcePathStyle?: boolean;
              /** A Secret in each database namespace holding the Jobs' keys, instead of the keys below. */
              credentialsSecret?: string;
              accessKeyId?: string;
              /** @visibility secret */
              secretAccessKey?: string;
            }
          | {
              type: 'volume';
              /** Where the backend reads the volume (downloads). */
              path: string;
              /** The PersistentVolumeClaim the Jobs mount. */
              claimName: string;
            };
      };
    };
    /** Drift: an environment OutOfSync with no release in flight (see the README). */
    drift?: {
      /**
       * How often every environment is checked in the background, on one replica at a time
       * (needs orchestrator.enabled). Default 5 min; at least 1 s.
       */
      checkInterval?: Duration;
      /** Notify the project's owners when a drift is detected. Default false. */
      notify?: boolean;
    };
    orchestrator?: {
      /** False on a replica that serves the API only. Default true. */
      enabled?: boolean;
      /** How often due releases are looked for and a running stage is polled. Default 5 s. */
      pollInterval?: Duration;
      /** How long a backend holds a release before another may take it over. Default 2 min. */
      lease?: Duration;
      /** Releases claimed per round. Default 100. */
      batchSize?: number;
      /** Releases worked on at once. Default 16. */
      concurrency?: number;
      /** How long upstream failures are retried with backoff before a release fails. Default 3 min. */
      retryWindow?: Duration;
      /** Longest wait between two retries. Default 30 s. */
      maxBackoff?: Duration;
      /** Default 60 min. */
      buildTimeout?: Duration;
      /** Default 10 min. */
      syncTimeout?: Duration;
      /** Default 15 min. */
      rolloutTimeout?: Duration;
      /** @deprecated use pollInterval. */
      pollIntervalSeconds?: number;
      /** @deprecated use lease. */
      leaseSeconds?: number;
      /** @deprecated use retryWindow. */
      retryWindowSeconds?: number;
      /** @deprecated use maxBackoff. */
      maxBackoffSeconds?: number;
      /** @deprecated use buildTimeout. */
      buildTimeoutMinutes?: number;
      /** @deprecated use syncTimeout. */
      syncTimeoutMinutes?: number;
      /** @deprecated use rolloutTimeout. */
      rolloutTimeoutMinutes?: number;
    };

    /** Delivery metrics (GET /metrics) computed from the release records. */
    metrics?: {
      /**
       * Environment names that count as production. A project's metrics count the last of its
       * environments (in promotion order) that is named here; a project with none of them, or
       * when this is not set, counts its last environment.
       */
      productionEnvironments?: string[];
    };
  };
}

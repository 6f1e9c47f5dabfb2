export interface Config {
  autonomous?: {
    /**
     * How long, in milliseconds, a caller's broad permission decision ("allowed everywhere",
     * "denied everywhere" or "depends on the entity") is reused before the permission
     * framework is asked again. Default 5000; 0 asks on every request.
     */
    permissionDecisionCacheMs?: number;

    /** The release orchestrator: moves releases from build to healthy. */
    orchestrator?: {
      /** False on a replica that serves the API only. Default true. */
      enabled?: boolean;
      /** How often due releases are looked for and a running stage is polled. Default 5. */
      pollIntervalSeconds?: number;
      /** How long a backend holds a release before another may take it over. Default 120. */
      leaseSeconds?: number;
      /** Releases claimed per round. Default 100. */
      batchSize?: number;
      /** Releases worked on at once. Default 16. */
      concurrency?: number;
      /** How long upstream failures are retried with backoff before a release fails. Default 180. */
      retryWindowSeconds?: number;
      /** Longest wait between two retries. Default 30. */
      maxBackoffSeconds?: number;
      /** Default 60. */
      buildTimeoutMinutes?: number;
      /** Default 10. */
      syncTimeoutMinutes?: number;
      /** Default 15. */
      rolloutTimeoutMinutes?: number;
    };
  };
}

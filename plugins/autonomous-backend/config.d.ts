export interface Config {
  autonomous?: {
    /**
     * How long, in milliseconds, a caller's broad permission decision ("allowed everywhere",
     * "denied everywhere" or "depends on the entity") is reused before the permission
     * framework is asked again. Default 5000; 0 asks on every request.
     */
    permissionDecisionCacheMs?: number;
  };
}

export interface Config {
  /** Settings of the Autonomous portal around the suite's plugins. */
  autonomous?: {
    permissions?: {
      /**
       * Groups whose members may do everything in the suite, as entity refs
       * (`group:default/platform-team`) or group names. Default: `group:default/platform-team`.
       */
      adminGroups?: string[];
    };
  };
}

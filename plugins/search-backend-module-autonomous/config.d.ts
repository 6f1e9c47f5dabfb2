import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** Autonomous projects, releases and databases in portal search. */
      autonomous?: {
        /**
         * How often the three collators run; default every 10 minutes, 15 minutes timeout,
         * first run 3 seconds after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Items per request to the Autonomous backend's index routes; 1–500, default 100. */
        pageSize?: number;
        releases?: {
          /**
           * How many of each project's most recent releases are indexed; 1–100, default 10.
           * The index holds at most this many per project however long the history is.
           */
          perProject?: number;
        };
      };
    };
  };
}

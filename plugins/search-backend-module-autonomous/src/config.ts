import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export const CONFIG_KEY = 'search.collators.autonomous';

/** What the Autonomous backend accepts: larger values are refused there with a 400. */
export const LIMITS = {
  pageSize: { default: 100, max: 500 },
  perProject: { default: 10, max: 100 },
} as const;

export interface AutonomousCollatorSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  pageSize: number;
  perProject: number;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 3 },
};

function wholeNumber(
  config: Config | undefined,
  key: string,
  limits: { default: number; max: number },
): number {
  const value = config?.getOptionalNumber(key);
  if (value === undefined) return limits.default;
  if (!Number.isInteger(value) || value < 1 || value > limits.max) {
    throw new InputError(
      `${CONFIG_KEY}.${key} is ${value}: use a whole number from 1 to ${limits.max}, or leave it out for ${limits.default}`,
    );
  }
  return value;
}

/** `search.collators.autonomous.*`, with the defaults and bounds of the index routes. */
export function readCollatorSettings(root: Config): AutonomousCollatorSettings {
  const config = root.getOptionalConfig(CONFIG_KEY);
  const scheduleConfig = config?.getOptionalConfig('schedule');
  let schedule = DEFAULT_SCHEDULE;
  if (scheduleConfig) {
    try {
      schedule =
        readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig);
    } catch (error) {
      throw new InputError(`Invalid schedule at ${CONFIG_KEY}: ${error}`);
    }
  }
  return {
    schedule,
    pageSize: wholeNumber(config, 'pageSize', LIMITS.pageSize),
    perProject: wholeNumber(config, 'releases.perProject', LIMITS.perProject),
  };
}

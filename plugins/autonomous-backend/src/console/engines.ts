import { DatabaseEngine } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mysqlEngine } from './mysql';
import { postgresEngine } from './postgres';
import { redisEngine } from './redis';
import { ConsoleEngine } from './types';

/** The engines the console runs statements on, by the instance's engine. */
export const CONSOLE_ENGINES: Partial<Record<DatabaseEngine, ConsoleEngine>> = {
  postgresql: postgresEngine,
  mysql: mysqlEngine,
  redis: redisEngine,
};

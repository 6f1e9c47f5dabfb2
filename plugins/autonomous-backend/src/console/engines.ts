import { DatabaseEngine } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { cassandraEngine } from './cassandra';
import { mongodbEngine } from './mongodb';
import { mssqlEngine } from './mssql';
import { mysqlEngine } from './mysql';
import { oracleEngine } from './oracle';
import { postgresEngine } from './postgres';
import { redisEngine } from './redis';
import { ConsoleEngine } from './types';

/** The engines the console runs statements on, by the instance's engine. */
export const CONSOLE_ENGINES: Record<DatabaseEngine, ConsoleEngine> = {
  postgresql: postgresEngine,
  mysql: mysqlEngine,
  redis: redisEngine,
  mongodb: mongodbEngine,
  cassandra: cassandraEngine,
  oracle: oracleEngine,
  mssql: mssqlEngine,
};

import {
  DatabaseEngine,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { KubernetesClient } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { EngineSettings } from './engines';
import { claimLabels, InstanceNames } from './names';

type V1Job = Parameters<KubernetesClient['ensureJob']>[1];
type V1EnvVar = NonNullable<
  NonNullable<V1Job['spec']>['template']['spec']
>['containers'][number]['env'] extends Array<infer E> | undefined
  ? E
  : never;

/*
 * The read-only user, created by the engine's own client inside the cluster. Every command
 * reads the names and passwords from the environment (passwords through secretKeyRef, never in
 * the Job's spec) and may run again: a resumed provisioning recreates nothing, it resets.
 */
const COMMANDS: Record<DatabaseEngine, string> = {
  postgresql: `export PGPASSWORD="$AUTONOMOUS_DB_PASSWORD"
psql -v ON_ERROR_STOP=1 -h "$AUTONOMOUS_DB_HOST" -p "$AUTONOMOUS_DB_PORT" -U "$AUTONOMOUS_DB_USER" -d "$AUTONOMOUS_DB_NAME" \\
  -v ro="$AUTONOMOUS_READONLY_USER" -v pw="$AUTONOMOUS_READONLY_PASSWORD" -v db="$AUTONOMOUS_DB_NAME" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'ro') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'ro') \\gexec
ALTER ROLE :"ro" WITH LOGIN PASSWORD :'pw';
ALTER ROLE :"ro" SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"db" TO :"ro";
GRANT USAGE ON SCHEMA public TO :"ro";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"ro";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO :"ro";
SQL`,
  mysql: `mysql -h "$AUTONOMOUS_DB_HOST" -P "$AUTONOMOUS_DB_PORT" -u "$AUTONOMOUS_DB_USER" -p"$AUTONOMOUS_DB_PASSWORD" -e "
CREATE USER IF NOT EXISTS '$AUTONOMOUS_READONLY_USER'@'%' IDENTIFIED BY '$AUTONOMOUS_READONLY_PASSWORD';
ALTER USER '$AUTONOMOUS_READONLY_USER'@'%' IDENTIFIED BY '$AUTONOMOUS_READONLY_PASSWORD';
GRANT SELECT ON \\\`$AUTONOMOUS_DB_NAME\\\`.* TO '$AUTONOMOUS_READONLY_USER'@'%';"`,
  mongodb: `mongosh --quiet "mongodb://$AUTONOMOUS_DB_USER:$AUTONOMOUS_DB_PASSWORD@$AUTONOMOUS_DB_HOST:$AUTONOMOUS_DB_PORT/$AUTONOMOUS_DB_NAME" --eval '
const d = db.getSiblingDB(process.env.AUTONOMOUS_DB_NAME);
const u = process.env.AUTONOMOUS_READONLY_USER, p = process.env.AUTONOMOUS_READONLY_PASSWORD;
const roles = [{ role: "read", db: process.env.AUTONOMOUS_DB_NAME }];
if (d.getUser(u)) d.updateUser(u, { pwd: p, roles }); else d.createUser({ user: u, pwd: p, roles });'`,
  redis: `redis-cli -h "$AUTONOMOUS_DB_HOST" -p "$AUTONOMOUS_DB_PORT" --user default --pass "$AUTONOMOUS_DB_PASSWORD" \\
  ACL SETUSER "$AUTONOMOUS_READONLY_USER" reset on ">$AUTONOMOUS_READONLY_PASSWORD" "~*" "+@read"`,
  cassandra: `cqlsh "$AUTONOMOUS_DB_HOST" "$AUTONOMOUS_DB_PORT" -u "$AUTONOMOUS_DB_USER" -p "$AUTONOMOUS_DB_PASSWORD" -e "
CREATE ROLE IF NOT EXISTS $AUTONOMOUS_READONLY_USER WITH LOGIN = true AND PASSWORD = '$AUTONOMOUS_READONLY_PASSWORD';
ALTER ROLE $AUTONOMOUS_READONLY_USER WITH PASSWORD = '$AUTONOMOUS_READONLY_PASSWORD';
CREATE KEYSPACE IF NOT EXISTS $AUTONOMOUS_DB_NAME WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
GRANT SELECT ON KEYSPACE $AUTONOMOUS_DB_NAME TO $AUTONOMOUS_READONLY_USER;"`,
  oracle: `sql -S "$AUTONOMOUS_DB_USER/$AUTONOMOUS_DB_PASSWORD@//$AUTONOMOUS_DB_HOST:$AUTONOMOUS_DB_PORT/$AUTONOMOUS_DB_NAME" <<SQL
WHENEVER SQLERROR EXIT FAILURE
DECLARE n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM all_users WHERE username = UPPER('$AUTONOMOUS_READONLY_USER');
  IF n = 0 THEN EXECUTE IMMEDIATE 'CREATE USER $AUTONOMOUS_READONLY_USER IDENTIFIED BY "$AUTONOMOUS_READONLY_PASSWORD"';
  ELSE EXECUTE IMMEDIATE 'ALTER USER $AUTONOMOUS_READONLY_USER IDENTIFIED BY "$AUTONOMOUS_READONLY_PASSWORD"'; END IF;
END;
/
GRANT CREATE SESSION TO $AUTONOMOUS_READONLY_USER;
GRANT SELECT ANY TABLE TO $AUTONOMOUS_READONLY_USER;
EXIT
SQL`,
  mssql: `/opt/mssql-tools/bin/sqlcmd -b -S "$AUTONOMOUS_DB_HOST,$AUTONOMOUS_DB_PORT" -U "$AUTONOMOUS_DB_USER" -P "$AUTONOMOUS_DB_PASSWORD" -d "$AUTONOMOUS_DB_NAME" -Q "
IF NOT EXISTS (SELECT 1 FROM sys.sql_logins WHERE name = '$AUTONOMOUS_READONLY_USER') CREATE LOGIN [$AUTONOMOUS_READONLY_USER] WITH PASSWORD = '$AUTONOMOUS_READONLY_PASSWORD';
ALTER LOGIN [$AUTONOMOUS_READONLY_USER] WITH PASSWORD = '$AUTONOMOUS_READONLY_PASSWORD';
IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = '$AUTONOMOUS_READONLY_USER') CREATE USER [$AUTONOMOUS_READONLY_USER] FOR LOGIN [$AUTONOMOUS_READONLY_USER];
ALTER ROLE db_datareader ADD MEMBER [$AUTONOMOUS_READONLY_USER];"`,
};

const secretEnv = (name: string, secret: string, key: string): V1EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** The env every database Job gets (see the design's Job conventions). */
export function databaseJobEnv(
  instance: Pick<DatabaseInstance, 'engine'>,
  names: InstanceNames,
  settings: EngineSettings,
): V1EnvVar[] {
  return [
    { name: 'AUTONOMOUS_ENGINE', value: instance.engine },
    {
      name: 'AUTONOMOUS_DB_HOST',
      value: `${names.workload}.${names.namespace}.svc.cluster.local`,
    },
    { name: 'AUTONOMOUS_DB_PORT', value: String(settings.port) },
    { name: 'AUTONOMOUS_DB_NAME', value: names.database },
    { name: 'AUTONOMOUS_DB_USER', value: names.owner },
    secretEnv('AUTONOMOUS_DB_PASSWORD', names.secret, 'ownerPassword'),
  ];
}

/** The users Job of an instance: creates (or resets) its read-only user. */
export function usersJob(
  instance: Pick<DatabaseInstance, 'engine' | 'entityRef' | 'name'>,
  names: InstanceNames,
  settings: EngineSettings,
): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: names.usersJob,
      namespace: names.namespace,
      labels: {
        ...claimLabels(instance.entityRef),
        'autonomous.dev/database': instance.name,
        'autonomous.dev/job-kind': 'users',
      },
    },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 7 * 86_400,
      template: {
        metadata: {
          labels: {
            'autonomous.dev/database': instance.name,
            'autonomous.dev/job-kind': 'users',
          },
        },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'users',
              image: settings.toolsImage,
              command: ['/bin/sh', '-ec', COMMANDS[instance.engine]],
              env: [
                ...databaseJobEnv(instance, names, settings),
                { name: 'AUTONOMOUS_READONLY_USER', value: names.readonly },
                secretEnv(
                  'AUTONOMOUS_READONLY_PASSWORD',
                  names.secret,
                  'readonlyPassword',
                ),
              ],
            },
          ],
        },
      },
    },
  };
}

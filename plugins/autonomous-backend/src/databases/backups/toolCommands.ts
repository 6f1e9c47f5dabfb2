import { DatabaseEngine } from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * Shell (bash) run by a backup or restore Job. `backup` writes the dump to standard output;
 * `restore` reads it from /tmp/restore.dump, checks it first and only then replaces data, so a
 * corrupt dump fails the Job with the tool's message and leaves the database as it was.
 * Credentials come from the environment (AUTONOMOUS_DB_USER, AUTONOMOUS_DB_PASSWORD).
 */
export interface ToolCommands {
  backup: string;
  restore: string;
}

const PG = `-h "$AUTONOMOUS_DB_HOST" -p "$AUTONOMOUS_DB_PORT" -U "$AUTONOMOUS_DB_USER" -d "$AUTONOMOUS_DB_NAME"`;
const MYSQL = `-h "$AUTONOMOUS_DB_HOST" -P "$AUTONOMOUS_DB_PORT" -u "$AUTONOMOUS_DB_USER"`;
const MONGO_CONFIG = `printf 'password: "%s"\\n' "$AUTONOMOUS_DB_PASSWORD" > /tmp/mongo.yaml`;
const MONGO = `--config /tmp/mongo.yaml --host "$AUTONOMOUS_DB_HOST" --port "$AUTONOMOUS_DB_PORT" --username "$AUTONOMOUS_DB_USER" --authenticationDatabase "$AUTONOMOUS_DB_NAME"`;
const CQL = `cqlsh "$AUTONOMOUS_DB_HOST" "$AUTONOMOUS_DB_PORT" -u "$AUTONOMOUS_DB_USER" -p "$AUTONOMOUS_DB_PASSWORD"`;

export const DEFAULT_TOOL_COMMANDS: Record<DatabaseEngine, ToolCommands> = {
  postgresql: {
    backup: `PGPASSWORD="$AUTONOMOUS_DB_PASSWORD" pg_dump -Fc ${PG}`,
    restore: `pg_restore --list /tmp/restore.dump > /dev/null && PGPASSWORD="$AUTONOMOUS_DB_PASSWORD" pg_restore --clean --if-exists --no-owner --single-transaction ${PG} /tmp/restore.dump`,
  },
  mysql: {
    backup: `MYSQL_PWD="$AUTONOMOUS_DB_PASSWORD" mysqldump --single-transaction --routines --triggers ${MYSQL} "$AUTONOMOUS_DB_NAME"`,
    restore: `tail -c 200 /tmp/restore.dump | grep -q -- '-- Dump completed' || { echo 'the dump is incomplete (no "-- Dump completed" line)' >&2; exit 1; }; MYSQL_PWD="$AUTONOMOUS_DB_PASSWORD" mysql ${MYSQL} "$AUTONOMOUS_DB_NAME" < /tmp/restore.dump`,
  },
  mongodb: {
    backup: `${MONGO_CONFIG}; mongodump ${MONGO} --db "$AUTONOMOUS_DB_NAME" --archive --gzip`,
    restore: `${MONGO_CONFIG}; mongorestore ${MONGO} --dryRun --archive=/tmp/restore.dump --gzip && mongorestore ${MONGO} --drop --archive=/tmp/restore.dump --gzip --nsInclude "$AUTONOMOUS_DB_NAME.*"`,
  },
  redis: {
    backup: `REDISCLI_AUTH="$AUTONOMOUS_DB_PASSWORD" redis-cli -h "$AUTONOMOUS_DB_HOST" -p "$AUTONOMOUS_DB_PORT" --user "$AUTONOMOUS_DB_USER" --rdb /tmp/dump.rdb >&2 && cat /tmp/dump.rdb`,
    // A running Redis loads an RDB file only when it starts: the dump is checked, then the
    // restore needs the server's data directory, which a platform configures here.
    restore: `redis-check-rdb /tmp/restore.dump >&2 && { echo 'Redis loads an RDB file only at start: set autonomous.databases.engines.redis.restoreCommand to copy /tmp/restore.dump into the server and restart it' >&2; exit 1; }`,
  },
  cassandra: {
    // The keyspace's schema only: rows need nodetool snapshots on the nodes themselves.
    backup: `${CQL} -e "DESCRIBE KEYSPACE \\"$AUTONOMOUS_DB_NAME\\""`,
    restore: `grep -q 'CREATE KEYSPACE' /tmp/restore.dump || { echo 'the dump has no CREATE KEYSPACE statement' >&2; exit 1; }; ${CQL} -f /tmp/restore.dump`,
  },
  // Data Pump and BACKUP DATABASE write on the server: these work when the Job mounts the
  // server's dump directory at the path shown (configure a command for other layouts).
  oracle: {
    backup: `echo "datapump export -schemas $AUTONOMOUS_DB_USER -directory DATA_PUMP_DIR -dumpfile autonomous.dmp" | sql -S "$AUTONOMOUS_DB_USER/$AUTONOMOUS_DB_PASSWORD@$AUTONOMOUS_DB_HOST:$AUTONOMOUS_DB_PORT/$AUTONOMOUS_DB_NAME" >&2 && cat /opt/oracle/admin/dpdump/autonomous.dmp`,
    restore: `cp /tmp/restore.dump /opt/oracle/admin/dpdump/autonomous.dmp && echo "datapump import -schemas $AUTONOMOUS_DB_USER -directory DATA_PUMP_DIR -dumpfile autonomous.dmp" | sql -S "$AUTONOMOUS_DB_USER/$AUTONOMOUS_DB_PASSWORD@$AUTONOMOUS_DB_HOST:$AUTONOMOUS_DB_PORT/$AUTONOMOUS_DB_NAME"`,
  },
  mssql: {
    backup: `sqlcmd -S "$AUTONOMOUS_DB_HOST,$AUTONOMOUS_DB_PORT" -U "$AUTONOMOUS_DB_USER" -P "$AUTONOMOUS_DB_PASSWORD" -b -Q "BACKUP DATABASE [$AUTONOMOUS_DB_NAME] TO DISK = N'/var/opt/mssql/backup/autonomous.bak' WITH FORMAT, INIT" >&2 && cat /var/opt/mssql/backup/autonomous.bak`,
    restore: `cp /tmp/restore.dump /var/opt/mssql/backup/autonomous.bak && sqlcmd -S "$AUTONOMOUS_DB_HOST,$AUTONOMOUS_DB_PORT" -U "$AUTONOMOUS_DB_USER" -P "$AUTONOMOUS_DB_PASSWORD" -b -Q "RESTORE VERIFYONLY FROM DISK = N'/var/opt/mssql/backup/autonomous.bak'; RESTORE DATABASE [$AUTONOMOUS_DB_NAME] FROM DISK = N'/var/opt/mssql/backup/autonomous.bak' WITH REPLACE"`,
  },
};

/** Where the dump goes (standard output of `backup`) and where `restore` finds it. */
export const STORAGE_SHELL = `set -euo pipefail
put_target() {
  case "$AUTONOMOUS_BACKUP_TARGET" in
    s3://*) aws s3 cp - "$AUTONOMOUS_BACKUP_TARGET" \${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} ;;
    file://*) f="\${AUTONOMOUS_BACKUP_TARGET#file://}"; mkdir -p "$(dirname "$f")"; cat > "$f.partial"; mv "$f.partial" "$f" ;;
    *) echo "unknown backup target $AUTONOMOUS_BACKUP_TARGET" >&2; exit 2 ;;
  esac
}
get_source() {
  case "$AUTONOMOUS_RESTORE_SOURCE" in
    s3://*) aws s3 cp "$AUTONOMOUS_RESTORE_SOURCE" - \${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} ;;
    file://*) cat "\${AUTONOMOUS_RESTORE_SOURCE#file://}" ;;
    *) echo "unknown restore source $AUTONOMOUS_RESTORE_SOURCE" >&2; exit 2 ;;
  esac
}
`;

import { sha256Hex } from '../util.ts';

/** What a container the sandbox "runs" writes to its log. */
export interface ContainerScript {
  /** Lines logged at start, each with its offset from the container start. */
  startup: string[];
  /** Lines repeated while the container runs (long-running containers only). */
  repeat?: string[];
  /** For containers that end: lines logged at the end and the exit code. */
  finish?: { lines: string[]; exitCode: number };
}

const DATABASE_LOGS: Record<string, string[]> = {
  postgres: [
    'PostgreSQL Database directory appears to contain a database; Skipping initialization',
    'LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-gnu',
    'LOG:  listening on IPv4 address "0.0.0.0", port 5432',
    'LOG:  database system was shut down at {time}',
    'LOG:  database system is ready to accept connections',
  ],
  mysql: [
    '[System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.4.2) starting as process 1',
    '[System] [MY-013576] [InnoDB] InnoDB initialization has started.',
    '[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. port: 3306',
  ],
  mongo: [
    '{"t":{"$date":"{time}"},"s":"I","c":"NETWORK","msg":"Waiting for connections","attr":{"port":27017}}',
  ],
  redis: [
    '1:M {time} * Redis version=7.4.0, bits=64',
    '1:M {time} * Ready to accept connections tcp',
  ],
  cassandra: [
    'INFO  [main] Starting listening for CQL clients on /0.0.0.0:9042',
    'INFO  [main] Startup complete',
  ],
  oracle: ['Starting Oracle Net Listener.', 'DATABASE IS READY TO USE!'],
  mssql: [
    'SQL Server is now ready for client connections. This is an informational message; no user action is required.',
  ],
};

/**
 * What a pod's container writes: a Job's dump or restore, a database's start-up, or a web
 * service's start-up and requests.
 */
export function containerScript(pod: any, isJob: boolean): ContainerScript {
  const container = pod.spec.containers[0];
  const image: string = container.image ?? '';
  const name =
    pod.metadata.labels?.['app.kubernetes.io/name'] ?? container.name;
  if (isJob) {
    const command = [
      ...(container.command ?? []),
      ...(container.args ?? []),
    ].join(' ');
    const env: Record<string, string> = {};
    for (const e of container.env ?? [])
      if (typeof e.value === 'string') env[e.name] = e.value;
    const tool =
      /\b(pg_dump|pg_restore|pg_dumpall|psql|mysqldump|mysql|mongodump|mongorestore|redis-cli|cqlsh|nodetool|expdp|impdp|sqlcmd)\b/.exec(
        command,
      )?.[1];
    const target =
      env.BACKUP_PATH ||
      env.BACKUP_FILE ||
      env.TARGET ||
      /(?:-f|--file|>)\s*(\S+)/.exec(command)?.[1] ||
      `/backups/${pod.metadata.name}.dump`;
    const db =
      env.DATABASE ||
      env.PGDATABASE ||
      env.MYSQL_DATABASE ||
      env.DB_NAME ||
      'app';
    const restore =
      /restore|impdp/.test(tool ?? '') || /restore/i.test(pod.metadata.name);
    const bytes =
      1_000_000 +
      (parseInt(sha256Hex(pod.metadata.uid).slice(0, 6), 16) % 50_000_000);
    return {
      startup: [
        `job ${
          pod.metadata.labels?.['job-name'] ?? pod.metadata.name
        } started in namespace ${pod.metadata.namespace}`,
        `image: ${image}`,
        `+ ${command || '(image entrypoint)'}`,
        tool ? `${tool}: connecting to database "${db}"` : 'running the task',
      ],
      finish: {
        lines: restore
          ? [
              `${
                tool ?? 'restore'
              }: restored database "${db}" from ${target} (${bytes} bytes)`,
              'restore completed',
            ]
          : [
              `${
                tool ?? 'task'
              }: dumped database "${db}" to ${target} (${bytes} bytes)`,
              `sha256: ${sha256Hex(target + bytes)}`,
              'backup completed',
            ],
        exitCode: 0,
      },
    };
  }
  const engine = Object.keys(DATABASE_LOGS).find(
    e =>
      image.includes(e) || (e === 'postgres' && image.includes('postgresql')),
  );
  if (engine && pod.metadata.ownerReferences?.[0]?.kind === 'StatefulSet') {
    return {
      startup: DATABASE_LOGS[engine],
      repeat: [`checkpoint complete: wrote 3 buffers`],
    };
  }
  const port = container.ports?.[0]?.containerPort ?? 8080;
  return {
    startup: [
      `Starting ${name} (image ${image})`,
      `Loaded configuration for namespace ${pod.metadata.namespace}`,
      `Listening on http://0.0.0.0:${port}`,
    ],
    repeat: [
      'GET /healthz 200 1ms',
      'GET / 200 14ms',
      'GET /healthz 200 1ms',
      'GET /api/items 200 32ms',
    ],
  };
}

import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  BACKUP_VOLUME_MOUNT,
  BackupStorageConfig,
  KubernetesClient,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ENTITY_CLAIM_LABELS,
  ENTITY_REF_ANNOTATION,
} from '../../service/UpstreamBindings';
import { BackupSettingsConfig } from './settings';
import { STORAGE_SHELL } from './toolCommands';

// The Kubernetes types, as the node library's client takes them.
export type V1Job = Parameters<KubernetesClient['ensureJob']>[1];
export type V1CronJob = Parameters<
  KubernetesClient['createOrReplaceCronJob']
>[1];
type V1PodSpec = NonNullable<NonNullable<V1Job['spec']>['template']['spec']>;
type V1EnvVar = NonNullable<V1PodSpec['containers'][number]['env']>[number];

export type JobKind = 'backup' | 'restore' | 'scheduled-backup';

export const LABELS = {
  database: 'autonomous.dev/database',
  kind: 'autonomous.dev/job-kind',
  backupId: 'autonomous.dev/backup-id',
} as const;

/** The CronJob of an instance's scheduled backups. */
export const cronJobName = (instance: { name: string }) =>
  `${instance.name}-backup`;

/** The object key of a scheduled Job's dump: found again from the Job's name. */
export const scheduledObjectKey = (instanceName: string, jobName: string) =>
  `${instanceName}/scheduled/${jobName}.dump`;

/**
 * Where the Job reaches the database from inside the cluster: the chart's Service is named after
 * the instance and its database after the name with "_" for "-" (as provisioning names them).
 */
function address(instance: DatabaseInstance, defaultPort: number) {
  return {
    host: `${instance.name}.${instance.namespace}.svc.cluster.local`,
    port: String(instance.connection?.port ?? defaultPort),
    database: instance.connection?.database ?? instance.name.replace(/-/g, '_'),
  };
}

function claimLabels(instance: DatabaseInstance): Record<string, string> {
  const ref = parseEntityRef(instance.entityRef);
  return {
    [ENTITY_CLAIM_LABELS.kind]: ref.kind.toLocaleLowerCase('en-US'),
    [ENTITY_CLAIM_LABELS.namespace]: ref.namespace,
    [ENTITY_CLAIM_LABELS.name]: ref.name,
  };
}

const secretEnv = (name: string, secret: string, key: string): V1EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

export interface JobContext {
  settings: BackupSettingsConfig;
  storage: BackupStorageConfig;
}

function podSpec(
  instance: DatabaseInstance,
  ctx: JobContext,
  io: { name: string; value: string },
  script: string,
): V1PodSpec {
  const { host, port, database } = address(
    instance,
    ctx.settings.ports[instance.engine],
  );
  const credentials = `${instance.name}-credentials`;
  const env: V1EnvVar[] = [
    // First, so that a target ending in $(JOB_NAME) expands (Kubernetes expands earlier vars).
    {
      name: 'JOB_NAME',
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } },
    },
    { name: 'AUTONOMOUS_ENGINE', value: instance.engine },
    { name: 'AUTONOMOUS_DB_HOST', value: host },
    { name: 'AUTONOMOUS_DB_PORT', value: port },
    { name: 'AUTONOMOUS_DB_NAME', value: database },
    secretEnv('AUTONOMOUS_DB_USER', credentials, 'ownerUsername'),
    secretEnv('AUTONOMOUS_DB_PASSWORD', credentials, 'ownerPassword'),
    io,
  ];
  const spec: V1PodSpec = {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'dump',
        image: ctx.settings.toolsImages[instance.engine],
        command: ['/bin/bash', '-c', `${STORAGE_SHELL}\n${script}`],
        env,
      },
    ],
  };
  const storage = ctx.storage;
  if (storage.type === 's3') {
    env.push({ name: 'AWS_REGION', value: storage.region });
    if (storage.endpoint) {
      env.push({ name: 'AWS_ENDPOINT_URL', value: storage.endpoint });
    }
    if (storage.credentialsSecret) {
      env.push(
        secretEnv(
          'AWS_ACCESS_KEY_ID',
          storage.credentialsSecret,
          'AWS_ACCESS_KEY_ID',
        ),
        secretEnv(
          'AWS_SECRET_ACCESS_KEY',
          storage.credentialsSecret,
          'AWS_SECRET_ACCESS_KEY',
        ),
      );
    }
  } else {
    spec.volumes = [
      {
        name: 'backups',
        persistentVolumeClaim: { claimName: storage.claimName },
      },
    ];
    spec.containers[0].volumeMounts = [
      { name: 'backups', mountPath: BACKUP_VOLUME_MOUNT },
    ];
  }
  return spec;
}

function metadata(
  instance: DatabaseInstance,
  name: string,
  kind: JobKind,
  backupId?: string,
) {
  const labels: Record<string, string> = {
    ...claimLabels(instance),
    [LABELS.database]: instance.name,
    [LABELS.kind]: kind,
  };
  if (backupId) labels[LABELS.backupId] = backupId;
  return {
    name,
    namespace: instance.namespace,
    labels,
    annotations: { [ENTITY_REF_ANNOTATION]: instance.entityRef },
  };
}

function job(meta: ReturnType<typeof metadata>, spec: V1PodSpec): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta,
    spec: {
      // One attempt: a failed dump is reported with its reason, not retried behind the user's back.
      backoffLimit: 0,
      template: { metadata: { labels: meta.labels }, spec },
    },
  };
}

/** A manual or final backup: the engine's dump tool piped to `target`. */
export function backupJob(
  instance: DatabaseInstance,
  backup: { id: string; jobName: string },
  target: string,
  ctx: JobContext,
): V1Job {
  const commands = ctx.settings.commands[instance.engine];
  return job(
    metadata(instance, backup.jobName, 'backup', backup.id),
    podSpec(
      instance,
      ctx,
      { name: 'AUTONOMOUS_BACKUP_TARGET', value: target },
      `{ ${commands.backup}; } | put_target`,
    ),
  );
}

/** A restore of the dump at `source` into `instance`. */
export function restoreJob(
  instance: DatabaseInstance,
  restore: { jobName: string; backupId: string },
  source: string,
  ctx: JobContext,
): V1Job {
  const commands = ctx.settings.commands[instance.engine];
  return job(
    metadata(instance, restore.jobName, 'restore', restore.backupId),
    podSpec(
      instance,
      ctx,
      { name: 'AUTONOMOUS_RESTORE_SOURCE', value: source },
      `get_source > /tmp/restore.dump\n${commands.restore}`,
    ),
  );
}

/**
 * The CronJob of scheduled backups. Its target ends in `$(JOB_NAME).dump`, so the watcher finds
 * each run's dump by the Job's name; no backup-id label (the rows are made from the Jobs).
 */
export function scheduledBackupCronJob(
  instance: DatabaseInstance,
  schedule: string,
  locationOf: (key: string) => string,
  ctx: JobContext,
): V1CronJob {
  const meta = metadata(instance, cronJobName(instance), 'scheduled-backup');
  const target = locationOf(scheduledObjectKey(instance.name, '$(JOB_NAME)'));
  const template = backupJob(
    instance,
    { id: '', jobName: meta.name },
    target,
    ctx,
  );
  const labels = { ...meta.labels };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta,
    spec: {
      schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      // Finished Jobs stay long enough for the watcher to record them.
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels },
            spec: template.spec!.template.spec,
          },
        },
      },
    },
  };
}

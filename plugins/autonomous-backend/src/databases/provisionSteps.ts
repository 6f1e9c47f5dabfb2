import { DATABASE_ENGINE_TITLES } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamError } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { randomBytes } from 'node:crypto';
import { helmParametersFor } from './engines';
import { claimLabels, labelsClaim } from './names';
import { StepContext, StepDefinition, StepResult } from './types';
import { usersJob } from './usersJob';

/** The four keys of an instance's credentials, in Vault and in its Kubernetes Secret. */
export type Credentials = {
  ownerUsername: string;
  ownerPassword: string;
  readonlyUsername: string;
  readonlyPassword: string;
};

const CREDENTIAL_KEYS: Array<keyof Credentials> = [
  'ownerUsername',
  'ownerPassword',
  'readonlyUsername',
  'readonlyPassword',
];

/** 32 random bytes as base64url: letters, digits, - and _, safe in every engine's quoting. */
const newPassword = () => randomBytes(32).toString('base64url');

const minutes = (ms: number) =>
  ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;

/** The credentials at the instance's Vault path, when all four keys are there. */
export async function readCredentials(
  ctx: Pick<StepContext, 'vault' | 'names'>,
): Promise<Credentials | undefined> {
  const secret = await ctx.vault.readSecret(ctx.names.vaultPath);
  const data = secret?.data as Record<string, unknown> | undefined;
  if (!data) return undefined;
  if (!CREDENTIAL_KEYS.every(k => typeof data[k] === 'string' && data[k]))
    return undefined;
  return Object.fromEntries(
    CREDENTIAL_KEYS.map(k => [k, String(data[k])]),
  ) as Credentials;
}

const namespace: StepDefinition = {
  event: 'namespace',
  status: 'preparing',
  starting: ({ names }) => `Creating namespace ${names.namespace}`,
  async run({ kubernetes, names, instance }) {
    const existing = await kubernetes.getNamespace(names.namespace);
    if (
      existing &&
      !labelsClaim(existing.metadata?.labels, instance.entityRef)
    ) {
      return {
        fail: `Namespace ${names.namespace} already exists and does not belong to ${instance.entityRef}: pick another name for the database`,
      };
    }
    await kubernetes.ensureNamespace(names.namespace, {
      ...claimLabels(instance.entityRef),
      'autonomous.dev/database': instance.name,
    });
    return { done: `Namespace ${names.namespace} is ready` };
  },
};

const credentials: StepDefinition = {
  event: 'credentials',
  status: 'preparing',
  starting: ({ names }) =>
    `Generating the owner and read-only passwords into Vault at ${names.vaultPath}`,
  async run(ctx) {
    const { vault, names } = ctx;
    // A resumed step finds what it wrote before: the passwords are never generated twice.
    if (await readCredentials(ctx)) {
      return {
        done: `Credentials for ${names.owner} and ${names.readonly} are in Vault at ${names.vaultPath}`,
      };
    }
    const existing = await vault.readMetadata(names.vaultPath);
    const data: Credentials = {
      ownerUsername: names.owner,
      ownerPassword: newPassword(),
      readonlyUsername: names.readonly,
      readonlyPassword: newPassword(),
    };
    try {
      // Check-and-set on the version read: of two writers, only the first gets in.
      await vault.writeSecret(names.vaultPath, data, {
        cas: existing?.current_version ?? 0,
      });
    } catch (error) {
      if ((error as UpstreamError).status !== 400) throw error;
      if (!(await readCredentials(ctx))) throw error;
    }
    return {
      done: `Passwords for ${names.owner} and ${names.readonly} generated and written to Vault at ${names.vaultPath}`,
    };
  },
};

const secret: StepDefinition = {
  event: 'secret',
  status: 'preparing',
  starting: ({ names }) =>
    `Writing the Kubernetes Secret ${names.namespace}/${names.secret}`,
  async run(ctx) {
    const { kubernetes, names, instance } = ctx;
    const values = await readCredentials(ctx);
    if (!values) {
      return {
        fail: `The credentials are missing from Vault at ${names.vaultPath}: they were removed after they were written`,
      };
    }
    await kubernetes.applySecret(names.namespace, names.secret, values, {
      labels: {
        ...claimLabels(instance.entityRef),
        'autonomous.dev/database': instance.name,
      },
    });
    return {
      done: `Secret ${names.namespace}/${names.secret} holds the credentials`,
    };
  },
};

const application: StepDefinition = {
  event: 'application',
  status: 'installing',
  starting: ({ names, engine }) =>
    `Installing chart ${engine.chart} ${engine.chartVersion} through ArgoCD application ${names.application}`,
  async run({ argocd, names, instance, engine, entity, bindings }) {
    let existing;
    try {
      existing = await argocd.getApplication(names.application);
    } catch (error) {
      if ((error as UpstreamError).status !== 404) throw error;
    }
    const refusal = existing && bindings.applicationRefusal(entity, existing);
    if (refusal) return { fail: refusal };
    // Upsert replaces the whole spec: repeating it after a restart converges to the same app.
    await argocd.upsertApplication({
      name: names.application,
      repoURL: engine.repoURL,
      chart: engine.chart,
      targetRevision: engine.chartVersion,
      helmParameters: helmParametersFor(engine, {
        name: names.workload,
        database: names.database,
        owner: names.owner,
        secret: names.secret,
        version: instance.version,
        storageGi: instance.storageGi,
      }),
      destinationNamespace: names.namespace,
      automatedSync: true,
      labels: {
        ...claimLabels(instance.entityRef),
        'autonomous.dev/database': instance.name,
      },
    });
    return {
      done: `ArgoCD application ${names.application} installs ${
        DATABASE_ENGINE_TITLES[instance.engine]
      } ${instance.version} (chart ${engine.chart} ${
        engine.chartVersion
      }) into ${names.namespace}`,
    };
  },
};

async function notFoundAsUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (error) {
    if ((error as UpstreamError).status === 404) return undefined;
    throw error;
  }
}

const readiness: StepDefinition = {
  event: 'readiness',
  status: 'checking',
  starting: ({ names, settings }) =>
    `Waiting for StatefulSet ${names.namespace}/${
      names.workload
    }, its volume and its Service (up to ${minutes(
      settings.readinessTimeoutMs,
    )})`,
  async run({
    kubernetes,
    names,
    settings,
    progress,
    now,
  }): Promise<StepResult> {
    const [set, pvc, endpoints] = await Promise.all([
      notFoundAsUndefined(
        kubernetes.getStatefulSetStatus(names.namespace, names.workload),
      ),
      notFoundAsUndefined(
        kubernetes.getPersistentVolumeClaim(names.namespace, names.pvc),
      ),
      kubernetes.countReadyEndpoints(names.namespace, names.workload),
    ]);
    const bound = pvc?.status?.phase === 'Bound';
    if (set?.ready && bound && endpoints > 0) {
      return {
        done: `StatefulSet ${names.workload} is ready (${set.readyReplicas}/${
          set.desiredReplicas
        }), volume ${names.pvc} is bound, Service ${
          names.workload
        } has ${endpoints} ready endpoint${endpoints === 1 ? '' : 's'}`,
      };
    }
    const started = Date.parse(progress.stepStartedAt ?? now.toISOString());
    if (now.getTime() - started > settings.readinessTimeoutMs) {
      return {
        fail: `Not ready after ${minutes(
          settings.readinessTimeoutMs,
        )}: StatefulSet ${
          set ? `${set.readyReplicas}/${set.desiredReplicas} ready` : 'missing'
        }, volume ${
          pvc?.status?.phase ?? 'missing'
        }, ${endpoints} ready endpoints`,
      };
    }
    return { wait: settings.pollIntervalMs };
  },
};

const users: StepDefinition = {
  event: 'users',
  status: 'checking',
  starting: ({ names }) =>
    `Creating the read-only user ${names.readonly} with Job ${names.namespace}/${names.usersJob}`,
  async run({ kubernetes, names, instance, engine, settings, progress, now }) {
    // Get-or-create by name: a resumed step waits for the Job it created before.
    await kubernetes.ensureJob(
      names.namespace,
      usersJob(instance, names, engine),
    );
    const job = await kubernetes.getJobStatus(names.namespace, names.usersJob);
    if (job.phase === 'succeeded') {
      return {
        done: `Read-only user ${names.readonly} can read ${names.database} and change nothing`,
      };
    }
    if (job.phase === 'failed') {
      return {
        fail: `Job ${names.usersJob} could not create the read-only user: ${
          job.message ?? 'it failed'
        } (its pod log says why)`,
      };
    }
    const started = Date.parse(progress.stepStartedAt ?? now.toISOString());
    if (now.getTime() - started > settings.jobTimeoutMs) {
      return {
        fail: `Job ${names.usersJob} did not finish within ${minutes(
          settings.jobTimeoutMs,
        )}`,
      };
    }
    return { wait: settings.pollIntervalMs };
  },
};

const restore: StepDefinition = {
  event: 'restore',
  status: 'checking',
  applies: ({ instance }) => Boolean(instance.restoreFromBackupId),
  starting: ({ instance }) =>
    `Restoring backup ${instance.restoreFromBackupId} into the new database`,
  async run({ hooks, instance, progress, settings, now }): Promise<StepResult> {
    const backupId = instance.restoreFromBackupId!;
    if (!hooks) {
      return {
        fail: `Backup ${backupId} cannot be restored: this backend has no backups module`,
      };
    }
    if (!progress.restoreId) {
      const restoreId = await hooks.startRestore(
        instance,
        backupId,
        instance.createdBy,
      );
      return { wait: settings.pollIntervalMs, remember: { restoreId } };
    }
    const state = await hooks.progress(progress.restoreId);
    if (state.state === 'succeeded') {
      return { done: `Backup ${backupId} is restored` };
    }
    if (state.state === 'failed') {
      return {
        fail: `Backup ${backupId} could not be restored: ${state.reason}`,
      };
    }
    const started = Date.parse(progress.stepStartedAt ?? now.toISOString());
    if (now.getTime() - started > settings.backupTimeoutMs) {
      return {
        fail: `The restore of backup ${backupId} did not finish within ${minutes(
          settings.backupTimeoutMs,
        )}`,
      };
    }
    return { wait: settings.pollIntervalMs };
  },
};

const profile: StepDefinition = {
  event: 'profile',
  status: 'checking',
  starting: ({ names }) =>
    `Reading the connection profile from Service ${names.namespace}/${names.workload}`,
  async run({ kubernetes, names, engine }) {
    const service = await kubernetes.getService(
      names.namespace,
      names.workload,
    );
    const ingress = service.status?.loadBalancer?.ingress?.[0];
    const host =
      ingress?.ip ||
      ingress?.hostname ||
      `${names.workload}.${names.namespace}.svc.cluster.local`;
    const port = service.spec?.ports?.[0]?.port ?? engine.port;
    return {
      done: `Connect to ${host}:${port}, database ${names.database}, as ${names.owner} (owner) or ${names.readonly} (read-only)`,
      connection: {
        host,
        port,
        database: names.database,
        username: names.owner,
        readonlyUsername: names.readonly,
      },
    };
  },
};

export const PROVISION_STEPS = {
  namespace,
  credentials,
  secret,
  application,
  readiness,
  users,
  restore,
  profile,
};

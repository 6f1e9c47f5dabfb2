import { UpstreamError } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { StepDefinition, StepResult } from './types';

const finalBackup: StepDefinition = {
  event: 'final-backup',
  status: 'deleting',
  starting: ({ instance }) => `Taking a final backup of ${instance.name}`,
  async run({ hooks, instance, progress, settings, now }): Promise<StepResult> {
    if (!instance.connection) {
      // Never ready: there is nothing in it to keep.
      return {
        done: `No final backup: ${instance.name} never became ready, so it holds no data`,
      };
    }
    if (!hooks) {
      return {
        fail: 'No final backup could be taken: this backend has no backups module. Delete with finalBackup: false to delete without one',
      };
    }
    if (!progress.finalBackupId) {
      const finalBackupId = await hooks.startFinalBackup(
        instance,
        progress.deleteRequestedBy ?? instance.createdBy,
      );
      return { wait: settings.pollIntervalMs, remember: { finalBackupId } };
    }
    const state = await hooks.progress(progress.finalBackupId);
    if (state.state === 'succeeded') {
      return {
        done: `Final backup ${progress.finalBackupId} is kept; it outlives the database`,
      };
    }
    if (state.state === 'failed') {
      return {
        fail: `The final backup failed, so nothing was deleted: ${state.reason}`,
      };
    }
    const started = Date.parse(progress.stepStartedAt ?? now.toISOString());
    if (now.getTime() - started > settings.backupTimeoutMs) {
      return {
        fail: `The final backup did not finish within ${Math.round(
          settings.backupTimeoutMs / 60_000,
        )} min, so nothing was deleted`,
      };
    }
    return { wait: settings.pollIntervalMs };
  },
};

/**
 * Removes what provisioning made, each removal idempotent: the ArgoCD application (cascade,
 * which takes the StatefulSet, volume and Service), the Vault secret, the Kubernetes Secret and
 * the namespace. The instance's row, its events and its backups stay.
 */
const remove: StepDefinition = {
  event: 'deleting',
  status: 'deleting',
  starting: ({ names }) =>
    `Removing ArgoCD application ${names.application}, the Vault secret at ${names.vaultPath} and namespace ${names.namespace}`,
  async run({ argocd, kubernetes, vault, names, entity, bindings }) {
    let app;
    try {
      app = await argocd.getApplication(names.application);
    } catch (error) {
      if ((error as UpstreamError).status !== 404) throw error;
    }
    const refusal = app && bindings.applicationRefusal(entity, app);
    if (refusal) return { fail: refusal };
    if (app)
      await argocd.deleteApplication(names.application, { cascade: true });
    if (await vault.readMetadata(names.vaultPath)) {
      await vault.deleteSecret(names.vaultPath);
    }
    await kubernetes.deleteSecret(names.namespace, names.secret);
    await kubernetes.deleteNamespace(names.namespace);
    return {
      done: `Removed ArgoCD application ${names.application} with its resources, the Vault secret and namespace ${names.namespace}`,
    };
  },
};

export const DELETE_STEPS = { 'final-backup': finalBackup, remove };

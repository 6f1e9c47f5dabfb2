import {
  BackupStorageConfig,
  KubernetesClient,
} from '@autonomous-dev/backstage-plugin-autonomous-node';

/**
 * The Secret S3 Jobs read their keys from (`credentialsSecret`), written into the instance's
 * namespace from the backend's own S3 keys when both are configured; otherwise the platform
 * provides it there.
 */
export async function ensureStorageSecret(
  kube: KubernetesClient,
  namespace: string,
  storage: BackupStorageConfig,
): Promise<void> {
  if (storage.type !== 's3' || !storage.credentialsSecret) return;
  if (!storage.accessKeyId || !storage.secretAccessKey) return;
  await kube.applySecret(namespace, storage.credentialsSecret, {
    AWS_ACCESS_KEY_ID: storage.accessKeyId,
    AWS_SECRET_ACCESS_KEY: storage.secretAccessKey,
  });
}

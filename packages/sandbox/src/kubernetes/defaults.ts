import type { SandboxContext } from '../context.ts';
import { isoSeconds } from '../util.ts';
import type { ResourceType } from './types.ts';

/**
 * The fields the API server (and its admission) fills in on create: a Service's cluster IP, a
 * Deployment's strategy, a Job's selector and labels, a claim bound at once.
 */
export function applyDefaults(
  ctx: SandboxContext,
  type: ResourceType,
  obj: any,
  allocateClusterIP: () => string,
) {
  switch (type.plural) {
    case 'namespaces':
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      break;
    case 'secrets':
      obj.type = obj.type ?? 'Opaque';
      if (obj.stringData) {
        obj.data = obj.data ?? {};
        for (const [k, v] of Object.entries(obj.stringData)) {
          obj.data[k] = Buffer.from(String(v)).toString('base64');
        }
        delete obj.stringData;
      }
      break;
    case 'services':
      obj.spec = obj.spec ?? {};
      obj.spec.type = obj.spec.type ?? 'ClusterIP';
      obj.spec.clusterIP = obj.spec.clusterIP ?? allocateClusterIP();
      obj.spec.clusterIPs = [obj.spec.clusterIP];
      obj.spec.sessionAffinity = obj.spec.sessionAffinity ?? 'None';
      obj.spec.ports = (obj.spec.ports ?? []).map((p: any) => ({
        protocol: 'TCP',
        targetPort: p.port,
        ...p,
      }));
      obj.status = { loadBalancer: {} };
      break;
    case 'deployments':
      obj.spec.replicas = obj.spec.replicas ?? 1;
      obj.spec.revisionHistoryLimit = obj.spec.revisionHistoryLimit ?? 10;
      obj.spec.progressDeadlineSeconds =
        obj.spec.progressDeadlineSeconds ?? 600;
      obj.spec.strategy = obj.spec.strategy ?? {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      };
      obj.status = obj.status ?? {};
      break;
    case 'statefulsets':
      obj.spec.replicas = obj.spec.replicas ?? 1;
      obj.spec.podManagementPolicy =
        obj.spec.podManagementPolicy ?? 'OrderedReady';
      obj.status = obj.status ?? { replicas: 0, availableReplicas: 0 };
      break;
    case 'jobs':
      obj.spec.backoffLimit = obj.spec.backoffLimit ?? 6;
      obj.spec.completions = obj.spec.completions ?? 1;
      obj.spec.parallelism = obj.spec.parallelism ?? 1;
      obj.spec.completionMode = obj.spec.completionMode ?? 'NonIndexed';
      obj.spec.selector = obj.spec.selector ?? {
        matchLabels: {
          'batch.kubernetes.io/controller-uid': obj.metadata.uid,
        },
      };
      obj.spec.template.metadata = obj.spec.template.metadata ?? {};
      obj.spec.template.metadata.labels = {
        ...(obj.spec.template.metadata.labels ?? {}),
        'batch.kubernetes.io/controller-uid': obj.metadata.uid,
        'batch.kubernetes.io/job-name': obj.metadata.name,
        'controller-uid': obj.metadata.uid,
        'job-name': obj.metadata.name,
      };
      obj.status = { active: 0, startTime: isoSeconds(ctx.now()) };
      break;
    case 'cronjobs':
      obj.spec.concurrencyPolicy = obj.spec.concurrencyPolicy ?? 'Allow';
      obj.spec.suspend = obj.spec.suspend ?? false;
      obj.spec.successfulJobsHistoryLimit =
        obj.spec.successfulJobsHistoryLimit ?? 3;
      obj.spec.failedJobsHistoryLimit = obj.spec.failedJobsHistoryLimit ?? 1;
      obj.status = {};
      break;
    case 'persistentvolumeclaims':
      obj.spec = obj.spec ?? {};
      obj.spec.storageClassName = obj.spec.storageClassName ?? 'standard';
      obj.spec.volumeMode = obj.spec.volumeMode ?? 'Filesystem';
      obj.spec.volumeName = obj.spec.volumeName ?? `pvc-${obj.metadata.uid}`;
      obj.status = {
        phase: 'Bound',
        accessModes: obj.spec.accessModes ?? ['ReadWriteOnce'],
        capacity: { storage: obj.spec.resources?.requests?.storage ?? '8Gi' },
      };
      break;
    case 'ingresses':
      obj.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
      break;
    default:
      break;
  }
}

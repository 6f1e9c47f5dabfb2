/** The resource types the sandbox's API server knows, by plural and by kind. */
export interface ResourceType {
  plural: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
}

export const RESOURCE_TYPES: ResourceType[] = [
  {
    plural: 'namespaces',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
  },
  {
    plural: 'secrets',
    kind: 'Secret',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'configmaps',
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'services',
    kind: 'Service',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'endpoints',
    kind: 'Endpoints',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  { plural: 'pods', kind: 'Pod', group: '', version: 'v1', namespaced: true },
  {
    plural: 'events',
    kind: 'Event',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'deployments',
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'replicasets',
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'statefulsets',
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'jobs',
    kind: 'Job',
    group: 'batch',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'cronjobs',
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'daemonsets',
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'limitranges',
    kind: 'LimitRange',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'resourcequotas',
    kind: 'ResourceQuota',
    group: '',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
  },
  {
    // Argo Rollouts' CRD (status subresource: see rollouts/subresource.ts).
    plural: 'rollouts',
    kind: 'Rollout',
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespaced: true,
  },
  {
    plural: 'ingresses',
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
  },
  {
    plural: 'certificates',
    kind: 'Certificate',
    group: 'cert-manager.io',
    version: 'v1',
    namespaced: true,
  },
];

export const BY_PLURAL = new Map(RESOURCE_TYPES.map(t => [t.plural, t]));
export const BY_KIND = new Map(RESOURCE_TYPES.map(t => [t.kind, t]));

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function listKind(type: ResourceType) {
  return `${type.kind}List`;
}

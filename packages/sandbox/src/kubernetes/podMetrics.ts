import type { Router } from 'express';
import type { KubernetesState } from './state.ts';

/** The path the Kubernetes plugin (through @kubernetes/client-node's `Metrics`) reads. */
export const POD_METRICS_PATH =
  '/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods';

/**
 * What a metrics-server serves for the running pods of a namespace (`PodMetricsList`). The
 * Kubernetes plugin asks for it on every look at an entity's pods and warns "There was a problem
 * retrieving Kubernetes objects" when it is missing. The usage is steady and made up, as
 * everything the sandbox runs: a small share of CPU and memory per container.
 */
export function podMetricsRoutes(router: Router, state: KubernetesState) {
  router.get(
    '/apis/metrics.k8s.io/v1beta1/namespaces/:namespace/pods',
    (req, res) => {
      res.locals.template = POD_METRICS_PATH;
      const labelSelector =
        typeof req.query.labelSelector === 'string'
          ? req.query.labelSelector
          : undefined;
      const pods = state
        .list('pods', req.params.namespace, labelSelector)
        .filter(pod => pod.status?.phase === 'Running');
      res.json({
        kind: 'PodMetricsList',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {},
        items: pods.map(pod => ({
          metadata: {
            name: pod.metadata.name,
            namespace: pod.metadata.namespace,
            labels: pod.metadata.labels ?? {},
            creationTimestamp: new Date().toISOString(),
          },
          timestamp: new Date().toISOString(),
          window: '15s',
          containers: (pod.spec?.containers ?? []).map(
            (container: { name: string }) => ({
              name: container.name,
              usage: { cpu: '2500000n', memory: '24576Ki' },
            }),
          ),
        })),
      });
    },
  );
}

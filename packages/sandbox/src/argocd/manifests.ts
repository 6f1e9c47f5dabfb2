import { ingressExtras } from './ingressTls.ts';
import { helmValues, imageFromValues } from './sources.ts';
import { progressiveManifests } from '../rollouts/chart.ts';

/** Helm charts whose name makes the sandbox render a database (StatefulSet + PVC + Service). */
export const DATABASE_ENGINES: {
  pattern: RegExp;
  engine: string;
  image: string;
  port: number;
}[] = [
  {
    pattern: /postgres/,
    engine: 'postgresql',
    image: 'postgres:16',
    port: 5432,
  },
  { pattern: /mariadb/, engine: 'mariadb', image: 'mariadb:11', port: 3306 },
  { pattern: /mysql/, engine: 'mysql', image: 'mysql:8.4', port: 3306 },
  { pattern: /mongo/, engine: 'mongodb', image: 'mongo:7', port: 27017 },
  { pattern: /redis|valkey/, engine: 'redis', image: 'redis:7', port: 6379 },
  {
    pattern: /cassandra/,
    engine: 'cassandra',
    image: 'cassandra:5',
    port: 9042,
  },
  { pattern: /oracle/, engine: 'oracle', image: 'oracle-free:23', port: 1521 },
  {
    pattern: /mssql|sqlserver/,
    engine: 'mssql',
    image: 'mssql-server:2022',
    port: 1433,
  },
];

function ingressHosts(values: Record<string, string>): string[] {
  const hosts = new Set<string>();
  for (const [k, v] of Object.entries(values)) {
    if (
      /^ingress\.hosts(\[\d+\])?(\.host)?$/.test(k) ||
      /^ingress\.host$/.test(k) ||
      /^ingress\.hosts\[\d+\]\.host$/.test(k)
    ) {
      for (const h of v.replace(/[{}]/g, '').split(','))
        if (h.trim()) hosts.add(h.trim());
    }
  }
  return [...hosts];
}

export interface Manifest {
  plural: string;
  body: any;
}

/**
 * What the application's chart renders into its destination namespace `ns`: a database chart a
 * Service and a StatefulSet with a volume claim, any other chart a Service, a Deployment and, with
 * hosts in its values, an Ingress. `databasePort` is the port of the real server that plays the
 * database, when one does.
 */
export function renderManifests(
  app: any,
  source: any,
  ns: string,
  databasePort?: number,
): Manifest[] {
  const appName = app.metadata.name;
  const values = helmValues(source);
  const name = values.fullnameOverride || appName;
  const chartId = `${source.chart ?? ''} ${source.path ?? ''}`.toLowerCase();
  const db = DATABASE_ENGINES.find(e => e.pattern.test(chartId));
  const labels = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': appName,
    'app.kubernetes.io/managed-by': 'Helm',
    'backstage.io/kubernetes-id':
      app.metadata.labels?.['backstage.io/kubernetes-id'] ?? appName,
  };
  const selector = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': appName,
  };
  const annotations = {
    'argocd.argoproj.io/tracking-id': `${appName}:apps/Deployment:${ns}/${name}`,
  };
  const manifests: { plural: string; body: any }[] = [];
  if (db) {
    const image = values['image.repository']
      ? imageFromValues(values, db.image)
      : db.image;
    const port =
      databasePort ??
      Number(
        values['service.port'] ??
          values['primary.service.ports.postgresql'] ??
          db.port,
      );
    manifests.push({
      plural: 'services',
      body: {
        metadata: { name, labels },
        spec: {
          selector,
          ports: [{ name: 'db', port, targetPort: port, protocol: 'TCP' }],
        },
      },
    });
    manifests.push({
      plural: 'statefulsets',
      body: {
        metadata: {
          name,
          labels,
          annotations: {
            ...annotations,
            'argocd.argoproj.io/tracking-id': `${appName}:apps/StatefulSet:${ns}/${name}`,
          },
        },
        spec: {
          replicas: 1,
          serviceName: name,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: db.engine,
                  image,
                  ports: [{ name: 'db', containerPort: port, protocol: 'TCP' }],
                  volumeMounts: [{ name: 'data', mountPath: '/var/lib/data' }],
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: {
                  requests: {
                    storage:
                      values['persistence.size'] ??
                      values['primary.persistence.size'] ??
                      '8Gi',
                  },
                },
              },
            },
          ],
        },
      },
    });
  } else {
    const image = imageFromValues(values, `sandbox/${name}`);
    const containerPort = Number(
      values.containerPort ?? values['service.targetPort'] ?? 8080,
    );
    const servicePort = Number(values['service.port'] ?? 80);
    manifests.push({
      plural: 'services',
      body: {
        metadata: { name, labels },
        spec: {
          selector,
          ports: [
            {
              name: 'http',
              port: servicePort,
              targetPort: containerPort,
              protocol: 'TCP',
            },
          ],
        },
      },
    });
    manifests.push({
      plural: 'deployments',
      body: {
        metadata: { name, labels, annotations },
        spec: {
          replicas: Number(values.replicaCount ?? 1),
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name,
                  image,
                  ports: [{ name: 'http', containerPort, protocol: 'TCP' }],
                  readinessProbe: {
                    httpGet: { path: '/healthz', port: 'http' },
                  },
                },
              ],
            },
          },
        },
      },
    });
    const hosts = ingressHosts(values);
    const extras = ingressExtras(values);
    if (hosts.length && extras.enabled) {
      manifests.push({
        plural: 'ingresses',
        body: {
          metadata: {
            name,
            labels,
            ...(extras.annotations ? { annotations: extras.annotations } : {}),
          },
          spec: {
            ...(extras.tls.length ? { tls: extras.tls } : {}),
            ingressClassName: values['ingress.className'] ?? 'nginx',
            rules: hosts.map(host => ({
              host,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: {
                      service: { name, port: { number: servicePort } },
                    },
                  },
                ],
              },
            })),
          },
        },
      });
    }
  }
  return progressiveManifests(values, manifests);
}

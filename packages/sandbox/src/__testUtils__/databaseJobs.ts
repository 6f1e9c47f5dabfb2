import { randomBytes } from 'node:crypto';
import { auth, eventually } from './contractClient.ts';
import type { ContractClient } from './contractClient.ts';

/** A name no earlier test run used: real servers outlive the sandbox. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  app: string;
  namespace: string;
  database: string;
  owner: string;
  ownerPassword: string;
  readonly: string;
  readonlyPassword: string;
}

/**
 * What the backend does to provision a database, through the sandbox's APIs: a namespace, the
 * credentials Secret, and an Argo CD application of the engine's chart that names it.
 */
export async function provisionDatabase(
  client: ContractClient,
  chart: string,
  name: string,
): Promise<TestDatabase> {
  const db: TestDatabase = {
    app: `db-${name.replace(/_/g, '-')}`,
    namespace: `db-${name.replace(/_/g, '-')}`,
    database: name,
    owner: `${name}_owner`,
    ownerPassword: randomBytes(12).toString('hex'),
    readonly: `${name}_ro`,
    readonlyPassword: randomBytes(12).toString('hex'),
  };
  const ns = await client.json(
    'kubernetes',
    '/api/v1/namespaces',
    'POST',
    { metadata: { name: db.namespace } },
    auth.kubernetes,
  );
  expect(ns.status).toBe(201);
  const secret = await client.json(
    'kubernetes',
    `/api/v1/namespaces/${db.namespace}/secrets`,
    'POST',
    {
      metadata: { name: `${name.replace(/_/g, '-')}-credentials` },
      stringData: {
        ownerUsername: db.owner,
        ownerPassword: db.ownerPassword,
        readonlyUsername: db.readonly,
        readonlyPassword: db.readonlyPassword,
      },
    },
    auth.kubernetes,
  );
  expect(secret.status).toBe(201);
  const app = await client.json(
    'argocd',
    '/api/v1/applications',
    'POST',
    {
      metadata: { name: db.app, namespace: 'argocd' },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://charts.bitnami.com/bitnami',
          chart,
          targetRevision: '1.0.0',
          helm: {
            valuesObject: {
              fullnameOverride: db.app,
              auth: {
                existingSecret: `${name.replace(/_/g, '-')}-credentials`,
                database: db.database,
              },
            },
          },
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: db.namespace,
        },
        syncPolicy: { automated: { prune: true } },
      },
    },
    auth.argocd,
  );
  expect(app.status).toBe(200);
  await eventually(async () => {
    const got = await client.call('argocd', `/api/v1/applications/${db.app}`, {
      headers: auth.argocd,
    });
    return got.json.status.health.status === 'Healthy' ? true : undefined;
  }, 15_000);
  return db;
}

/** Creates a database Job the way the backend does (env by the Job conventions) and waits for it to end. */
export async function runDatabaseJob(
  client: ContractClient,
  db: TestDatabase,
  kind: string,
  engine: string,
  extraEnv: Record<string, string> = {},
  jobName = uniqueName(`${kind}-`),
): Promise<{ outcome: 'Complete' | 'Failed'; log: string; job: any }> {
  const secret = `${db.database.replace(/_/g, '-')}-credentials`;
  const env: any[] = [
    { name: 'AUTONOMOUS_ENGINE', value: engine },
    {
      name: 'AUTONOMOUS_DB_HOST',
      value: `${db.app}.${db.namespace}.svc.cluster.local`,
    },
    { name: 'AUTONOMOUS_DB_PORT', value: '5432' },
    { name: 'AUTONOMOUS_DB_NAME', value: db.database },
    { name: 'AUTONOMOUS_DB_USER', value: db.owner },
    {
      name: 'AUTONOMOUS_DB_PASSWORD',
      valueFrom: { secretKeyRef: { name: secret, key: 'ownerPassword' } },
    },
  ];
  if (kind === 'users') {
    env.push(
      { name: 'AUTONOMOUS_READONLY_USER', value: db.readonly },
      {
        name: 'AUTONOMOUS_READONLY_PASSWORD',
        valueFrom: { secretKeyRef: { name: secret, key: 'readonlyPassword' } },
      },
    );
  }
  for (const [name, value] of Object.entries(extraEnv))
    env.push({ name, value });
  const created = await client.json(
    'kubernetes',
    `/apis/batch/v1/namespaces/${db.namespace}/jobs`,
    'POST',
    {
      metadata: {
        name: jobName,
        labels: {
          'autonomous.dev/database': db.database,
          'autonomous.dev/job-kind': kind,
        },
      },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'tool',
                image: `${engine}-tools:latest`,
                command: ['/bin/sh', '-c', `autonomous-${kind}`],
                env,
                volumeMounts: [{ name: 'backups', mountPath: '/backups' }],
              },
            ],
            volumes: [
              {
                name: 'backups',
                persistentVolumeClaim: { claimName: 'backups' },
              },
            ],
          },
        },
      },
    },
    auth.kubernetes,
  );
  expect(created.status).toBe(201);
  return waitForJob(client, db.namespace, jobName);
}

export async function waitForJob(
  client: ContractClient,
  namespace: string,
  jobName: string,
) {
  const job = await eventually(async () => {
    const got = await client.call(
      'kubernetes',
      `/apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`,
      { headers: auth.kubernetes },
    );
    const done = (got.json.status?.conditions ?? []).find(
      (c: any) =>
        (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    return done ? got.json : undefined;
  }, 20_000);
  const pods = await client.call(
    'kubernetes',
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(
      `job-name=${jobName}`,
    )}`,
    { headers: auth.kubernetes },
  );
  const pod = pods.json.items[0];
  const log = await client.call(
    'kubernetes',
    `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log`,
    { headers: auth.kubernetes },
  );
  const outcome = job.status.conditions.some(
    (c: any) => c.type === 'Complete' && c.status === 'True',
  )
    ? ('Complete' as const)
    : ('Failed' as const);
  return { outcome, log: log.text, job };
}

export async function deleteApplication(client: ContractClient, app: string) {
  await client.call('argocd', `/api/v1/applications/${app}?cascade=true`, {
    method: 'DELETE',
    headers: auth.argocd,
  });
}

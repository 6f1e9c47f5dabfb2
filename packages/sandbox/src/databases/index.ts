/**
 * Real database servers behind the sandbox's database charts and Jobs (PostgreSQL, MySQL played
 * by MariaDB, Redis), where the machine has them; every other engine stays simulated.
 */
import type { Router } from 'express';
import type { ArgoCdState } from '../argocd/index.ts';
import type { KubernetesState } from '../kubernetes/index.ts';
import { DatabaseJobs } from './jobs.ts';
import type { DatabaseServers } from './servers.ts';

export { DatabaseServers } from './servers.ts';
export {
  databaseOptionsFromEnv,
  DEFAULT_DATABASE_SERVERS,
  REAL_ENGINE_NAMES,
} from './options.ts';
export type {
  DatabaseServerAddress,
  RealEngineName,
  SandboxDatabaseOptions,
} from './options.ts';

/** Wires the servers into Argo CD (database charts) and Kubernetes (database Jobs, readiness). */
export function connectDatabases(
  servers: DatabaseServers,
  kube: KubernetesState,
  argocd: ArgoCdState,
) {
  argocd.databases = servers;
  const jobs = new DatabaseJobs(servers, kube);
  kube.jobWork = pod => jobs.work(pod);
  kube.podReadiness = pod =>
    !servers.isProvisioning(
      pod.metadata.labels?.['app.kubernetes.io/instance'] ?? '',
    );
}

/** `GET /_sandbox/databases`: which engines are real, where backups go, the databases created. */
export function databaseControlRoutes(
  router: Router,
  servers: DatabaseServers,
  s3Dir: string,
) {
  router.get('/databases', (_req, res) => {
    res.json({ ...servers.describe(), s3Dir });
  });
}

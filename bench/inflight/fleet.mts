/*
 * A fleet of projects with a release in flight in every environment: the upstream sandbox in
 * its own process (so it never shares the orchestrator's event loop), their Jenkins jobs,
 * Harbor project and Argo CD applications, their catalog entities, and the releases.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  Entity,
  Plugin,
  ReleaseStore,
  UpstreamClients,
} from './plugin.mts';

export const ENVIRONMENTS = ['development', 'test', 'staging', 'production'];
const FOLDER = 'inflight';
/** Builds of most projects outlast the run; the others' builds end and their syncs do not. */
const LONG_MS = 2 * 3600_000;
const PARAMETERS = [
  'GIT_COMMIT',
  'GIT_BRANCH',
  'IMAGE_REPOSITORY',
  'IMAGE_TAG',
  'AUTONOMOUS_RELEASE_ID',
];

export interface FleetProject {
  name: string;
  entity: Entity;
  /** Its builds end after a few seconds, so its releases wait in syncing instead of building. */
  syncs: boolean;
}

export interface RunningSandbox {
  url: string;
  pid: number;
  control(path: string, body?: unknown, method?: string): Promise<any>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `yarn workspace @autonomous-dev/sandbox start`, on a free port, logging to `logFile`. */
export async function startSandboxProcess(
  repo: string,
  logFile: string,
): Promise<RunningSandbox> {
  const port = await freePort();
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'src/main.ts'],
    {
      cwd: join(repo, 'packages/sandbox'),
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        SANDBOX_PORT: String(port),
        SANDBOX_SPEED: 'realistic',
      },
    },
  );
  closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const control = async (path: string, body?: unknown, method?: string) => {
    const send = () =>
      fetch(`${url}/_sandbox${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // A kept-alive connection the sandbox closed just then: ask once more on a new one.
    const res = await send().catch(() => send());
    if (!res.ok)
      throw new Error(
        `sandbox ${path}: HTTP ${res.status} ${await res.text()}`,
      );
    return res.json();
  };
  const stop = async () => {
    if (exited) return;
    const gone = new Promise(r => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([gone, sleep(5_000)]);
    if (!exited) child.kill('SIGKILL');
  };
  for (let i = 0; i < 200; i++) {
    if (exited)
      throw new Error(`the sandbox exited: ${readFileSync(logFile, 'utf8')}`);
    if (readFileSync(logFile, 'utf8').includes('listening on')) {
      return { url, pid: child.pid!, control, stop };
    }
    await sleep(100);
  }
  await stop();
  throw new Error(
    `the sandbox did not start in 20 s: ${readFileSync(logFile, 'utf8')}`,
  );
}

function jobXml(durationMs: number): string {
  const parameter = (name: string, value = '') =>
    `<hudson.model.StringParameterDefinition><name>${name}</name><defaultValue>${value}</defaultValue></hudson.model.StringParameterDefinition>`;
  // SANDBOX_DURATION_MS is the sandbox's own parameter: how long this job's builds run.
  return `<flow-definition><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>${[
    ...PARAMETERS.map(n => parameter(n)),
    parameter('SANDBOX_DURATION_MS', String(durationMs)),
  ].join(
    '',
  )}</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties></flow-definition>`;
}

export function fleetProjects(
  count: number,
  syncingShare: number,
): FleetProject[] {
  const syncing = Math.round(count * syncingShare);
  return Array.from({ length: count }, (_, i) => {
    const name = `inflight-${String(i + 1).padStart(4, '0')}`;
    return {
      name,
      syncs: i < syncing,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            'autonomous.dev/project': 'monolith',
            'autonomous.dev/environments': ENVIRONMENTS.join(','),
            'argocd/app-name': name,
            'jenkins.io/job-full-name': `${FOLDER}/${name}`,
            'goharbor.io/repository-slug': `${FOLDER}/${name}`,
          },
        },
        spec: { type: 'service', owner: 'group:default/platform' },
      } as Entity,
    };
  });
}

/** What a template would have made: the jobs, the Harbor project and the applications. */
export async function setUpUpstreams(
  plugin: Plugin,
  clients: UpstreamClients,
  projects: FleetProject[],
): Promise<void> {
  const jenkins = clients.get('jenkins');
  await jenkins.upsertJob(
    '',
    FOLDER,
    '<com.cloudbees.hudson.plugins.folder.Folder/>',
  );
  await clients.get('harbor').ensureProject(FOLDER);
  const argocd = clients.get('argocd');
  for (const [i, p] of projects.entries()) {
    // 2.0–4.5 s builds for the projects that go on to sync, so they do not all end at once
    await jenkins.upsertJob(
      FOLDER,
      p.name,
      jobXml(p.syncs ? 2_000 + (i % 11) * 250 : LONG_MS),
    );
    if (!p.syncs) continue;
    for (const env of ENVIRONMENTS) {
      await argocd.upsertApplication({
        name: plugin.argocdApplicationFor(p.name, env, ENVIRONMENTS.length),
        repoURL: 'https://charts.example.com',
        chart: 'web-service',
        targetRevision: '1.0.0',
        destinationNamespace: `${p.name}-${env}`,
        helmParameters: [
          { name: 'image.repository', value: `sandbox/${FOLDER}/${p.name}` },
        ],
        automatedSync: false,
      });
    }
  }
}

/** Sync operations that outlast the run; builds as long unless the job says otherwise. */
export async function slowUpstreams(sandbox: RunningSandbox): Promise<void> {
  await sandbox.control('/timings', {
    buildDurationMs: LONG_MS,
    syncDurationMs: LONG_MS,
  });
}

/** One release per project and environment, queued, as the release API would create them. */
export async function createReleases(
  plugin: Plugin,
  releases: ReleaseStore,
  projects: FleetProject[],
): Promise<string[]> {
  const ids: string[] = [];
  let n = 0;
  for (const p of projects) {
    for (const env of ENVIRONMENTS) {
      n++;
      const created = await releases.createRelease({
        entityRef: `component:default/${p.name}`,
        environment: env,
        version: `1.0.${n}`,
        ref: 'main',
        commitSha: (n.toString(16) + '0'.repeat(40)).slice(0, 40),
        trigger: 'api',
        requestedBy: 'user:default/inflight-bench',
        buildJob: `${FOLDER}/${p.name}`,
        argocdApplication: plugin.argocdApplicationFor(
          p.name,
          env,
          ENVIRONMENTS.length,
        ),
      });
      ids.push(created.id);
    }
  }
  return ids;
}

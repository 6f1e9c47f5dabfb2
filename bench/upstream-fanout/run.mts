/*
 * Upstream fan-out: many viewers polling one project's status, through one shared set of
 * upstream clients (as the backend holds them), against the in-process upstream sandbox.
 * Counts the calls that reach ArgoCD, Jenkins and Kubernetes per minute, with the shared read
 * cache and without it (the baseline: a plugin that neither caches nor coalesces).
 *
 *   yarn bench:upstream-fanout
 *
 * Environment (all optional):
 *   BENCH_DURATION_S=60          seconds of polling per row
 *   BENCH_VIEWERS=1,50,200       viewer counts of the cached rows (50 also runs uncached)
 *   BENCH_CACHE_TTL_S=           autonomous.upstreams.cacheTtlSeconds of the cached rows
 *                                (unset: the package default)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const RESULTS = join(REPO, 'bench/results/upstream-fanout.md'); // git-ignored

const POLL_INTERVAL_MS = 10_000;
const ARGOCD_TARGET_PER_MIN = 6;
const APP = 'fanout-shop';
const NAMESPACE = 'fanout-shop';
const JOB = 'fanout-shop-build';
const SYSTEMS = ['argocd', 'jenkins', 'kubernetes'] as const;
type System = (typeof SYSTEMS)[number];

const DURATION_S = positiveNumber('BENCH_DURATION_S', 60);
const VIEWERS = (process.env.BENCH_VIEWERS ?? '1,50,200')
  .split(',')
  .map(v => Number(v.trim()))
  .filter(v => Number.isInteger(v) && v > 0 && v <= 1000);
const CACHE_TTL_S = process.env.BENCH_CACHE_TTL_S
  ? positiveNumber('BENCH_CACHE_TTL_S', 5)
  : undefined;
const TARGET_VIEWERS = 50;

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The plugin packages are TypeScript sources with extensionless imports and parameter
// properties, so they load through the Backstage CLI's Node transform (CommonJS require hook),
// as the backend does. Only the parts used here are typed.

interface Config {
  getOptionalNumber(key: string): number | undefined;
}
interface ReadCache {
  read<T>(key: string, load: () => Promise<T>): Promise<T>;
}
interface ArgoCdApplication {
  status?: {
    sync?: { status?: string };
    health?: { status?: string };
  };
}
interface ArgoCdClient {
  upsertApplication(input: Record<string, unknown>): Promise<unknown>;
  getApplication(name: string): Promise<ArgoCdApplication>;
  sync(name: string): Promise<unknown>;
}
interface JenkinsJob {
  lastBuild?: { number: number } | null;
}
interface JenkinsClient {
  upsertJob(folder: string, name: string, configXml: string): Promise<unknown>;
  triggerBuildAndWait(
    fullName: string,
    parameters?: Record<string, string>,
    options?: { pollMs?: number; timeoutMs?: number },
  ): Promise<{ buildNumber: number }>;
  getJob(fullName: string): Promise<JenkinsJob>;
  getBuild(
    fullName: string,
    buildNumber: number,
  ): Promise<{ result: string | null; building: boolean }>;
}
interface KubernetesClient {
  getRolloutStatus(
    namespace: string,
    name: string,
  ): Promise<{ complete: boolean; readyReplicas: number }>;
}
interface Clients {
  argocd: ArgoCdClient;
  jenkins: JenkinsClient;
  kubernetes: KubernetesClient;
}
interface UpstreamClientsInstance {
  readonly readCache: ReadCache;
  readonly settings: { cacheTtlSeconds: number };
  get<S extends System>(system: S): Clients[S];
}
interface UpstreamInstancesOf {
  get(name?: string): unknown;
}
interface NodeLibrary {
  UpstreamClients: {
    fromConfig(config: Config): UpstreamClientsInstance;
  };
  UpstreamInstances: {
    fromConfig(config: Config, system: System): UpstreamInstancesOf;
  };
  readUpstreamSettings(config: Config): {
    timeoutMs: number;
    retries: number;
    cacheTtlSeconds: number;
  };
  ArgoCdClient: new (instance: unknown, options: object) => ArgoCdClient;
  JenkinsClient: new (instance: unknown, options: object) => JenkinsClient;
  KubernetesClient: new (
    instance: unknown,
    options: object,
  ) => KubernetesClient;
}
interface CallCounts {
  total: number;
  systems: Record<string, number>;
  routes: Record<string, number>;
}
interface RunningSandbox {
  url: string;
  stop(): Promise<void>;
}

const requireFromPlugin = createRequire(
  join(REPO, 'plugins/autonomous-node/package.json'),
);
requireFromPlugin(
  requireFromPlugin.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
);
const lib = requireFromPlugin(
  '@autonomous-dev/backstage-plugin-autonomous-node',
) as NodeLibrary;
const { ConfigReader } = requireFromPlugin('@backstage/config') as {
  ConfigReader: new (data: object) => Config;
};
const { startSandbox } = createRequire(
  join(REPO, 'packages/sandbox/package.json'),
)('@autonomous-dev/sandbox') as {
  startSandbox(options: {
    port: number;
    speed: 'fast' | 'realistic';
  }): Promise<RunningSandbox>;
};

// ---------------------------------------------------------------------------------------------

function upstreamConfig(url: string, cacheTtlSeconds?: number): Config {
  return new ConfigReader({
    autonomous: {
      upstreams:
        cacheTtlSeconds === undefined
          ? {}
          : { cacheTtlSeconds: cacheTtlSeconds },
      argocd: {
        instances: [{ name: 'main', url: `${url}/argocd`, token: 'sandbox' }],
      },
      jenkins: {
        instances: [
          {
            name: 'ci',
            url: `${url}/jenkins`,
            username: 'autonomous',
            apiToken: 'sandbox',
          },
        ],
      },
      kubernetes: {
        instances: [
          { name: 'prod', url: `${url}/kubernetes`, token: 'sandbox' },
        ],
      },
    },
  });
}

/** One shared set of clients behind one ReadCache, as the backend holds them. */
function cachedClients(config: Config): {
  clients: Clients;
  ttlSeconds: number;
} {
  const upstreams = lib.UpstreamClients.fromConfig(config);
  return {
    clients: {
      argocd: upstreams.get('argocd'),
      jenkins: upstreams.get('jenkins'),
      kubernetes: upstreams.get('kubernetes'),
    },
    ttlSeconds: upstreams.settings.cacheTtlSeconds,
  };
}

/** The same clients without a read cache: every read goes upstream (no caching, no coalescing). */
function uncachedClients(config: Config): Clients {
  const settings = lib.readUpstreamSettings(config);
  const options = { timeoutMs: settings.timeoutMs, retries: settings.retries };
  const instance = (system: System) =>
    lib.UpstreamInstances.fromConfig(config, system).get();
  return {
    argocd: new lib.ArgoCdClient(instance('argocd'), options),
    jenkins: new lib.JenkinsClient(instance('jenkins'), options),
    kubernetes: new lib.KubernetesClient(instance('kubernetes'), options),
  };
}

/** What a project status page reads on each poll. */
async function readProjectStatus(clients: Clients): Promise<void> {
  const [app, build, rollout] = await Promise.all([
    clients.argocd.getApplication(APP),
    clients.jenkins
      .getJob(JOB)
      .then(job =>
        job.lastBuild
          ? clients.jenkins.getBuild(JOB, job.lastBuild.number)
          : null,
      ),
    clients.kubernetes.getRolloutStatus(NAMESPACE, APP),
  ]);
  if (!app.status?.health?.status || !build || !rollout.complete) {
    throw new Error(
      `unexpected status: health ${
        app.status?.health?.status
      }, build ${JSON.stringify(build)}, rollout complete ${rollout.complete}`,
    );
  }
}

async function control(
  url: string,
  path: string,
  method: 'GET' | 'POST',
): Promise<CallCounts> {
  const res = await fetch(`${url}/_sandbox${path}`, { method });
  if (!res.ok) throw new Error(`${method} /_sandbox${path}: ${res.status}`);
  return (await res.json()) as CallCounts;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** An ArgoCD application with a Helm source, synced so its Deployment exists, and a Jenkins job with one build. */
async function seed(url: string): Promise<void> {
  const clients = uncachedClients(upstreamConfig(url));
  await clients.argocd.upsertApplication({
    name: APP,
    repoURL: 'https://charts.example.com',
    chart: 'web-service',
    targetRevision: '1.4.0',
    destinationNamespace: NAMESPACE,
    helmParameters: [
      { name: 'image.repository', value: 'shop/storefront' },
      { name: 'image.tag', value: '1.0.0' },
      { name: 'replicaCount', value: '2' },
    ],
  });
  await clients.argocd.sync(APP);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const app = await clients.argocd.getApplication(APP);
    const rollout = await clients.kubernetes
      .getRolloutStatus(NAMESPACE, APP)
      .catch(() => undefined);
    if (
      app.status?.sync?.status === 'Synced' &&
      app.status?.health?.status === 'Healthy' &&
      rollout?.complete
    ) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `application ${APP} not Synced/Healthy after 30 s: ${JSON.stringify(
          app.status,
        )}`,
      );
    }
    await sleep(100);
  }

  await clients.jenkins.upsertJob(
    '',
    JOB,
    `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>upstream-fanout benchmark job</description>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.StringParameterDefinition>
          <name>GIT_COMMIT</name>
          <defaultValue>0123456789abcdef0123456789abcdef01234567</defaultValue>
        </hudson.model.StringParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
</project>`,
  );
  const { buildNumber } = await clients.jenkins.triggerBuildAndWait(
    JOB,
    {},
    { pollMs: 100, timeoutMs: 30_000 },
  );
  for (;;) {
    const build = await clients.jenkins.getBuild(JOB, buildNumber);
    if (!build.building && build.result) break;
    if (Date.now() > deadline + 30_000) {
      throw new Error(`Jenkins build ${buildNumber} still running after 60 s`);
    }
    await sleep(100);
  }
}

interface Row {
  viewers: number;
  cache: string;
  polls: number;
  errors: number;
  calls: Record<System, number>;
  perMinute: Record<System, number>;
  seconds: number;
}

/**
 * `viewers` viewers, each opening the page at a random moment of the first poll interval and
 * then polling every 10 s until the duration is over.
 */
async function runRow(
  url: string,
  viewers: number,
  clients: Clients,
  cache: string,
): Promise<Row> {
  await control(url, '/calls/reset', 'POST');
  const durationMs = DURATION_S * 1000;
  const started = performance.now();
  let polls = 0;
  let errors = 0;
  let firstError: unknown;
  const viewer = async () => {
    let next = Math.random() * Math.min(POLL_INTERVAL_MS, durationMs);
    // bounded: at most duration / interval + 1 polls per viewer
    while (next < durationMs) {
      const wait = next - (performance.now() - started);
      if (wait > 0) await sleep(wait);
      try {
        await readProjectStatus(clients);
        polls++;
      } catch (error) {
        errors++;
        firstError ??= error;
      }
      next += POLL_INTERVAL_MS;
    }
  };
  await Promise.all(Array.from({ length: viewers }, viewer));
  const seconds = (performance.now() - started) / 1000;
  const counts = await control(url, '/calls', 'GET');
  if (firstError) {
    console.error(`  first error: ${String(firstError)}`);
  }
  const calls = Object.fromEntries(
    SYSTEMS.map(s => [s, counts.systems[s] ?? 0]),
  ) as Record<System, number>;
  const perMinute = Object.fromEntries(
    SYSTEMS.map(s => [s, calls[s] / (DURATION_S / 60)]),
  ) as Record<System, number>;
  return { viewers, cache, polls, errors, calls, perMinute, seconds };
}

function table(rows: Row[]): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const header = [
    '| Viewers | Read cache | Polls | Errors | ArgoCD calls/min | Jenkins calls/min | Kubernetes calls/min | ArgoCD ≤ 6/app/min |',
    '| ------: | ---------- | ----: | -----: | ---------------: | ----------------: | -------------------: | ------------------ |',
  ];
  return [
    ...header,
    ...rows.map(
      r =>
        `| ${r.viewers} | ${r.cache} | ${r.polls} | ${r.errors} | ${fmt(
          r.perMinute.argocd,
        )} | ${fmt(r.perMinute.jenkins)} | ${fmt(r.perMinute.kubernetes)} | ${
          r.perMinute.argocd <= ARGOCD_TARGET_PER_MIN ? 'yes' : 'no'
        } |`,
    ),
  ].join('\n');
}

async function main(): Promise<number> {
  const runStarted = performance.now();
  const sandbox = await startSandbox({ port: 0, speed: 'fast' });
  try {
    if (!/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+$/.test(sandbox.url)) {
      throw new Error(`sandbox is not on a loopback address: ${sandbox.url}`);
    }
    console.log(`sandbox at ${sandbox.url}; seeding ${APP} and ${JOB}`);
    await seed(sandbox.url);

    const config = upstreamConfig(sandbox.url, CACHE_TTL_S);
    const plan: { viewers: number; cached: boolean }[] = [
      ...VIEWERS.map(viewers => ({ viewers, cached: true })),
    ];
    if (VIEWERS.includes(TARGET_VIEWERS)) {
      plan.push({ viewers: TARGET_VIEWERS, cached: false });
    }
    const rows: Row[] = [];
    let ttlSeconds = 0;
    for (const { viewers, cached } of plan) {
      // fresh clients per row, so no row starts with the previous row's cached answers
      let clients: Clients;
      let cache: string;
      if (cached) {
        const shared = cachedClients(config);
        clients = shared.clients;
        ttlSeconds = shared.ttlSeconds;
        cache = `on (TTL ${ttlSeconds} s)`;
      } else {
        clients = uncachedClients(config);
        cache = 'off';
      }
      console.log(
        `${viewers} viewer(s), cache ${cache}, ${DURATION_S} s of polling every ${
          POLL_INTERVAL_MS / 1000
        } s…`,
      );
      const row = await runRow(sandbox.url, viewers, clients, cache);
      console.log(
        `  ${row.polls} polls, ${row.errors} errors; calls: argocd ${
          row.calls.argocd
        }, jenkins ${row.calls.jenkins}, kubernetes ${
          row.calls.kubernetes
        } (${row.seconds.toFixed(1)} s)`,
      );
      rows.push(row);
    }

    const total = (performance.now() - runStarted) / 1000;
    const target = rows.find(
      r => r.viewers === TARGET_VIEWERS && r.cache !== 'off',
    );
    const verdict = target
      ? `Target (cached, ${TARGET_VIEWERS} viewers): ≤ ${ARGOCD_TARGET_PER_MIN} ArgoCD calls per app per minute — ${
          target.perMinute.argocd <= ARGOCD_TARGET_PER_MIN ? 'met' : 'NOT met'
        } (${target.perMinute.argocd.toFixed(1)}).`
      : `No cached ${TARGET_VIEWERS}-viewer row: target not checked.`;
    const report = [
      '# upstream-fanout',
      '',
      `Viewers poll one project's status (ArgoCD application, Jenkins job and last build, Kubernetes rollout) every ${
        POLL_INTERVAL_MS / 1000
      } s for ${DURATION_S} s, starting at random moments of the first interval, through one shared set of clients; calls counted by the upstream sandbox. ${new Date().toISOString()}, Node ${
        process.version
      }, whole run ${total.toFixed(0)} s.`,
      '',
      table(rows),
      '',
      verdict,
      '',
    ].join('\n');
    console.log(`\n${report}`);
    mkdirSync(dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, report);
    console.log(`written to ${relative(process.cwd(), RESULTS)}`);

    if (rows.some(r => r.errors > 0)) return 1;
    if (target && target.perMinute.argocd > ARGOCD_TARGET_PER_MIN) return 1;
    return 0;
  } finally {
    await sandbox.stop();
  }
}

main().then(
  code => {
    process.exitCode = code;
  },
  error => {
    console.error(error);
    process.exitCode = 1;
  },
);

import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import {
  ArgoCdState,
  argocdRouter,
  driftControlRoutes,
} from './argocd/index.ts';
import { defaultCredentials, SYSTEMS, timingsFor } from './context.ts';
import {
  connectDatabases,
  databaseControlRoutes,
  DatabaseServers,
} from './databases/index.ts';
import type { SandboxDatabaseOptions } from './databases/index.ts';
import type {
  BuildDefaults,
  Credentials,
  Fault,
  SandboxContext,
  SandboxSpeed,
  SystemName,
  Timings,
} from './context.ts';
import {
  GitHubState,
  githubControlRoutes,
  githubRouter,
} from './github/index.ts';
import { HarborState, harborRouter } from './harbor.ts';
import { JenkinsState, jenkinsRouter } from './jenkins/index.ts';
import { KubernetesState, kubernetesRouter } from './kubernetes/index.ts';
import { cronJobControlRoutes } from './kubernetes/cronJobControl.ts';
import { CertManager } from './kubernetes/certManager.ts';
import {
  checkNotifyTargets,
  notifyControlRoutes,
  UpstreamNotifications,
} from './notify.ts';
import type { NotifyTargets } from './notify.ts';
import { webhookControlRoutes } from './webhooks/index.ts';
import { lokiRouter, prometheusRouter } from './observability.ts';
import {
  prometheusControlRoutes,
  PrometheusScenarios,
} from './prometheusScenarios.ts';
import { s3Router } from './s3/router.ts';
import { S3Store } from './s3/store.ts';
import type { S3Options } from './s3/store.ts';
import { applySeed, parseSeed } from './seed.ts';
import type { SandboxSeed } from './seed.ts';
import { sleep } from './util.ts';
import { VaultState, vaultRouter } from './vault.ts';

export const SANDBOX_BANNER =
  'Autonomous upstream SANDBOX (test double, not a real Jenkins/Harbor/ArgoCD/Vault/Kubernetes)';

export interface SandboxOptions {
  /** `fast` shortens every simulated delay for tests. Default `realistic`. */
  speed?: SandboxSpeed;
  /** Overrides of single delays. */
  timings?: Partial<Timings>;
  /** Overrides of the accepted credentials. */
  credentials?: Partial<Credentials>;
  /** Where problems that must not stop the sandbox are told (failed notifications). Default stderr. */
  log?: (message: string) => void;
  /** Real database servers for database charts and Jobs (default: every engine simulated). */
  databases?: SandboxDatabaseOptions;
  /** The S3 double at `/s3`: its directory and the buckets it starts with. */
  s3?: S3Options;
}

export interface CallCounts {
  total: number;
  systems: Record<string, number>;
  routes: Record<string, number>;
}

/** The sandbox's state and its HTTP application (without a listening server). */
export class Sandbox {
  readonly ctx: SandboxContext;
  readonly harbor: HarborState;
  readonly jenkins: JenkinsState;
  readonly kubernetes: KubernetesState;
  readonly argocd: ArgoCdState;
  /** cert-manager: Certificates for annotated Ingresses' TLS entries, Ready after a while. */
  readonly certManager: CertManager;
  readonly vault: VaultState;
  readonly notifications: UpstreamNotifications;
  readonly s3: S3Store;
  readonly databases: DatabaseServers;
  /** The GitHub double (`/github`) the templates publish their repositories to. */
  readonly github = new GitHubState();
  readonly faults = new Map<SystemName, Fault>();
  /** Error ratios a test steers (`/_sandbox/prometheus/scenario`). */
  readonly prometheusScenarios = new PrometheusScenarios(() => this.ctx.now());
  calls: CallCounts = { total: 0, systems: {}, routes: {} };
  readonly app: express.Express;
  private speed: SandboxSpeed;

  constructor(options: SandboxOptions = {}) {
    this.speed = options.speed ?? 'realistic';
    this.ctx = {
      now: () => Date.now(),
      timings: { ...timingsFor(this.speed), ...(options.timings ?? {}) },
      credentials: { ...defaultCredentials(), ...(options.credentials ?? {}) },
      buildDefaults: { fail: false },
      badDigests: new Set(),
      pushedCommits: new Map(),
    };
    this.harbor = new HarborState(this.ctx);
    this.jenkins = new JenkinsState(this.ctx, this.harbor);
    this.kubernetes = new KubernetesState(this.ctx);
    this.argocd = new ArgoCdState(this.ctx, this.kubernetes);
    this.certManager = new CertManager(this.ctx, this.kubernetes);
    this.vault = new VaultState(this.ctx);
    this.s3 = new S3Store(options.s3);
    this.databases = new DatabaseServers(
      options.databases,
      this.s3,
      options.log ?? (message => process.stderr.write(`${message}\n`)),
    );
    connectDatabases(this.databases, this.kubernetes, this.argocd);
    this.notifications = new UpstreamNotifications({
      jenkins: this.jenkins,
      argocd: this.argocd,
      advance: () => this.advance(),
      log: options.log ?? (message => process.stderr.write(`${message}\n`)),
    });
    this.app = this.createApp();
  }

  /** Moves every simulated system forward to the current time. */
  advance(): void {
    this.jenkins.advance();
    this.argocd.advance();
    this.kubernetes.advance();
    this.certManager.advance();
    this.notifications.observe();
  }

  setSpeed(speed: SandboxSpeed) {
    this.speed = speed;
    Object.assign(this.ctx.timings, timingsFor(speed));
  }

  private record(system: string, method: string, template: string) {
    this.calls.total++;
    this.calls.systems[system] = (this.calls.systems[system] ?? 0) + 1;
    const key = `${method} /${system}${template}`;
    this.calls.routes[key] = (this.calls.routes[key] ?? 0) + 1;
  }

  private faultResponse(system: SystemName, res: Response, status: number) {
    res.setHeader('X-Autonomous-Sandbox-Fault', 'true');
    const message = `sandbox fault injected for ${system}: ${status}`;
    switch (system) {
      case 'jenkins':
        res
          .status(status)
          .type('text/html')
          .send(
            `<html><body><h2>HTTP ERROR ${status}</h2><p>${message}</p></body></html>`,
          );
        return;
      case 'harbor':
        res
          .status(status)
          .json({ errors: [{ code: 'SERVICE_UNAVAILABLE', message }] });
        return;
      case 'argocd':
        res.status(status).json({ error: message, code: 14, message });
        return;
      case 'kubernetes':
        res.status(status).json({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message,
          reason: status === 503 ? 'ServiceUnavailable' : 'InternalError',
          code: status,
        });
        return;
      case 'vault':
        res.status(status).json({ errors: [message] });
        return;
      default:
        res
          .status(status)
          .json({ status: 'error', errorType: 'unavailable', error: message });
    }
  }

  private systemMiddleware(system: SystemName | 'github') {
    return async (req: Request, res: Response, next: NextFunction) => {
      const method = String(
        req.headers['x-sandbox-method'] ?? req.method,
      ).toUpperCase();
      res.on('finish', () => {
        const routePath: string | undefined = (req as any).route?.path;
        const template: string =
          res.locals.template ??
          (typeof routePath === 'string'
            ? routePath.replace(/:(\w+)/g, '{$1}')
            : req.path);
        this.record(system, method, template);
      });
      const fault = this.faults.get(system as SystemName);
      if (fault) {
        if (fault.down) {
          res.locals.template = req.path;
          this.record(system, method, req.path);
          req.socket.destroy();
          return;
        }
        if (fault.latencyMs > 0) await sleep(fault.latencyMs);
        if (fault.errorRate > 0 && Math.random() < fault.errorRate) {
          res.locals.template = res.locals.template ?? req.path;
          this.faultResponse(system as SystemName, res, fault.status);
          return;
        }
      }
      this.advance();
      next();
    };
  }

  private createApp(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.disable('etag');
    app.set('trust proxy', false);
    app.use((_req, res, next) => {
      res.setHeader('X-Autonomous-Sandbox', 'true');
      next();
    });

    app.use('/_sandbox', this.controlRouter());
    app.use('/s3', s3Router(this.s3));

    const routers: Record<SystemName, express.Router> = {
      jenkins: jenkinsRouter(this.ctx, this.jenkins),
      harbor: harborRouter(this.ctx, this.harbor),
      argocd: argocdRouter(this.ctx, this.argocd),
      kubernetes: kubernetesRouter(this.ctx, this.kubernetes),
      vault: vaultRouter(this.ctx, this.vault),
      prometheus: prometheusRouter(
        this.ctx,
        this.kubernetes,
        this.prometheusScenarios,
      ),
      loki: lokiRouter(this.ctx, this.kubernetes),
    };
    for (const system of SYSTEMS) {
      app.use(`/${system}`, this.systemMiddleware(system), routers[system]);
    }
    app.use(
      '/github',
      this.systemMiddleware('github'),
      githubRouter(this.github),
    );
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send(
          `${SANDBOX_BANNER}\n\nPrefixes: ${SYSTEMS.map(s => `/${s}`).join(
            ' ',
          )} /github\nControl API: /_sandbox\n`,
        );
    });
    app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
      const status = err?.status ?? err?.statusCode ?? 500;
      res.status(status).json({ message: String(err?.message ?? err) });
    });
    return app;
  }

  private controlRouter(): express.Router {
    const router = express.Router();
    router.use(express.json());
    router.use((req, res, next) => {
      const address = req.socket.remoteAddress ?? '';
      if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(address)) {
        res
          .status(403)
          .json({ message: 'the control API is served on loopback only' });
        return;
      }
      next();
    });

    notifyControlRoutes(router, this.notifications);
    webhookControlRoutes(router, {
      onPush: (sha, message) => this.ctx.pushedCommits.set(sha, message),
      githubHooks: repository => {
        const [owner, name] = repository.split('/');
        return this.github.get(owner, name ?? '')?.hooks ?? [];
      },
    });
    cronJobControlRoutes(router, this.kubernetes, () => this.advance());
    databaseControlRoutes(router, this.databases, this.s3.dir);
    githubControlRoutes(router, this.github);
    driftControlRoutes(router, this.argocd, this.kubernetes, () =>
      this.advance(),
    );
    prometheusControlRoutes(router, this.prometheusScenarios);

    router.get('/calls', (_req, res) => {
      res.json(this.calls);
    });
    router.post('/calls/reset', (_req, res) => {
      this.calls = { total: 0, systems: {}, routes: {} };
      res.json(this.calls);
    });

    router.get('/faults', (_req, res) => {
      res.json(Object.fromEntries(this.faults));
    });
    router.post('/faults', (req, res) => {
      const body = req.body ?? {};
      const targets: SystemName[] =
        !body.system || body.system === '*' ? SYSTEMS : [body.system];
      if (targets.some(s => !SYSTEMS.includes(s))) {
        res
          .status(400)
          .json({ message: `system must be one of ${SYSTEMS.join(', ')}` });
        return;
      }
      const errorRate = Number(body.errorRate ?? 0);
      if (!(errorRate >= 0 && errorRate <= 1)) {
        res.status(400).json({ message: 'errorRate must be between 0 and 1' });
        return;
      }
      const fault: Fault = {
        errorRate,
        status: Number(body.status ?? 503),
        latencyMs: Math.max(0, Number(body.latencyMs ?? 0)),
        down: Boolean(body.down),
      };
      for (const s of targets) this.faults.set(s, fault);
      res.json(Object.fromEntries(this.faults));
    });
    router.delete('/faults', (req, res) => {
      if (typeof req.query.system === 'string')
        this.faults.delete(req.query.system as SystemName);
      else this.faults.clear();
      res.json(Object.fromEntries(this.faults));
    });

    router.post('/builds', (req, res) => {
      const defaults: BuildDefaults = {
        durationMs:
          req.body?.durationMs === undefined || req.body.durationMs === null
            ? undefined
            : Number(req.body.durationMs),
        fail: Boolean(req.body?.fail),
      };
      this.ctx.buildDefaults = defaults;
      res.json(defaults);
    });

    router.get('/timings', (_req, res) => {
      res.json({ speed: this.speed, timings: this.ctx.timings });
    });
    router.post('/timings', (req, res) => {
      if (req.body?.speed === 'fast' || req.body?.speed === 'realistic') {
        this.setSpeed(req.body.speed);
      }
      for (const [k, v] of Object.entries(req.body ?? {})) {
        if (k in this.ctx.timings && typeof v === 'number') {
          (this.ctx.timings as unknown as Record<string, number>)[k] = v;
        }
      }
      res.json({ speed: this.speed, timings: this.ctx.timings });
    });

    router.post('/argocd/degrade', (req, res) => {
      const { application, digest, sticky } = req.body ?? {};
      if (typeof digest === 'string') {
        if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
          res.status(400).json({ message: 'digest must be sha256:<64 hex>' });
          return;
        }
        this.ctx.badDigests.add(digest);
        for (const pod of this.kubernetes.list('pods')) {
          if (
            (pod.spec.containers ?? []).some((c: any) =>
              String(c.image).endsWith(`@${digest}`),
            )
          ) {
            this.kubernetes.crashPod(pod);
          }
        }
      }
      if (typeof application === 'string') {
        if (!this.argocd.apps.has(application)) {
          res
            .status(404)
            .json({ message: `application ${application} not found` });
          return;
        }
        this.argocd.degrade(application, Boolean(sticky));
      }
      if (typeof application !== 'string' && typeof digest !== 'string') {
        res.status(400).json({ message: 'give an application or a digest' });
        return;
      }
      this.advance();
      res.json({ badDigests: [...this.ctx.badDigests] });
    });
    router.delete('/argocd/degrade', (_req, res) => {
      this.ctx.badDigests.clear();
      this.argocd.clearDegrade();
      res.json({ badDigests: [] });
    });

    router.post('/harbor/push', (req, res) => {
      const { repository, tag } = req.body ?? {};
      if (typeof repository !== 'string' || typeof tag !== 'string') {
        res.status(400).json({ message: 'repository and tag are required' });
        return;
      }
      const result = this.harbor.push(repository, tag, 'control-api');
      if (!result.ok) {
        res.status(400).json({ message: result.message });
        return;
      }
      res.status(201).json({ repository, tag, digest: result.digest });
    });

    router.get('/state', (_req, res) => {
      this.advance();
      res.json({
        banner: SANDBOX_BANNER,
        speed: this.speed,
        timings: this.ctx.timings,
        buildDefaults: this.ctx.buildDefaults,
        faults: Object.fromEntries(this.faults),
        badDigests: [...this.ctx.badDigests],
        jenkins: this.jenkins.dump(),
        harbor: this.harbor.dump(),
        argocd: this.argocd.dump(),
        kubernetes: this.kubernetes.dump(),
        vault: this.vault.dump(),
      });
    });
    return router;
  }
}

/**
 * Node's HTTP parser knows no `LIST` method, which Vault clients send. The sandbox therefore
 * listens with a small TCP front that turns `LIST /path` into `GET /path` plus an
 * `X-Sandbox-Method: LIST` header before the HTTP server parses the request.
 */
function listRewriter(): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = chunk.toString('latin1');
      if (!text.includes('LIST ')) {
        done(null, chunk);
        return;
      }
      const rewritten = text.replace(
        /(^|\r\n)LIST (\S+) (HTTP\/1\.[01])\r\n/g,
        '$1GET $2 $3\r\nX-Sandbox-Method: LIST\r\n',
      );
      done(null, Buffer.from(rewritten, 'latin1'));
    },
  });
}

export interface StartSandboxOptions extends SandboxOptions {
  /** Port to listen on; 0 picks a free one. Default 7200. */
  port?: number;
  /** Interface to bind; the sandbox is meant for loopback only. Default 127.0.0.1. */
  host?: string;
  /** Projects to start with (see seeds/examples.json); checked before the port is opened. */
  seed?: SandboxSeed | unknown;
  /** Send Jenkins and Argo CD notifications there from the start. */
  notify?: NotifyTargets;
}

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:7200 (append /jenkins, /harbor, ... per system). */
  url: string;
  port: number;
  sandbox: Sandbox;
  stop(): Promise<void>;
}

export async function startSandbox(
  options: StartSandboxOptions = {},
): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed === undefined ? undefined : parseSeed(options.seed);
  let notify: NotifyTargets | undefined;
  if (options.notify) {
    const checked = checkNotifyTargets(options.notify);
    if (!checked.ok) throw new Error(`sandbox notify: ${checked.error}`);
    notify = checked.targets;
  }
  const sandbox = new Sandbox(options);
  await sandbox.databases.probe();
  const inner = http.createServer(sandbox.app);
  await new Promise<void>(resolve => inner.listen(0, '127.0.0.1', resolve));
  const innerPort = (inner.address() as AddressInfo).port;

  const sockets = new Set<net.Socket>();
  const front = net.createServer(client => {
    const upstream = net.connect(innerPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    client.pipe(listRewriter()).pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 7200, host, () => resolve());
  });
  const port = (front.address() as AddressInfo).port;
  sandbox.jenkins.registryHost = `${host}:${port}`;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  sandbox.notifications.jenkinsRootUrl = `${url}/jenkins/`;
  const running: RunningSandbox = {
    url,
    port,
    sandbox,
    async stop() {
      sandbox.notifications.stopTicker();
      await sandbox.databases.settle();
      await sandbox.databases.removeTemporary();
      await sandbox.s3.removeTemporary();
      await sandbox.github.removeTemporary();
      for (const s of sockets) s.destroy();
      inner.closeAllConnections();
      await Promise.all([
        new Promise<void>(resolve => front.close(() => resolve())),
        new Promise<void>(resolve => inner.close(() => resolve())),
      ]);
    },
  };
  try {
    if (seed) applySeed(sandbox, seed);
  } catch (error) {
    await running.stop();
    throw error;
  }
  // After the seed: its syncs are the starting point, not news.
  if (notify) sandbox.notifications.configure(notify);
  return running;
}

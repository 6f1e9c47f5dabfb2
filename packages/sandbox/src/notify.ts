import type { Router } from 'express';
import type { ArgoCdState } from './argocd/index.ts';
import type { JenkinsState } from './jenkins/index.ts';
import { argocdNotification, jenkinsNotification } from './notifyPayloads.ts';
import type { ArgoCdEvent, JenkinsPhase } from './notifyPayloads.ts';
import { sleep } from './util.ts';

/** Where the sandbox sends the notifications real Jenkins and Argo CD would send. */
export interface NotifyTargets {
  /** Receives the Jenkins Notification plugin's JSON on every build phase. */
  jenkinsUrl?: string;
  /** Receives argocd-notifications webhook JSON when a sync finishes or health changes. */
  argocdUrl?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
}

/** Checks targets from the control API or the environment; the error says what to fix. */
export function checkNotifyTargets(
  input: unknown,
): { ok: true; targets: NotifyTargets } | { ok: false; error: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      error: 'send a JSON object { jenkinsUrl, argocdUrl, token }',
    };
  }
  const body = input as Record<string, unknown>;
  const targets: NotifyTargets = {};
  for (const key of ['jenkinsUrl', 'argocdUrl'] as const) {
    const value = body[key];
    if (value === undefined || value === null || value === '') continue;
    let url: URL | undefined;
    try {
      url = new URL(String(value));
    } catch {
      url = undefined;
    }
    if (typeof value !== 'string' || !url || !/^https?:$/.test(url.protocol)) {
      return {
        ok: false,
        error: `${key} must be an http or https URL such as http://localhost:7007/api/autonomous/notifications/${key.replace(
          'Url',
          '',
        )}; got ${JSON.stringify(value)}`,
      };
    }
    targets[key] = value;
  }
  if (!targets.jenkinsUrl && !targets.argocdUrl) {
    return { ok: false, error: 'give jenkinsUrl, argocdUrl or both' };
  }
  const token = body.token;
  if (token !== undefined && token !== null && token !== '') {
    if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
      return {
        ok: false,
        error:
          'token must be a string of visible ASCII characters without spaces (it is sent as a Bearer token)',
      };
    }
    targets.token = token;
  }
  return { ok: true, targets };
}

interface TrackedApp {
  health: string;
  /** The operation whose end was reported, and the one reported as deployed. */
  reportedOperation?: object;
  deployedOperation?: object;
}

export interface UpstreamNotificationsOptions {
  jenkins: JenkinsState;
  argocd: ArgoCdState;
  /** Moves the sandbox forward (which calls `observe`); the ticker calls it while targets are set. */
  advance(): void;
  log(message: string): void;
  fetch?: typeof fetch;
  /** How often the sandbox moves forward by itself while notifications are on. Default 100 ms. */
  tickMs?: number;
}

/**
 * Sends the notifications real Jenkins (Notification plugin) and Argo CD (argocd-notifications
 * webhooks) would send, so a backend is woken as soon as a stage finishes. It compares the
 * sandbox's state after each step with what it saw before; deliveries are fire-and-forget,
 * in order per URL, with one retry, and a failure is logged, never thrown.
 */
export class UpstreamNotifications {
  private readonly options: UpstreamNotificationsOptions;
  private targets?: NotifyTargets;
  private timer?: NodeJS.Timeout;
  private readonly buildPhases = new Map<string, 'STARTED' | 'FINALIZED'>();
  private readonly apps = new Map<string, TrackedApp>();
  private readonly queues = new Map<string, Promise<void>>();
  readonly deliveries = {
    sent: 0,
    failed: 0,
    lastError: undefined as string | undefined,
  };
  /** The Jenkins root URL in `full_url`; set to the sandbox's own address when it listens. */
  jenkinsRootUrl = 'http://127.0.0.1:7200/jenkins/';

  constructor(options: UpstreamNotificationsOptions) {
    this.options = options;
  }

  configure(targets: NotifyTargets | undefined): void {
    this.stopTicker();
    this.targets = targets;
    if (!targets) return;
    // What exists now is history: only what changes from here on is sent.
    this.observe({ send: false });
    this.timer = setInterval(() => {
      try {
        this.options.advance();
      } catch (e) {
        this.options.log(
          `sandbox notifications: ${(e as Error)?.message ?? e}`,
        );
      }
    }, this.options.tickMs ?? 100);
    this.timer.unref();
  }

  describe() {
    return {
      jenkinsUrl: this.targets?.jenkinsUrl,
      argocdUrl: this.targets?.argocdUrl,
      token: this.targets?.token ? '***' : undefined,
      deliveries: { ...this.deliveries },
    };
  }

  stopTicker(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when every delivery started so far has succeeded or given up. */
  async settled(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  /** Compares the state with what was seen before and sends what changed. */
  observe(options: { send: boolean } = { send: true }): void {
    const targets = this.targets;
    if (!targets) return;
    if (targets.jenkinsUrl)
      this.observeJenkins(targets.jenkinsUrl, options.send);
    if (targets.argocdUrl) this.observeArgoCd(targets.argocdUrl, options.send);
  }

  private observeJenkins(url: string, send: boolean): void {
    for (const job of this.options.jenkins.jobs.values()) {
      for (const build of job.builds) {
        const key = `${job.fullName}#${build.number}`;
        const seen = this.buildPhases.get(key);
        if (seen === 'FINALIZED') continue;
        const phases: JenkinsPhase[] = seen ? [] : ['STARTED'];
        if (build.result !== null) phases.push('COMPLETED', 'FINALIZED');
        if (!phases.length) continue;
        this.buildPhases.set(
          key,
          build.result !== null ? 'FINALIZED' : 'STARTED',
        );
        if (!send) continue;
        for (const phase of phases) {
          this.deliver(
            url,
            jenkinsNotification(job, build, phase, this.jenkinsRootUrl),
          );
        }
      }
    }
  }

  private observeArgoCd(url: string, send: boolean): void {
    const { argocd } = this.options;
    for (const name of this.apps.keys()) {
      if (!argocd.apps.has(name)) this.apps.delete(name);
    }
    for (const [name, rec] of argocd.apps) {
      const app = argocd.render(rec);
      const health: string = app.status.health.status;
      const operation = rec.operation;
      let tracked = this.apps.get(name);
      if (!tracked) {
        tracked = { health };
        this.apps.set(name, tracked);
      }
      const events: ArgoCdEvent[] = [];
      if (
        operation &&
        operation.phase !== 'Running' &&
        tracked.reportedOperation !== operation
      ) {
        tracked.reportedOperation = operation;
        events.push(
          operation.phase === 'Succeeded'
            ? 'on-sync-succeeded'
            : 'on-sync-failed',
        );
      }
      if (health !== tracked.health) {
        tracked.health = health;
        events.push(
          health === 'Degraded' ? 'on-health-degraded' : 'on-health-changed',
        );
      }
      if (
        operation?.phase === 'Succeeded' &&
        health === 'Healthy' &&
        tracked.deployedOperation !== operation
      ) {
        tracked.deployedOperation = operation;
        events.push('on-deployed');
      }
      if (!send) continue;
      for (const event of events)
        this.deliver(url, argocdNotification(app, event));
    }
  }

  private deliver(url: string, body: unknown): void {
    const previous = this.queues.get(url) ?? Promise.resolve();
    const next = previous.then(() => this.post(url, body));
    this.queues.set(url, next);
  }

  private async post(url: string, body: unknown): Promise<void> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
    };
    if (this.targets?.token)
      headers.Authorization = `Bearer ${this.targets.token}`;
    const send = this.options.fetch ?? fetch;
    let problem = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const res = await send(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.deliveries.sent++;
          return;
        }
        problem = `${res.status} ${res.statusText}`.trim();
      } catch (e) {
        problem = String((e as Error)?.cause ?? (e as Error)?.message ?? e);
      }
      if (attempt === 1) await sleep(250);
    }
    this.deliveries.failed++;
    this.deliveries.lastError = `${url}: ${problem}`;
    this.options.log(
      `sandbox: a notification to ${url} failed twice (${problem}); the sandbox goes on`,
    );
  }
}

/** `/_sandbox/notify`: show, set (`POST { jenkinsUrl, argocdUrl, token }`) or stop (`DELETE`). */
export function notifyControlRoutes(
  router: Router,
  notifications: UpstreamNotifications,
): void {
  router.get('/notify', (_req, res) => {
    res.json(notifications.describe());
  });
  router.post('/notify', (req, res) => {
    const checked = checkNotifyTargets(req.body);
    if (!checked.ok) {
      res.status(400).json({ message: checked.error });
      return;
    }
    notifications.configure(checked.targets);
    res.json(notifications.describe());
  });
  router.delete('/notify', (_req, res) => {
    notifications.configure(undefined);
    res.json(notifications.describe());
  });
}

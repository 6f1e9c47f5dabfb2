/*
 * The standalone backend's config (upstreams, orchestrator, two static tokens) and the release
 * API as the bench calls it.
 */
import { randomBytes } from 'node:crypto';
import type { FinishedRelease } from './report.mts';

const RELEASE_LIMIT_MS = 3 * 60_000;
const IN_FLIGHT = ['queued', 'building', 'built', 'syncing', 'progressing'];

export interface Tokens {
  /** What the sandbox sends with its notifications: may send notifications, nothing else. */
  notify: string;
  /** What the bench creates and reads releases with. */
  deploy: string;
}

export function newTokens(): Tokens {
  return {
    notify: randomBytes(24).toString('hex'),
    deploy: randomBytes(24).toString('hex'),
  };
}

export function backendConfig(
  sandboxConfig: { autonomous: Record<string, unknown> },
  tokens: Tokens,
  pollIntervalSeconds: number,
) {
  // The upstream clients' own defaults (timeout, retries), not the tests' short ones.
  const { upstreams: _testSettings, ...systems } = sandboxConfig.autonomous;
  return {
    autonomous: { ...systems, orchestrator: { pollIntervalSeconds } },
    backend: {
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: {
              token: tokens.notify,
              subject: 'upstream-notifications',
            },
            accessRestrictions: [
              {
                plugin: 'autonomous',
                permission: 'autonomous.notifications.send',
              },
            ],
          },
          {
            type: 'static',
            options: { token: tokens.deploy, subject: 'stage-overhead-bench' },
            accessRestrictions: [
              {
                plugin: 'autonomous',
                permission: [
                  'autonomous.release.deploy',
                  'autonomous.project.read',
                ],
              },
            ],
          },
        ],
      },
    },
  };
}

export function releaseApi(baseUrl: string, token: string) {
  const call = async <T extends unknown>(
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const res = await fetch(`${baseUrl}/api/autonomous${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`,
      );
    }
    return JSON.parse(text) as T;
  };
  return {
    create: (project: string) =>
      call<{ id: string }>(
        'POST',
        `/projects/component/default/${project}/releases`,
        {
          environment: 'production',
          commitSha: randomBytes(20).toString('hex'),
          reason: 'stage-overhead benchmark',
          trigger: 'api',
        },
      ),
    /** Polls the release every 500 ms until it stops moving (healthy, failed, …). */
    async finished(id: string): Promise<FinishedRelease> {
      const deadline = Date.now() + RELEASE_LIMIT_MS;
      for (;;) {
        const release = await call<FinishedRelease>('GET', `/releases/${id}`);
        if (!IN_FLIGHT.includes(release.status)) return release;
        if (Date.now() > deadline) {
          throw new Error(
            `release ${id} still ${release.status} after ${
              RELEASE_LIMIT_MS / 1000
            } s`,
          );
        }
        await new Promise(r => setTimeout(r, 500));
      }
    },
  };
}

export type ReleaseApi = ReturnType<typeof releaseApi>;

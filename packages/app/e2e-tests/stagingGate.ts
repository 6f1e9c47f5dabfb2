import { expect } from '@playwright/test';
// better-sqlite3 is in the repository's dependencies through the backend; the tests write
// rows into the Autonomous backend's SQLite file, as support.ts allows.
// eslint-disable-next-line @backstage/no-undeclared-imports
import Database from 'better-sqlite3';
import { AUTONOMOUS_SQLITE_FILE } from './support';

/*
 * What the health-gate browser tests set up around the storefront's staging environment: its
 * error-ratio gate, written straight into the backend's store, and the sandbox's Prometheus
 * steered to answer healthy or failing.
 */

const SANDBOX = 'http://localhost:7200';
const ENTITY = 'component:default/storefront';

/**
 * Gives staging an error-ratio gate over `windowMs` (evaluated every 2 s), or removes it so
 * that other tests deploy ungated.
 */
export function setStagingGate(on: boolean, windowMs = 20_000) {
  const db = new Database(AUTONOMOUS_SQLITE_FILE);
  try {
    db.pragma('busy_timeout = 5000');
    const where = { entity: ENTITY, env: 'staging' };
    db.prepare(
      'DELETE FROM health_gates WHERE entity_ref = @entity AND environment = @env',
    ).run(where);
    if (!on) return;
    db.prepare(
      `INSERT INTO health_gates (entity_ref, environment, name, position, query, comparison,
         threshold, duration_ms, interval_ms, updated_at, updated_by)
       VALUES (@entity, @env, 'error-ratio', 0, @query, '<', 0.01, @windowMs, 2000, @now,
         'user:default/guest')`,
    ).run({
      ...where,
      windowMs,
      now: Date.now(),
      query:
        'sum(rate(http_requests_total{namespace="{{namespace}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}"}[1m]))',
    });
  } finally {
    db.close();
  }
}

/** Steers the sandbox's Prometheus (`{ mode: 'healthy' }`…), or back to its default. */
export async function steerPrometheus(body?: object) {
  const res = await fetch(`${SANDBOX}/_sandbox/prometheus/scenario`, {
    method: body ? 'POST' : 'DELETE',
    headers: { 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status).toBe(200);
}

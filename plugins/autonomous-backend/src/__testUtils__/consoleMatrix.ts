import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import request from 'supertest';

/*
 * The permission matrix's requests for the console routes, on a ready PostgreSQL instance
 * (real: the matrix's sandbox runs PostgreSQL on the machine's server). A cancel needs a
 * statement of the owner running; a saved query's change needs one of the owner's.
 */

const RUNNING_STATEMENT = 'SELECT pg_sleep(20) /* permission matrix */';

export async function prepareConsoleRoute(
  server: Server,
  route: { method: string; path: string },
  databaseId: string,
  ownerHeader: Record<string, string>,
): Promise<{ url: string; body?: object }> {
  const base = `/api/autonomous/databases/${databaseId}/console`;
  if (route.path.endsWith('/statements')) {
    return {
      url: `${base}/statements`,
      body: { statement: 'SELECT 1 AS one' },
    };
  }
  if (route.path.endsWith('/history')) return { url: `${base}/history` };
  if (route.path.endsWith('/saved-queries')) {
    return {
      url: `${base}/saved-queries`,
      body:
        route.method === 'POST'
          ? { name: 'matrix', statement: 'SELECT 1' }
          : undefined,
    };
  }
  if (route.path.endsWith('/saved-queries/:queryId')) {
    const created = await request(server)
      .post(`${base}/saved-queries`)
      .set(ownerHeader)
      .send({ name: 'matrix', statement: 'SELECT 1' });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    return {
      url: `${base}/saved-queries/${created.body.id}`,
      body:
        route.method === 'PUT'
          ? { name: 'matrix', statement: 'SELECT 2' }
          : undefined,
    };
  }
  if (route.path.endsWith('/cancel')) {
    const runId = randomUUID();
    // Left running until the owner's cancel in the matrix stops it.
    request(server)
      .post(`${base}/statements`)
      .set(ownerHeader)
      .send({ statement: RUNNING_STATEMENT, runId })
      .then(
        () => undefined,
        () => undefined,
      );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const history = await request(server)
        .get(`${base}/history`)
        .set(ownerHeader);
      if (
        history.body.items?.some(
          (s: { statement: string; outcome: string }) =>
            s.statement === RUNNING_STATEMENT && s.outcome === 'running',
        )
      ) {
        break;
      }
      if (Date.now() > deadline) throw new Error('the statement never started');
      await new Promise(r => setTimeout(r, 50));
    }
    return { url: `${base}/runs/${runId}/cancel` };
  }
  throw new Error(`no console request for ${route.method} ${route.path}`);
}

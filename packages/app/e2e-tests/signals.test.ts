import { expect, test } from '@playwright/test';
import { E2E_BACKEND_URL } from './support';

/*
 * Release signals are private: a WebSocket that never sent a token (the signals backend counts
 * it as the guest) hears nothing of a release, on the entity's channel or the old broadcast
 * one, from its first move to healthy. Pages learn what changed through the permission-checked
 * API; before, every socket was told the entity, release id, environment and status.
 */

const ENTITY = 'component:default/storefront';

async function guestToken(): Promise<string> {
  const res = await fetch(`${E2E_BACKEND_URL}/api/auth/guest/refresh`, {
    method: 'POST',
  });
  expect(res.status).toBe(200);
  return (await res.json()).backstageIdentity.token;
}

/**
 * The signals backend hooks the server's upgrade event when the first upgrade request reaches
 * its router, so the very first socket of a fresh backend is never answered: the portal's
 * pages reconnect, and so does this.
 */
async function openSignalsSocket(): Promise<WebSocket> {
  const url = `${E2E_BACKEND_URL.replace(/^http/, 'ws')}/api/signals`;
  for (let attempt = 1; ; attempt++) {
    const socket = new WebSocket(url);
    const opened = await new Promise<boolean>(resolve => {
      const timer = setTimeout(() => resolve(false), 5000);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve(true);
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (opened) return socket;
    socket.close();
    if (attempt === 5) throw new Error(`${url} did not open in 5 attempts`);
  }
}

test('a WebSocket without a token hears nothing of a release', async () => {
  test.setTimeout(240_000);
  const heard: string[] = [];
  const socket = await openSignalsSocket();
  socket.addEventListener('message', event => heard.push(String(event.data)));
  for (const channel of [
    `autonomous:releases:${ENTITY}`,
    'autonomous:releases',
  ]) {
    socket.send(JSON.stringify({ action: 'subscribe', channel }));
  }

  const token = await guestToken();
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const created = await fetch(
    `${E2E_BACKEND_URL}/api/autonomous/projects/component/default/storefront/releases`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({
        environment: 'production',
        ref: 'main',
        reason: 'signals test',
        onConflict: 'queue',
      }),
    },
  );
  expect(created.status).toBe(201);
  const { id } = await created.json();

  // Every move from queued to its end happened while the socket listened.
  const read = async () =>
    (
      await fetch(`${E2E_BACKEND_URL}/api/autonomous/releases/${id}`, {
        headers,
      })
    ).json();
  await expect
    .poll(async () => (await read()).status, {
      timeout: 150_000,
      intervals: [1000],
    })
    .toMatch(/^(healthy|failed|cancelled|degraded|rolled-back)$/);
  const release = await read();
  expect({
    status: release.status,
    events: release.events?.map((e: any) => e.message),
  }).toMatchObject({ status: 'healthy' });
  // Signals go out as the moves happen; give a late one time to arrive.
  await new Promise(resolve => setTimeout(resolve, 2000));

  expect(socket.readyState).toBe(WebSocket.OPEN);
  expect(heard).toEqual([]);
  socket.close();
});

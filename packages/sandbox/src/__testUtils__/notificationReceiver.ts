import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedNotification {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * A small HTTP server standing in for the backend's notification endpoints: it records every
 * POST and answers with the statuses queued in `answers` (then 204).
 */
export async function startNotificationReceiver() {
  const received: ReceivedNotification[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    answers,
    /** Notifications POSTed to one path, bodies only. */
    bodies: (path: string) =>
      received.filter(r => r.path === path).map(r => r.body),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

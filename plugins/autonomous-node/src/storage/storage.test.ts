import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ConfigReader } from '@backstage/config';
import { S3BackupStorage } from './S3BackupStorage';
import { VolumeBackupStorage } from './VolumeBackupStorage';
import { readBackupStorageConfig } from './config';

describe('VolumeBackupStorage', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backups-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores, measures, streams and deletes a dump under the volume', async () => {
    const storage = new VolumeBackupStorage({ path: dir });
    await storage.put('payments/1.dump', Buffer.from('PGDMP dump bytes'));
    expect(await readFile(join(dir, 'payments/1.dump'), 'utf8')).toBe(
      'PGDMP dump bytes',
    );
    expect(await storage.head('payments/1.dump')).toMatchObject({
      sizeBytes: 16,
    });
    const opened = await storage.stream('payments/1.dump');
    expect(await text(opened!.body)).toBe('PGDMP dump bytes');
    expect(storage.location('payments/1.dump')).toBe(
      'file:///backups/payments/1.dump',
    );
    await storage.delete('payments/1.dump');
    await storage.delete('payments/1.dump');
    expect(await storage.head('payments/1.dump')).toBeUndefined();
    expect(await storage.stream('payments/1.dump')).toBeUndefined();
  });

  it('refuses keys that leave the volume', async () => {
    const storage = new VolumeBackupStorage({ path: dir });
    await expect(storage.head('../etc/passwd')).rejects.toThrow(
      /not a backup object key/,
    );
    await expect(storage.put('/abs.dump', 'x')).rejects.toThrow(
      /not a backup object key/,
    );
  });
});

describe('S3BackupStorage', () => {
  const objects = new Map<string, Buffer>();
  const seen: string[] = [];
  const authorizations: string[] = [];
  const server = setupServer(
    http.put('http://s3.test/backups/*', async ({ request }) => {
      seen.push(`PUT ${new URL(request.url).pathname}`);
      authorizations.push(request.headers.get('authorization') ?? '');
      objects.set(
        new URL(request.url).pathname,
        Buffer.from(await request.arrayBuffer()),
      );
      return new HttpResponse(null, { status: 200, headers: { ETag: '"1"' } });
    }),
    http.head('http://s3.test/backups/*', ({ request }) => {
      const body = objects.get(new URL(request.url).pathname);
      if (!body) return new HttpResponse(null, { status: 404 });
      return new HttpResponse(null, {
        status: 200,
        headers: { 'Content-Length': String(body.length) },
      });
    }),
    http.get('http://s3.test/backups/*', ({ request }) => {
      const body = objects.get(new URL(request.url).pathname);
      if (!body) {
        return new HttpResponse(
          '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
          { status: 404, headers: { 'Content-Type': 'application/xml' } },
        );
      }
      return new HttpResponse(body, {
        headers: { 'Content-Length': String(body.length) },
      });
    }),
    http.delete('http://s3.test/backups/*', ({ request }) => {
      objects.delete(new URL(request.url).pathname);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  const storage = () =>
    new S3BackupStorage(
      readBackupStorageConfig(
        new ConfigReader({
          autonomous: {
            databases: {
              backups: {
                storage: {
                  type: 's3',
                  bucket: 'backups',
                  region: 'eu-west-1',
                  endpoint: 'http://s3.test',
                  forcePathStyle: true,
                  accessKeyId: 'AKIDBACKUP',
                  secretAccessKey: 'backup-secret-key',
                },
              },
            },
          },
        }),
      ) as any,
    );

  it('puts, heads, streams and deletes objects path-style with signed requests', async () => {
    const s3 = storage();
    await s3.put('payments/1.dump', Buffer.from('PGDMP'));
    expect(seen).toEqual(['PUT /backups/payments/1.dump']);
    expect(authorizations[0]).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDBACKUP\//,
    );
    expect(await s3.head('payments/1.dump')).toMatchObject({ sizeBytes: 5 });
    const opened = await s3.stream('payments/1.dump');
    expect(opened?.sizeBytes).toBe(5);
    expect(await text(opened!.body)).toBe('PGDMP');
    expect(s3.location('payments/1.dump')).toBe('s3://backups/payments/1.dump');
    await s3.delete('payments/1.dump');
    expect(await s3.head('payments/1.dump')).toBeUndefined();
    expect(await s3.stream('payments/1.dump')).toBeUndefined();
  });
});

describe('readBackupStorageConfig', () => {
  it('is undefined when not configured and names the key of a bad type', () => {
    expect(readBackupStorageConfig(new ConfigReader({}))).toBeUndefined();
    expect(() =>
      readBackupStorageConfig(
        new ConfigReader({
          autonomous: { databases: { backups: { storage: { type: 'ftp' } } } },
        }),
      ),
    ).toThrow(/autonomous\.databases\.backups\.storage\.type is "ftp"/);
  });
});

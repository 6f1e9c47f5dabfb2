import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { startSandbox } from '../sandbox.ts';
import type { RunningSandbox } from '../sandbox.ts';

describe('S3 double at /s3, used through @aws-sdk/client-s3', () => {
  let running: RunningSandbox;
  let s3: S3Client;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, speed: 'fast' });
    s3 = new S3Client({
      endpoint: `${running.url}/s3`,
      forcePathStyle: true,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    });
  });

  afterAll(async () => {
    s3.destroy();
    await running.stop();
  });

  it('creates buckets, puts, gets, lists and deletes objects kept on disk', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'dumps' }));
    await s3.send(new HeadBucketCommand({ Bucket: 'dumps' }));
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: 'nowhere' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(
      s3.send(new CreateBucketCommand({ Bucket: 'dumps' })),
    ).rejects.toMatchObject({ name: 'BucketAlreadyOwnedByYou' });

    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'dumps',
        Key: 'orders/2026 12/a+b.dump',
        Body: 'hello dump',
        ContentType: 'application/octet-stream',
        Metadata: { engine: 'postgresql' },
      }),
    );
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);

    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'dumps', Key: 'orders/2026 12/a+b.dump' }),
    );
    expect(await got.Body!.transformToString()).toBe('hello dump');
    expect(got.ContentLength).toBe(10);
    expect(got.Metadata).toEqual({ engine: 'postgresql' });
    expect(got.ETag).toBe(put.ETag);

    const range = await s3.send(
      new GetObjectCommand({
        Bucket: 'dumps',
        Key: 'orders/2026 12/a+b.dump',
        Range: 'bytes=6-9',
      }),
    );
    expect(await range.Body!.transformToString()).toBe('dump');
    expect(range.ContentRange).toBe('bytes 6-9/10');

    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: 'dumps',
        Key: 'orders/2026 12/a+b.dump',
      }),
    );
    expect(head.ContentLength).toBe(10);
    expect(head.LastModified).toBeInstanceOf(Date);

    // The objects are files under the store's directory, not memory.
    expect((await readdir(`${running.sandbox.s3.dir}/dumps`)).length).toBe(2);

    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'dumps', Key: 'missing' })),
    ).rejects.toBeInstanceOf(NoSuchKey);

    for (const key of ['orders/b.dump', 'orders/c.dump', 'users/d.dump']) {
      await s3.send(
        new PutObjectCommand({ Bucket: 'dumps', Key: key, Body: key }),
      );
    }
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: 'dumps', Prefix: 'orders/' }),
    );
    expect(listed.Contents!.map(o => o.Key)).toEqual([
      'orders/2026 12/a+b.dump',
      'orders/b.dump',
      'orders/c.dump',
    ]);
    expect(listed.Contents![1].Size).toBe('orders/b.dump'.length);
    const paged = await s3.send(
      new ListObjectsV2Command({ Bucket: 'dumps', MaxKeys: 2 }),
    );
    expect(paged.IsTruncated).toBe(true);
    const rest = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'dumps',
        ContinuationToken: paged.NextContinuationToken,
      }),
    );
    expect(
      [...paged.Contents!, ...rest.Contents!].map(o => o.Key),
    ).toHaveLength(4);
    const folders = await s3.send(
      new ListObjectsV2Command({ Bucket: 'dumps', Delimiter: '/' }),
    );
    expect(folders.CommonPrefixes!.map(p => p.Prefix)).toEqual([
      'orders/',
      'users/',
    ]);

    await s3.send(
      new DeleteObjectCommand({ Bucket: 'dumps', Key: 'orders/b.dump' }),
    );
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'dumps',
        Delete: {
          Objects: [{ Key: 'orders/c.dump' }, { Key: 'users/d.dump' }],
        },
      }),
    );
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'dumps' }));
    expect(after.Contents!.map(o => o.Key)).toEqual([
      'orders/2026 12/a+b.dump',
    ]);
  }, 30_000);

  it('decodes the streaming (aws-chunked) upload the SDK sends for a stream body', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const stream = Readable.from(
      (function* chunks() {
        for (let i = 0; i < data.length; i += 64 * 1024)
          yield data.subarray(i, i + 64 * 1024);
      })(),
    );
    const sent: Record<string, string>[] = [];
    const command = new PutObjectCommand({
      Bucket: 'autonomous-backups',
      Key: 'big/stream.dump',
      Body: stream,
      ContentLength: data.length,
    });
    command.middlewareStack.add(
      next => async (args: any) => {
        sent.push({ ...args.request.headers });
        return next(args);
      },
      { step: 'deserialize' },
    );
    await s3.send(command);
    // The SDK streamed it aws-chunked, with a trailing checksum.
    expect(sent[0]['x-amz-content-sha256']).toMatch(/^STREAMING-/);
    expect(sent[0]['content-encoding']).toContain('aws-chunked');
    const got = await s3.send(
      new GetObjectCommand({
        Bucket: 'autonomous-backups',
        Key: 'big/stream.dump',
      }),
    );
    const body = Buffer.from(await got.Body!.transformToByteArray());
    expect(body.length).toBe(data.length);
    expect(body.equals(data)).toBe(true);
  }, 30_000);

  it('answers errors in S3 XML', async () => {
    const response = await fetch(`${running.url}/s3/nowhere/key`);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).toContain('<Code>NoSuchBucket</Code>');
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'nowhere', Key: 'k', Body: 'x' })),
    ).rejects.toBeInstanceOf(S3ServiceException);
  });
});

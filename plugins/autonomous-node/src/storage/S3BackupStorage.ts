import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import {
  BackupStorage,
  BackupStorageConfig,
  StoredObject,
  StoredObjectStream,
} from './types';

type S3Config = Extract<BackupStorageConfig, { type: 's3' }>;

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchKey' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

/**
 * Dumps in an S3-compatible bucket. Checksums only where S3 requires them: MinIO, Ceph and
 * other S3-compatible servers do not all accept the SDK's default CRC32 trailers.
 *
 * @public
 */
export class S3BackupStorage implements BackupStorage {
  readonly type = 's3';
  private readonly client: S3Client;

  constructor(
    private readonly config: S3Config,
    options: { client?: S3Client } = {},
  ) {
    this.client =
      options.client ??
      new S3Client({
        region: config.region,
        endpoint: config.endpoint,
        forcePathStyle: config.forcePathStyle,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        credentials:
          config.accessKeyId && config.secretAccessKey
            ? {
                accessKeyId: config.accessKeyId,
                secretAccessKey: config.secretAccessKey,
              }
            : undefined,
      });
  }

  location(key: string): string {
    return `s3://${this.config.bucket}/${key}`;
  }

  private fail(operation: string, key: string, error: unknown): Error {
    const e = error as { name?: string; message?: string };
    return new Error(
      `S3 ${operation} of ${this.location(key)} failed: ${
        e?.name ?? 'Error'
      }: ${e?.message ?? String(error)}`,
    );
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: key,
          Body: body,
        }),
      );
    } catch (error) {
      throw this.fail('upload', key, error);
    }
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      return {
        key,
        sizeBytes: Number(out.ContentLength ?? 0),
        modifiedAt: out.LastModified?.toISOString(),
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.fail('read', key, error);
    }
  }

  async stream(key: string): Promise<StoredObjectStream | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      const body = out.Body as unknown;
      return {
        key,
        sizeBytes: Number(out.ContentLength ?? 0),
        modifiedAt: out.LastModified?.toISOString(),
        body:
          body instanceof Readable
            ? body
            : Readable.fromWeb(
                (
                  body as { transformToWebStream(): any }
                ).transformToWebStream(),
              ),
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.fail('download', key, error);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
    } catch (error) {
      if (isMissing(error)) return;
      throw this.fail('deletion', key, error);
    }
  }
}

import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
} from 'node:fs';
import {
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

export interface S3Options {
  /** Where objects are kept on disk. Default a new temporary directory. */
  dir?: string;
  /** Buckets that exist from the start. Default `autonomous-backups`. */
  buckets?: string[];
}

export interface S3Object {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
  contentType: string;
  metadata: Record<string, string>;
}

/** An S3 error with the code and status S3 answers. */
export class S3Error extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Buckets and objects on disk: `<dir>/<bucket>/<sha256 of key>` holds an object's bytes and
 * `….json` its key, size, ETag (the MD5, as S3 gives for single-part uploads), type and
 * user metadata. Writes go to a temporary file first and are renamed into place.
 */
export class S3Store {
  readonly dir: string;
  /** The directory is a temporary one the store made (and removes when the sandbox stops). */
  private readonly temporary: boolean;

  constructor(options: S3Options = {}) {
    this.temporary = !options.dir;
    this.dir =
      options.dir ?? mkdtempSync(join(tmpdir(), 'autonomous-sandbox-s3-'));
    mkdirSync(this.dir, { recursive: true });
    for (const b of options.buckets ?? ['autonomous-backups']) {
      mkdirSync(join(this.dir, b), { recursive: true });
    }
  }

  private bucketDir(bucket: string) {
    return join(this.dir, bucket);
  }

  private objectPath(bucket: string, key: string) {
    return join(
      this.bucketDir(bucket),
      createHash('sha256').update(key).digest('hex'),
    );
  }

  /** Removes the store's directory when it made a temporary one; a configured one stays. */
  async removeTemporary() {
    if (this.temporary) await rm(this.dir, { recursive: true, force: true });
  }

  hasBucket(bucket: string): boolean {
    return BUCKET_NAME.test(bucket) && existsSync(this.bucketDir(bucket));
  }

  private mustHaveBucket(bucket: string) {
    if (!this.hasBucket(bucket)) {
      throw new S3Error(
        404,
        'NoSuchBucket',
        'The specified bucket does not exist',
      );
    }
  }

  /** Creates a bucket; false when it already existed. */
  createBucket(bucket: string): boolean {
    if (!BUCKET_NAME.test(bucket)) {
      throw new S3Error(
        400,
        'InvalidBucketName',
        'The specified bucket is not valid.',
      );
    }
    if (this.hasBucket(bucket)) return false;
    mkdirSync(this.bucketDir(bucket), { recursive: true });
    return true;
  }

  async listBuckets(): Promise<{ name: string; created: number }[]> {
    const names = await readdir(this.dir);
    const out: { name: string; created: number }[] = [];
    for (const name of names.sort()) {
      if (!BUCKET_NAME.test(name)) continue;
      out.push({ name, created: (await stat(join(this.dir, name))).mtimeMs });
    }
    return out;
  }

  /** Stores a body under the key; answers the object's description. */
  async put(
    bucket: string,
    key: string,
    body: Readable,
    contentType = 'binary/octet-stream',
    metadata: Record<string, string> = {},
  ): Promise<S3Object> {
    this.mustHaveBucket(bucket);
    const path = this.objectPath(bucket, key);
    const temp = `${path}.${randomBytes(4).toString('hex')}.part`;
    const md5 = createHash('md5');
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      md5.update(chunk);
      size += chunk.length;
    });
    try {
      await pipeline(body, createWriteStream(temp));
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    const object: S3Object = {
      key,
      size,
      etag: `"${md5.digest('hex')}"`,
      lastModified: Date.now(),
      contentType,
      metadata,
    };
    await writeFile(`${path}.json`, JSON.stringify(object));
    await rename(temp, path);
    return object;
  }

  async putFile(bucket: string, key: string, file: string) {
    return this.put(bucket, key, createReadStream(file));
  }

  async head(bucket: string, key: string): Promise<S3Object> {
    this.mustHaveBucket(bucket);
    const path = this.objectPath(bucket, key);
    try {
      const meta = JSON.parse(await readFile(`${path}.json`, 'utf8'));
      await stat(path);
      return meta;
    } catch {
      throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    }
  }

  /** The object's description and its bytes from `start` to `end` (inclusive). */
  async get(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ) {
    const object = await this.head(bucket, key);
    const stream = createReadStream(this.objectPath(bucket, key), range);
    return { object, stream };
  }

  /** The file that holds the object (for the sandbox's own Jobs). */
  async fileOf(bucket: string, key: string): Promise<string> {
    await this.head(bucket, key);
    return this.objectPath(bucket, key);
  }

  async delete(bucket: string, key: string) {
    this.mustHaveBucket(bucket);
    const path = this.objectPath(bucket, key);
    await rm(path, { force: true });
    await rm(`${path}.json`, { force: true });
  }

  async list(bucket: string): Promise<S3Object[]> {
    this.mustHaveBucket(bucket);
    const files = await readdir(this.bucketDir(bucket));
    const objects: S3Object[] = [];
    for (const f of files) {
      if (!f.endsWith('.json')) continue;
      try {
        objects.push(
          JSON.parse(await readFile(join(this.bucketDir(bucket), f), 'utf8')),
        );
      } catch {
        // A description being replaced right now; the next listing has it.
      }
    }
    // S3 lists keys in the binary order of their UTF-8 bytes.
    return objects.sort((a, b) =>
      Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)),
    );
  }
}

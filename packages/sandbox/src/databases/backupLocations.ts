import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { S3Store } from '../s3/store.ts';
import { ToolError } from './tools.ts';

/**
 * Where a database Job's `AUTONOMOUS_BACKUP_TARGET` / `AUTONOMOUS_RESTORE_SOURCE` lands:
 * `s3://<bucket>/<key>` in the sandbox's S3 store, `file:///<path>` on a volume the Job mounts
 * (every claim stands for the sandbox's backup directory, the path taken relative to its mount).
 */
export class BackupLocations {
  private readonly s3: S3Store;
  readonly backupDir: string;

  constructor(s3: S3Store, backupDir: string) {
    this.s3 = s3;
    this.backupDir = backupDir;
  }

  private parse(location: string, mounts: string[]) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw new ToolError(
        'not a backup location',
        `"${location}" is not an s3:// or file:// URL`,
      );
    }
    if (url.protocol === 's3:') {
      const key = decodeURIComponent(url.pathname.replace(/^\//, ''));
      if (!url.hostname || !key) {
        throw new ToolError(
          'not a backup location',
          `"${location}" names no bucket or key (s3://<bucket>/<key>)`,
        );
      }
      return { kind: 's3' as const, bucket: url.hostname, key };
    }
    if (url.protocol === 'file:') {
      const path = normalize(decodeURIComponent(url.pathname));
      const mount = mounts
        .map(m => m.replace(/\/+$/, ''))
        .filter(m => path.startsWith(`${m}/`))
        .sort((a, b) => b.length - a.length)[0];
      if (!mount) {
        throw new ToolError(
          'not on a volume',
          `${path} is not on a mounted volume (mounts: ${
            mounts.join(', ') || 'none'
          }); mount the backup claim there`,
        );
      }
      return {
        kind: 'file' as const,
        file: join(this.backupDir, path.slice(mount.length + 1)),
      };
    }
    throw new ToolError(
      'not a backup location',
      `"${location}": only s3:// and file:// are served`,
    );
  }

  /** Puts a local file at the location; answers its size. */
  async write(location: string, localFile: string, mounts: string[]) {
    const where = this.parse(location, mounts);
    const { size } = await stat(localFile);
    if (where.kind === 's3') {
      if (!this.s3.hasBucket(where.bucket)) {
        throw new ToolError(
          'upload failed',
          `upload failed: ${location} An error occurred (NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist`,
        );
      }
      await this.s3.putFile(where.bucket, where.key, localFile);
    } else {
      await mkdir(dirname(where.file), { recursive: true });
      await copyFile(localFile, where.file);
    }
    return size;
  }

  /** The local file holding what is at the location; a missing object fails like the tools do. */
  async read(location: string, mounts: string[]): Promise<string> {
    const where = this.parse(location, mounts);
    if (where.kind === 's3') {
      try {
        return await this.s3.fileOf(where.bucket, where.key);
      } catch (e) {
        throw new ToolError(
          'download failed',
          `download failed: ${location} An error occurred (${
            (e as { code?: string }).code ?? 'NoSuchKey'
          }) when calling the GetObject operation: ${(e as Error).message}`,
        );
      }
    }
    try {
      await stat(where.file);
    } catch {
      throw new ToolError(
        'no such file',
        `${location}: No such file or directory`,
      );
    }
    return where.file;
  }
}

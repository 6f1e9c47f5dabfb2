import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import {
  BackupStorage,
  BackupStorageConfig,
  StoredObject,
  StoredObjectStream,
} from './types';

type VolumeConfig = Extract<BackupStorageConfig, { type: 'volume' }>;

/** Where the Jobs mount the volume. @public */
export const BACKUP_VOLUME_MOUNT = '/backups';

/**
 * Dumps on a volume the Jobs mount at /backups and the backend reads at `path`.
 *
 * @public
 */
export class VolumeBackupStorage implements BackupStorage {
  readonly type = 'volume';
  private readonly root: string;

  constructor(config: Pick<VolumeConfig, 'path'>) {
    this.root = resolve(config.path);
  }

  location(key: string): string {
    return `file://${BACKUP_VOLUME_MOUNT}/${this.checked(key)}`;
  }

  /** Keys are relative paths inside the volume: no "..", no absolute path. */
  private checked(key: string): string {
    if (
      !key ||
      key.startsWith('/') ||
      key.split('/').some(part => part === '..' || part === '.' || !part)
    ) {
      throw new Error(
        `"${key}" is not a backup object key: use a relative path such as <instance>/<backup-id>.dump`,
      );
    }
    return key;
  }

  private pathOf(key: string): string {
    const full = resolve(this.root, this.checked(key));
    if (!full.startsWith(this.root + sep)) {
      throw new Error(`"${key}" is outside the backup volume`);
    }
    return full;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, body);
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const s = await stat(this.pathOf(key));
      if (!s.isFile()) return undefined;
      return { key, sizeBytes: s.size, modifiedAt: s.mtime.toISOString() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async stream(key: string): Promise<StoredObjectStream | undefined> {
    const found = await this.head(key);
    if (!found) return undefined;
    return { ...found, body: createReadStream(this.pathOf(key)) };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

import { Readable } from 'node:stream';

/** What is known of a stored dump without reading it. @public */
export interface StoredObject {
  key: string;
  sizeBytes: number;
  modifiedAt?: string;
}

/** A stored dump opened for reading; destroy `body` to stop early. @public */
export interface StoredObjectStream extends StoredObject {
  body: Readable;
}

/**
 * Where database dumps are kept: an S3-compatible bucket or a volume. The backend reads sizes
 * and streams downloads from here; the Kubernetes Jobs write to the same place, which
 * `location` names in the form the Jobs read (`s3://bucket/key` or `file:///backups/key`).
 *
 * @public
 */
export interface BackupStorage {
  readonly type: 's3' | 'volume';
  /** The URL a Job writes the dump to, or reads it from. */
  location(key: string): string;
  put(key: string, body: Readable | Buffer | string): Promise<void>;
  /** Undefined when there is no such object. */
  head(key: string): Promise<StoredObject | undefined>;
  /** Undefined when there is no such object. Never buffers the object. */
  stream(key: string): Promise<StoredObjectStream | undefined>;
  /** Deleting what is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** `autonomous.databases.backups.storage`. @public */
export type BackupStorageConfig =
  | {
      type: 's3';
      bucket: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      /** The Kubernetes Secret (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) the Jobs read. */
      credentialsSecret?: string;
      /** The backend's own credentials; absent: the AWS SDK's default chain. */
      accessKeyId?: string;
      secretAccessKey?: string;
    }
  | {
      type: 'volume';
      /** Where the backend reads the volume. */
      path: string;
      /** The PersistentVolumeClaim the Jobs mount at /backups. */
      claimName: string;
    };

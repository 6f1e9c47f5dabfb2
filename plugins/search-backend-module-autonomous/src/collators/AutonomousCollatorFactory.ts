import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import { Readable } from 'node:stream';
import { AutonomousIndexClient } from '../AutonomousIndexClient';
import { AutonomousCollatorSettings } from '../config';
import {
  databaseDocument,
  IndexedDatabase,
  IndexedProject,
  IndexedRelease,
  projectDocument,
  releaseDocument,
} from './documents';

/** @public */
export const AUTONOMOUS_DOCUMENT_TYPES = {
  project: 'autonomous-project',
  release: 'autonomous-release',
  database: 'autonomous-database',
} as const;

/**
 * One document type read from one index route. Every document names its entity in
 * `authorization.resourceRef`, and `visibilityPermission` is the catalog's entity read
 * permission, as the catalog collator's: the search backend asks the policy for each hit and
 * drops what the user may not read.
 */
class AutonomousCollatorFactory<Item> implements DocumentCollatorFactory {
  readonly visibilityPermission = catalogEntityReadPermission;

  constructor(
    readonly type: string,
    private readonly read: () => AsyncGenerator<Item[]>,
    private readonly toDocument: (item: Item) => object,
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async *documents() {
    for await (const page of this.read()) {
      for (const item of page) yield this.toDocument(item);
    }
  }
}

/** The three collators, reading the Autonomous backend with the settings' page sizes. */
export function createAutonomousCollatorFactories(
  client: AutonomousIndexClient,
  settings: Pick<AutonomousCollatorSettings, 'pageSize' | 'perProject'>,
): DocumentCollatorFactory[] {
  const limit = settings.pageSize;
  return [
    new AutonomousCollatorFactory(
      AUTONOMOUS_DOCUMENT_TYPES.project,
      () => client.pages<IndexedProject>('/index/projects', { limit }),
      projectDocument,
    ),
    new AutonomousCollatorFactory(
      AUTONOMOUS_DOCUMENT_TYPES.release,
      () =>
        client.pages<IndexedRelease>('/index/releases', {
          limit,
          perProject: settings.perProject,
        }),
      releaseDocument,
    ),
    new AutonomousCollatorFactory(
      AUTONOMOUS_DOCUMENT_TYPES.database,
      () => client.pages<IndexedDatabase>('/index/databases', { limit }),
      databaseDocument,
    ),
  ];
}

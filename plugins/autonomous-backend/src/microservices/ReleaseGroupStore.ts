import {
  Release,
  ReleaseGroup,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  releaseColumns,
  ReleaseRow,
  toRelease,
} from '../database/ReleaseStore';
import { orUndefined, toIso } from '../database/timestamps';

type GroupRow = {
  id: string;
  entity_ref: string;
  environment: string;
  requested_by: string;
  reason: string | null;
  created_at: unknown;
};

/**
 * Releases of several services asked for together. Each release is an ordinary release of its
 * own service; the group only links them, so each service's history reads as before and the
 * System shows them as one deployment.
 */
export class ReleaseGroupStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens a group before its releases exist: they are added as each is created. */
  async open(input: {
    entityRef: string;
    environment: string;
    requestedBy: string;
    reason?: string;
  }): Promise<string> {
    const id = randomUUID();
    await this.db('release_groups').insert({
      id,
      entity_ref: input.entityRef,
      environment: input.environment,
      requested_by: input.requestedBy,
      reason: input.reason ?? null,
      created_at: this.now(),
    });
    return id;
  }

  async add(groupId: string, releaseId: string, position: number) {
    await this.db('release_group_releases').insert({
      group_id: groupId,
      release_id: releaseId,
      position,
    });
  }

  /** Drops a group none of whose releases could be created. */
  async discard(groupId: string) {
    await this.db.transaction(async tx => {
      await tx('release_group_releases').where({ group_id: groupId }).delete();
      await tx('release_groups').where({ id: groupId }).delete();
    });
  }

  async get(groupId: string): Promise<ReleaseGroup | undefined> {
    const row: GroupRow | undefined = await this.db('release_groups')
      .where({ id: groupId })
      .first();
    if (!row) return undefined;
    return (await this.withReleases([row]))[0];
  }

  /** The project's most recent groups, newest first, each with its releases as they are now. */
  async recent(entityRef: string, limit = 10): Promise<ReleaseGroup[]> {
    const rows: GroupRow[] = await this.db('release_groups')
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return this.withReleases(rows);
  }

  /** The group each of these releases was requested in, by release id. */
  async groupsOf(releaseIds: string[]): Promise<Map<string, string>> {
    if (!releaseIds.length) return new Map();
    const rows: Array<{ group_id: string; release_id: string }> = await this.db(
      'release_group_releases',
    )
      .whereIn('release_id', releaseIds)
      .select('group_id', 'release_id');
    return new Map(rows.map(r => [r.release_id, r.group_id]));
  }

  private async withReleases(rows: GroupRow[]): Promise<ReleaseGroup[]> {
    if (!rows.length) return [];
    const members: Array<ReleaseRow & { group_id: string; position: number }> =
      await this.db('release_group_releases as m')
        .join('releases', 'releases.id', 'm.release_id')
        .whereIn(
          'm.group_id',
          rows.map(r => r.id),
        )
        .orderBy('m.position', 'asc')
        .select([...releaseColumns(this.db), 'm.group_id', 'm.position']);
    const byGroup = new Map<string, Release[]>();
    for (const member of members) {
      const list = byGroup.get(member.group_id) ?? [];
      list.push(toRelease(member));
      byGroup.set(member.group_id, list);
    }
    return rows.map(row => ({
      id: row.id,
      entityRef: row.entity_ref,
      environment: row.environment,
      requestedBy: row.requested_by,
      reason: orUndefined(row.reason),
      createdAt: toIso(row.created_at),
      releases: byGroup.get(row.id) ?? [],
    }));
  }
}

import { ProjectDeletion } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { toIso } from '../database/timestamps';

type DeletionRow = {
  entity_ref: string;
  project_ref: string;
  deleted_by: string;
  deleted_at: unknown;
  applications: string;
};

/**
 * Which projects were deleted. A deleted project's releases and events stay readable as
 * history; this row is what keeps it from being released again.
 */
export class ProjectDeletionStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records the project and each of its services as deleted, with the applications removed
   * from each, in one transaction.
   */
  async record(input: {
    projectRef: string;
    deletedBy: string;
    applications: Map<string, string[]>;
  }): Promise<ProjectDeletion> {
    const now = this.now();
    await this.db.transaction(async tx => {
      for (const [entityRef, applications] of input.applications) {
        await tx('project_deletions')
          .insert({
            entity_ref: entityRef,
            project_ref: input.projectRef,
            deleted_by: input.deletedBy,
            deleted_at: now,
            applications: JSON.stringify(applications),
          })
          .onConflict('entity_ref')
          .merge();
      }
    });
    return (await this.ofProject(input.projectRef))!;
  }

  /** The deletion that took this entity (a project or one of its services), if any. */
  async deletionOf(
    entityRef: string,
  ): Promise<
    { projectRef: string; deletedBy: string; deletedAt: string } | undefined
  > {
    const row: DeletionRow | undefined = await this.db('project_deletions')
      .where({ entity_ref: entityRef })
      .first();
    return row
      ? {
          projectRef: row.project_ref,
          deletedBy: row.deleted_by,
          deletedAt: toIso(row.deleted_at),
        }
      : undefined;
  }

  /** The deletion of a project, with everything it took. */
  async ofProject(projectRef: string): Promise<ProjectDeletion | undefined> {
    const rows: DeletionRow[] = await this.db('project_deletions')
      .where({ project_ref: projectRef })
      .orderBy('entity_ref', 'asc');
    const own = rows.find(r => r.entity_ref === projectRef);
    if (!own) return undefined;
    return {
      entityRef: projectRef,
      deletedBy: own.deleted_by,
      deletedAt: toIso(own.deleted_at),
      applications: rows.flatMap(r => JSON.parse(r.applications) as string[]),
      services: rows.map(r => r.entity_ref),
    };
  }
}

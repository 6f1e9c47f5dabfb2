import {
  Environment,
  ProjectKind,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { orUndefined, toIso } from './timestamps';

/** What the portal changed about a project, over what its entity's annotations say. */
export interface ProjectSettings {
  entityRef: string;
  kind: ProjectKind;
  autoDeploy?: boolean;
  environments: Environment[];
  createdAt: string;
  updatedAt: string;
}

export interface ProjectStore {
  getSettings(entityRef: string): Promise<ProjectSettings | undefined>;
  saveSettings(input: {
    entityRef: string;
    kind: ProjectKind;
    autoDeploy?: boolean;
    environments: Environment[];
  }): Promise<ProjectSettings>;
  saveEnvironment(input: {
    entityRef: string;
    kind: ProjectKind;
    /** The project's environments as they stand before any was saved (its annotations). */
    environments: Environment[];
    name: string;
    change: EnvironmentChange;
  }): Promise<ProjectSettings>;
}

/** What one settings form changes of one environment. */
export type EnvironmentChange = Partial<
  Pick<Environment, 'branch' | 'autoDeploy' | 'domains'>
>;

type ProjectRow = {
  entity_ref: string;
  kind: string;
  auto_deploy: boolean | number | null;
  created_at: unknown;
  updated_at: unknown;
};

type EnvironmentRow = {
  name: string;
  namespace: string;
  branch: string;
  auto_deploy: boolean | number;
  domains: string;
};

export class DatabaseProjectStore implements ProjectStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getSettings(entityRef: string): Promise<ProjectSettings | undefined> {
    const project: ProjectRow | undefined = await this.db('projects')
      .where({ entity_ref: entityRef })
      .first();
    if (!project) return undefined;
    const environments: EnvironmentRow[] = await this.db('environments')
      .where({ entity_ref: entityRef })
      .orderBy('position', 'asc');
    const autoDeploy = orUndefined(project.auto_deploy);
    return {
      entityRef,
      kind: project.kind as ProjectKind,
      autoDeploy: autoDeploy === undefined ? undefined : Boolean(autoDeploy),
      environments: environments.map(e => ({
        name: e.name,
        namespace: e.namespace,
        branch: e.branch,
        autoDeploy: Boolean(e.auto_deploy),
        domains: JSON.parse(e.domains),
      })),
      createdAt: toIso(project.created_at),
      updatedAt: toIso(project.updated_at),
    };
  }

  /** Replaces the project's settings and environments as one change. */
  async saveSettings(input: {
    entityRef: string;
    kind: ProjectKind;
    autoDeploy?: boolean;
    environments: Environment[];
  }): Promise<ProjectSettings> {
    const now = this.now();
    await this.db.transaction(async tx => {
      await tx('projects')
        .insert({
          entity_ref: input.entityRef,
          kind: input.kind,
          auto_deploy: input.autoDeploy ?? null,
          created_at: now,
          updated_at: now,
        })
        .onConflict('entity_ref')
        .merge(['kind', 'auto_deploy', 'updated_at']);
      await tx('environments').where({ entity_ref: input.entityRef }).delete();
      if (input.environments.length) {
        await tx('environments').insert(
          input.environments.map((env, position) => ({
            entity_ref: input.entityRef,
            name: env.name,
            namespace: env.namespace,
            branch: env.branch,
            auto_deploy: env.autoDeploy,
            domains: JSON.stringify(env.domains),
            position,
            created_at: now,
            updated_at: now,
          })),
        );
      }
    });
    return (await this.getSettings(input.entityRef))!;
  }

  /**
   * Changes one environment and leaves the others as stored, so two people saving different
   * environments (or different settings of one) at once both keep their change. The project
   * row is written first: on PostgreSQL its row lock queues a concurrent save of the same
   * project behind this one, which then sees the environments this one wrote.
   */
  async saveEnvironment(input: {
    entityRef: string;
    kind: ProjectKind;
    environments: Environment[];
    name: string;
    change: EnvironmentChange;
  }): Promise<ProjectSettings> {
    const now = this.now();
    const { entityRef, name, change } = input;
    await this.db.transaction(async tx => {
      await tx('projects')
        .insert({
          entity_ref: entityRef,
          kind: input.kind,
          auto_deploy: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict('entity_ref')
        .merge(['kind', 'updated_at']);
      const stored: Array<{ name: string; position: number }> = await tx(
        'environments',
      )
        .where({ entity_ref: entityRef })
        .select('name', 'position');
      const missing = input.environments
        .map((env, position) => ({ env, position }))
        .filter(({ env }) => !stored.some(row => row.name === env.name));
      const after = stored.length
        ? Math.max(...stored.map(row => row.position)) + 1
        : 0;
      if (missing.length) {
        // First save, or an environment the annotations gained since: stored as they say.
        await tx('environments').insert(
          missing.map(({ env, position }, i) => ({
            entity_ref: entityRef,
            name: env.name,
            namespace: env.namespace,
            branch: env.branch,
            auto_deploy: env.autoDeploy,
            domains: JSON.stringify(env.domains),
            position: stored.length ? after + i : position,
            created_at: now,
            updated_at: now,
          })),
        );
      }
      const updated = await tx('environments')
        .where({ entity_ref: entityRef, name })
        .update({
          ...(change.branch !== undefined && { branch: change.branch }),
          ...(change.autoDeploy !== undefined && {
            auto_deploy: change.autoDeploy,
          }),
          ...(change.domains !== undefined && {
            domains: JSON.stringify(change.domains),
          }),
          updated_at: now,
        });
      if (!updated) {
        throw new NotFoundError(
          `Environment ${name} is not one of ${entityRef}'s environments`,
        );
      }
      const { any } = (await tx('environments')
        .where({ entity_ref: entityRef, auto_deploy: true })
        .count({ any: '*' })
        .first()) as { any: number | string };
      await tx('projects')
        .where({ entity_ref: entityRef })
        .update({ auto_deploy: Number(any) > 0 });
    });
    return (await this.getSettings(entityRef))!;
  }
}

import {
  Environment,
  ProjectKind,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
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
}

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
}

import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AUTONOMOUS_ANNOTATIONS,
  DATABASE_ENGINES,
  isDatabaseEngine,
  isProjectKind,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { parseAllDocuments } from 'yaml';
import { ownerRef } from '../ownership';

/**
 * The kinds a template may register on a user's behalf. Locations, Templates, Users and
 * Groups are what a portal admin registers: a Location brings anything, a Template runs in
 * everyone's wizard, Users and Groups decide who is whom.
 */
export const REGISTRABLE_KINDS = ['Component', 'System', 'API', 'Resource'];

const ENVIRONMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface DescribedEntity {
  ref: string;
  kind: string;
  type?: string;
  owner?: string;
  annotations: Record<string, string>;
}

/** The entities a catalog-info.yaml describes, each checked to be registrable by a template. */
export function entitiesOf(text: string, file: string): DescribedEntity[] {
  const documents = parseAllDocuments(text);
  const entities: DescribedEntity[] = [];
  for (const document of documents) {
    if (document.errors.length) {
      throw new InputError(
        `${file} is not valid YAML: ${document.errors[0].message}`,
      );
    }
    const value = document.toJS() as any;
    if (value === null || value === undefined) continue;
    const kind = value?.kind;
    const name = value?.metadata?.name;
    if (typeof kind !== 'string' || typeof name !== 'string') {
      throw new InputError(
        `${file} holds a document without kind and metadata.name; every document must be a catalog entity`,
      );
    }
    if (!REGISTRABLE_KINDS.includes(kind)) {
      throw new InputError(
        `${file} describes a ${kind} (${name}); a template registers only ${REGISTRABLE_KINDS.join(
          ', ',
        )}: ask a portal admin to register the rest`,
      );
    }
    const namespace = value.metadata.namespace ?? 'default';
    entities.push({
      ref: `${kind.toLocaleLowerCase('en-US')}:${namespace}/${name}`,
      kind,
      type: typeof value.spec?.type === 'string' ? value.spec.type : undefined,
      owner:
        typeof value.spec?.owner === 'string' ? value.spec.owner : undefined,
      annotations: value.metadata.annotations ?? {},
    });
  }
  if (entities.length === 0) {
    throw new InputError(`${file} describes no entity`);
  }
  return entities;
}

/** Every entity must be owned by the user or one of their groups. */
export function checkOwnedBy(
  entities: DescribedEntity[],
  ownershipEntityRefs: string[],
) {
  const mine = new Set(
    ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
  );
  for (const entity of entities) {
    const namespace = entity.ref.split(':')[1].split('/')[0];
    if (!entity.owner || !mine.has(ownerRef(entity.owner, namespace))) {
      throw new NotAllowedError(
        `${entity.ref} is owned by ${
          entity.owner ?? 'nobody'
        }, not by you or one of your groups; a template registers only what the user who runs it owns`,
      );
    }
  }
}

/** The entities that are Autonomous projects, each with a valid kind and environments. */
export function projectsOf(entities: DescribedEntity[]): DescribedEntity[] {
  const projects = entities.filter(
    e => e.annotations[AUTONOMOUS_ANNOTATIONS.project] !== undefined,
  );
  for (const project of projects) {
    const kind = project.annotations[AUTONOMOUS_ANNOTATIONS.project];
    if (!isProjectKind(kind)) {
      throw new InputError(
        `${project.ref} has ${AUTONOMOUS_ANNOTATIONS.project}: "${kind}"; use monolith or microservice`,
      );
    }
    const environments = (
      project.annotations[AUTONOMOUS_ANNOTATIONS.environments] ?? ''
    )
      .split(',')
      .map(e => e.trim())
      .filter(Boolean);
    const bad = environments.filter(e => e.length > 63 || !ENVIRONMENT.test(e));
    if (bad.length) {
      throw new InputError(
        `${project.ref} has ${
          AUTONOMOUS_ANNOTATIONS.environments
        } with ${bad.join(
          ', ',
        )}: environment names are lower case letters, digits and dashes`,
      );
    }
  }
  return projects;
}

/** The database Resources (spec.type database), each naming a known engine. */
export function databasesOf(entities: DescribedEntity[]): DescribedEntity[] {
  const databases = entities.filter(
    e => e.kind === 'Resource' && e.type === 'database',
  );
  for (const database of databases) {
    const engine = database.annotations[AUTONOMOUS_ANNOTATIONS.databaseEngine];
    if (!isDatabaseEngine(engine)) {
      throw new InputError(
        `${database.ref} has ${AUTONOMOUS_ANNOTATIONS.databaseEngine}: "${
          engine ?? ''
        }"; use one of ${DATABASE_ENGINES.join(', ')}`,
      );
    }
  }
  return databases;
}

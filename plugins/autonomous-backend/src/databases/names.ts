import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { ENTITY_CLAIM_LABELS } from '../service/UpstreamBindings';

/**
 * An instance's name: a DNS label short enough that every name made from it fits its system's
 * limit (`<db>_owner` is 30 characters at most, Oracle's and MySQL's user name limits).
 */
export const INSTANCE_NAME = /^[a-z]([-a-z0-9]{0,22}[a-z0-9])?$/;
export const INSTANCE_NAME_RULE =
  'must be 1 to 24 lower-case letters, digits and "-", starting with a letter and not ending with "-"';

/** What the backend creates for an instance, all named after it. */
export interface InstanceNames {
  namespace: string;
  application: string;
  secret: string;
  /** StatefulSet and Service (the charts' fullnameOverride). */
  workload: string;
  pvc: string;
  usersJob: string;
  database: string;
  owner: string;
  readonly: string;
  vaultPath: string;
}

export function instanceNames(
  instance: Pick<DatabaseInstance, 'name' | 'namespace' | 'credentialsPath'>,
): InstanceNames {
  const { name } = instance;
  const database = name.replace(/-/g, '_');
  return {
    namespace: instance.namespace,
    application: `db-${name}`,
    secret: `${name}-credentials`,
    workload: name,
    pvc: `data-${name}-0`,
    usersJob: `${name}-users`,
    database,
    owner: `${database}_owner`,
    readonly: `${database}_ro`,
    vaultPath: instance.credentialsPath,
  };
}

export const namespaceOf = (name: string) => `db-${name}`;
export const vaultPathOf = (prefix: string, name: string) =>
  `${prefix}/${name}`;

/**
 * The labels through which an object the backend creates claims its entity (an entity ref is
 * no label value, so it is split in three, as on ArgoCD applications).
 */
export function claimLabels(entityRef: string): Record<string, string> {
  const ref = parseEntityRef(entityRef);
  return {
    [ENTITY_CLAIM_LABELS.kind]: ref.kind.toLocaleLowerCase('en-US'),
    [ENTITY_CLAIM_LABELS.namespace]: ref.namespace.toLocaleLowerCase('en-US'),
    [ENTITY_CLAIM_LABELS.name]: ref.name.toLocaleLowerCase('en-US'),
  };
}

/** Whether labels claim the entity (all three claim labels match). */
export function labelsClaim(
  labels: Record<string, string> | undefined,
  entityRef: string,
): boolean {
  const wanted = claimLabels(entityRef);
  return Object.entries(wanted).every(
    ([k, v]) => (labels?.[k] ?? '').toLocaleLowerCase('en-US') === v,
  );
}

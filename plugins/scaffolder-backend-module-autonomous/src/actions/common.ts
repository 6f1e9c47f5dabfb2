import { InputError } from '@backstage/errors';
import {
  UpstreamClientsMap,
  UpstreamError,
  UpstreamSystem,
} from '@autonomous-dev/backstage-plugin-autonomous-node';

/**
 * The annotation (and description line, on Jenkins jobs) through which an upstream object
 * claims the catalog entity it belongs to. The Autonomous backend acts on an object only
 * when it claims the entity.
 *
 * @public
 */
export const ENTITY_REF_ANNOTATION = 'autonomous.dev/entity-ref';

/**
 * Label-safe parts of the claim, set in the same write that creates the object, so an object
 * is never unclaimed even if the task dies before the annotation is added.
 *
 * @public
 */
export const ENTITY_CLAIM_LABELS = {
  kind: 'autonomous.dev/entity-kind',
  namespace: 'autonomous.dev/entity-namespace',
  name: 'autonomous.dev/entity-name',
} as const;

/** The upstream clients the actions use; `UpstreamClients` fits. @public */
export interface ActionUpstreamClients {
  get<S extends UpstreamSystem>(
    system: S,
    instanceName?: string,
  ): UpstreamClientsMap[S];
}

/** A full entity ref, `kind:namespace/name`. @public */
export interface ParsedEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

const ENTITY_REF =
  /^([a-zA-Z][a-zA-Z0-9]{0,62}):([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/([a-zA-Z0-9]([-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)$/;

/** Parses a full entity ref (`component:default/shop`); anything else is an InputError. */
export function parseFullEntityRef(ref: string): ParsedEntityRef {
  const match = ENTITY_REF.exec(ref.trim());
  if (!match) {
    throw new InputError(
      `entityRef "${ref}" is not a full entity ref of the form kind:namespace/name, e.g. component:default/shop`,
    );
  }
  return {
    kind: match[1].toLocaleLowerCase('en-US'),
    namespace: match[2],
    name: match[4],
  };
}

export function stringifyEntityRef(ref: ParsedEntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}

/** A Kubernetes-style DNS label: lower case letters, digits and dashes, at most `max` long. */
export function checkDnsLabel(value: string, what: string, max = 63): void {
  if (value.length > max || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    throw new InputError(
      `${what} "${value}" must be lower case letters, digits and dashes, start and end with a letter or digit, and be at most ${max} characters`,
    );
  }
}

/**
 * The client of a configured instance; an unknown instance name is bad input. An empty name
 * (a template parameter left empty renders as "") means the default instance.
 */
export function clientOf<S extends UpstreamSystem>(
  clients: ActionUpstreamClients,
  system: S,
  instance: string | undefined,
): UpstreamClientsMap[S] {
  try {
    return clients.get(system, instance?.trim() || undefined);
  } catch (error) {
    if (
      error instanceof UpstreamError &&
      error.operation === 'choice of an instance'
    ) {
      throw new InputError(error.reason);
    }
    throw error;
  }
}

/** True for an upstream answer that says the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return (error as { status?: number })?.status === 404;
}

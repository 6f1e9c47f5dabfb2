import {
  ArgoCdApplication,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';

/** The annotation (ArgoCD) and description line (Jenkins) through which an object claims its entity. */
export const ENTITY_REF_ANNOTATION = 'autonomous.dev/entity-ref';

/** The labels that name the claimed entity on an ArgoCD Application (an entity ref is no label value). */
export const ENTITY_CLAIM_LABELS = {
  kind: 'autonomous.dev/entity-kind',
  namespace: 'autonomous.dev/entity-namespace',
  name: 'autonomous.dev/entity-name',
} as const;

/** One entry of `autonomous.bindings`: the applications and jobs an owner's entities may use. */
export interface UpstreamBinding {
  owner: string;
  argocdApplications: string[];
  jenkinsJobs: string[];
}

/** The entity an ArgoCD Application claims: its annotation, else its three labels. */
export function applicationClaim(app: ArgoCdApplication): string | undefined {
  const metadata = app.metadata as ArgoCdApplication['metadata'] & {
    annotations?: Record<string, string>;
  };
  const annotated = metadata.annotations?.[ENTITY_REF_ANNOTATION]?.trim();
  if (annotated) return annotated.toLocaleLowerCase('en-US');
  const labels = metadata.labels ?? {};
  const kind = labels[ENTITY_CLAIM_LABELS.kind];
  const namespace = labels[ENTITY_CLAIM_LABELS.namespace];
  const name = labels[ENTITY_CLAIM_LABELS.name];
  if (!kind || !namespace || !name) return undefined;
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

/** Whether a Jenkins job description has the line `autonomous.dev/entity-ref: <ref>`. */
export function jobClaims(
  description: string | null | undefined,
  entityRef: string,
): boolean {
  const line = `${ENTITY_REF_ANNOTATION}: ${entityRef}`.toLocaleLowerCase(
    'en-US',
  );
  return (description ?? '')
    .split(/\r?\n/)
    .some(l => l.trim().toLocaleLowerCase('en-US') === line);
}

function normalizeOwner(ref: string, defaultNamespace = 'default'): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace }),
  );
}

/**
 * Binds upstream objects to entities: the suite writes to an ArgoCD Application or triggers a
 * Jenkins job only when the object claims the entity, or when `autonomous.bindings` maps the
 * entity's owner to it. The entity's annotations alone never grant access to an object.
 */
export class UpstreamBindings {
  static fromConfig(config: Config): UpstreamBindings {
    const bindings = (
      config.getOptionalConfigArray('autonomous.bindings') ?? []
    ).map((c, i): UpstreamBinding => {
      const where = `autonomous.bindings[${i}]`;
      let owner: string;
      try {
        owner = normalizeOwner(c.getString('owner'));
      } catch (e) {
        throw new Error(
          `${where}.owner is not an entity ref (e.g. group:default/shop-team): ${e}`,
        );
      }
      const argocdApplications =
        c.getOptionalStringArray('argocdApplications') ?? [];
      const jenkinsJobs = c.getOptionalStringArray('jenkinsJobs') ?? [];
      if (!argocdApplications.length && !jenkinsJobs.length) {
        throw new Error(
          `${where} (owner ${owner}) names no argocdApplications and no jenkinsJobs: list what the owner's entities may use, or leave the entry out`,
        );
      }
      return { owner, argocdApplications, jenkinsJobs };
    });
    return new UpstreamBindings(bindings);
  }

  constructor(private readonly bindings: UpstreamBinding[] = []) {}

  private mapped(
    entity: Entity,
    what: 'argocdApplications' | 'jenkinsJobs',
    name: string,
  ): boolean {
    const owner = entity.spec?.owner;
    if (typeof owner !== 'string' || !this.bindings.length) return false;
    let ownerRef: string;
    try {
      ownerRef = normalizeOwner(owner, entity.metadata.namespace ?? 'default');
    } catch {
      return false;
    }
    return this.bindings.some(
      b => b.owner === ownerRef && b[what].includes(name),
    );
  }

  /** Why the application may not be acted on for the entity, or undefined when it may. */
  applicationRefusal(
    entity: Entity,
    app: ArgoCdApplication,
  ): string | undefined {
    const ref = stringifyEntityRef(entity);
    const name = app.metadata.name;
    if (applicationClaim(app) === ref) return undefined;
    if (this.mapped(entity, 'argocdApplications', name)) return undefined;
    const claim = applicationClaim(app);
    return `ArgoCD application ${name} does not claim ${ref}${
      claim ? ` (it claims ${claim})` : ''
    }: add the annotation ${ENTITY_REF_ANNOTATION}: ${ref} to the Application, or map it to the entity's owner in autonomous.bindings`;
  }

  /** Why the job may not be built for the entity, or undefined when it may. */
  jobRefusal(
    entity: Entity,
    job: string,
    description: string | null | undefined,
  ): string | undefined {
    const ref = stringifyEntityRef(entity);
    if (jobClaims(description, ref)) return undefined;
    if (this.mapped(entity, 'jenkinsJobs', job)) return undefined;
    return `Jenkins job ${job} does not claim ${ref}: add the line "${ENTITY_REF_ANNOTATION}: ${ref}" to the job's description, or map it to the entity's owner in autonomous.bindings`;
  }

  /** Reads the application and throws a NotAllowedError when it does not claim the entity. */
  async boundApplication(
    clients: UpstreamClients,
    entity: Entity,
    name: string,
  ): Promise<ArgoCdApplication> {
    const app = await clients.forEntity('argocd', entity).getApplication(name);
    const refusal = this.applicationRefusal(entity, app);
    if (refusal) throw new NotAllowedError(refusal);
    return app;
  }

  /** Reads the job's description; the reason it may not be built, or undefined. */
  async jobRefusalOf(
    clients: UpstreamClients,
    entity: Entity,
    job: string,
  ): Promise<string | undefined> {
    const info = (await clients.forEntity('jenkins', entity).getJob(job)) as {
      description?: string | null;
    };
    return this.jobRefusal(entity, job, info.description);
  }
}

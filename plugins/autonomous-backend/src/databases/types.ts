import {
  ConnectionProfile,
  DatabaseEventStep,
  DatabaseInstance,
  DatabaseStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  ArgoCdClient,
  KubernetesClient,
  VaultClient,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { DatabaseProgress, WorkStep } from '../database/DatabaseWorkStore';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { DatabaseBackupHooks } from './backupHooks';
import { EngineSettings } from './engines';
import { InstanceNames } from './names';
import { DatabaseSettings } from './settings';

/** What a step of the provisioning or deletion works with. */
export interface StepContext {
  instance: DatabaseInstance;
  progress: DatabaseProgress;
  entity: Entity;
  names: InstanceNames;
  engine: EngineSettings;
  settings: DatabaseSettings;
  kubernetes: KubernetesClient;
  argocd: ArgoCdClient;
  vault: VaultClient;
  bindings: UpstreamBindings;
  hooks?: DatabaseBackupHooks;
  now: Date;
}

/** How a step ended this turn. */
export type StepResult =
  /** Done: the sentence of its `succeeded` event. */
  | {
      done: string;
      connection?: ConnectionProfile;
      /** Done without an event (a step that does not apply to this instance). */
      skipped?: boolean;
    }
  /** Not yet: look again in `wait` ms; `remember` is kept for the next turn. */
  | {
      wait: number;
      remember?: Pick<DatabaseProgress, 'finalBackupId' | 'restoreId'>;
    }
  /** Failed: the sentence of its `failed` event and the instance's status message. */
  | { fail: string };

/** One step: its event name, the status it runs under, the sentence its start writes. */
export interface StepDefinition {
  event: DatabaseEventStep;
  status: DatabaseStatus;
  starting(ctx: StepContext): string;
  /** Whether the step applies to the instance at all (restore only for one made from a backup). */
  applies?(ctx: Pick<StepContext, 'instance' | 'progress'>): boolean;
  run(ctx: StepContext): Promise<StepResult>;
}

export type StepTable = Record<WorkStep, StepDefinition>;

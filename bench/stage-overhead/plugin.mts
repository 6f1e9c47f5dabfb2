/*
 * The backend plugin's own test helpers and rules, loaded from its TypeScript sources through
 * the Backstage CLI's Node transform (CommonJS require hook), as the backend runs them:
 *
 * - ChildBackend (src/__testUtils__/childBackend.ts): a real backend-defaults backend running
 *   only the Autonomous plugin as a child process, with the catalog answered from a file;
 * - startSandboxProjects, entityFor, sandboxConfigData (src/__testUtils__/sandboxProject.ts):
 *   the in-process upstream sandbox with projects set up as a template would (Jenkins job with
 *   the five parameters, Harbor project, Argo CD application), their catalog entities, and
 *   client config pointing at the sandbox;
 * - the orchestrator's reading of a rollout: workloadOf (deployStages.ts) and rolloutStatus
 *   (autonomous-node's kubernetes/rollout.ts).
 *
 * Only the parts used here are typed.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { RolloutRules, SandboxObjects } from './truth.mts';

export interface ChildBackend {
  readonly dir: string;
  readonly port: number;
  start(): Promise<void>;
  kill(): Promise<void>;
  log(): string;
}

export interface SandboxProjects {
  sandbox: { url: string; sandbox: SandboxObjects };
  addProject(name: string): Promise<void>;
  control(path: string, body?: unknown, method?: string): Promise<any>;
  stop(): Promise<void>;
}

export interface Plugin {
  ChildBackend: {
    create(options: {
      entities: object[];
      config: (ctx: { dir: string; port: number }) => object;
    }): Promise<ChildBackend>;
  };
  startSandboxProjects(): Promise<SandboxProjects>;
  entityFor(name: string): object;
  sandboxConfigData(url: string): { autonomous: Record<string, unknown> };
  rolloutRules: RolloutRules;
}

export function loadPlugin(repo: string): Plugin {
  const backend = createRequire(
    join(repo, 'plugins/autonomous-backend/package.json'),
  );
  backend(backend.resolve('@backstage/cli-node/config/nodeTransform.cjs'));
  const node = createRequire(
    join(repo, 'plugins/autonomous-node/package.json'),
  );
  const { ChildBackend } = backend('./src/__testUtils__/childBackend');
  const { startSandboxProjects, entityFor, sandboxConfigData } = backend(
    './src/__testUtils__/sandboxProject',
  );
  const { workloadOf } = backend('./src/orchestrator/deployStages');
  const { rolloutStatus } = node('./src/kubernetes/rollout');
  return {
    ChildBackend,
    startSandboxProjects,
    entityFor,
    sandboxConfigData,
    rolloutRules: { workloadOf, rolloutStatus },
  };
}

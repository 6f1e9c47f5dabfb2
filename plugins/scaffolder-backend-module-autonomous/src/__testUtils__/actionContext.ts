import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { ConfigReader } from '@backstage/config';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';

export const JENKINS = 'http://jenkins.test/ci';
export const HARBOR = 'http://harbor.test';
export const VAULT = 'http://vault.test/vault';
export const ARGOCD = 'http://argocd.test/argocd';

/** Clients for one instance of each system, no read cache and no retries. */
export function testClients(): UpstreamClients {
  return UpstreamClients.fromConfig(
    new ConfigReader({
      autonomous: {
        upstreams: { retries: 0, timeoutMs: 2000 },
        jenkins: {
          instances: [
            { name: 'ci', url: JENKINS, username: 'robot', apiToken: 'jt' },
          ],
        },
        harbor: {
          instances: [
            { name: 'main', url: HARBOR, username: 'admin', password: 'hp' },
          ],
        },
        vault: { instances: [{ name: 'main', url: VAULT, token: 'vt' }] },
        argocd: { instances: [{ name: 'main', url: ARGOCD, token: 'at' }] },
      },
    }),
    { readCache: false },
  );
}

/**
 * What the scaffolder keeps of a task's checkpoints: a value per key once its function
 * succeeded. Shared between runs, it stands for a task resumed after a restart.
 */
export class CheckpointStore {
  readonly values = new Map<string, unknown>();
  readonly ran: string[] = [];

  /**
   * `crashAfter`: the process dies once the function of this key has done its work but
   * before the scaffolder recorded it.
   */
  private crashAfter?: string;

  constructor(options: { crashAfter?: string } = {}) {
    this.crashAfter = options.crashAfter;
  }

  checkpoint = async <T>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T> => {
    if (this.values.has(opts.key)) return this.values.get(opts.key) as T;
    this.ran.push(opts.key);
    const value = await opts.fn();
    if (opts.key === this.crashAfter) {
      this.crashAfter = undefined; // the process dies once; the resumed task goes on
      throw new Error(`crash after ${opts.key}`);
    }
    // Stored as JSON, as the scaffolder stores it.
    this.values.set(opts.key, JSON.parse(JSON.stringify(value ?? {})));
    return value;
  };
}

export type TestActionContext = ActionContext<any, any> & {
  isDryRun: boolean;
  store: CheckpointStore;
  /** Every message logged, with its metadata. */
  logged: string[];
};

export function actionContext(
  input: object,
  options: {
    dryRun?: boolean;
    store?: CheckpointStore;
    workspacePath?: string;
  } = {},
): TestActionContext {
  const store = options.store ?? new CheckpointStore();
  const ctx = createMockActionContext({
    input: input as any,
    workspacePath: options.workspacePath,
  });
  const infos: string[] = [];
  const logger = ctx.logger;
  for (const level of ['info', 'warn', 'error', 'debug'] as const) {
    const original = (logger as any)[level].bind(logger);
    (logger as any)[level] = (message: string, ...rest: unknown[]) => {
      infos.push(`${message} ${rest.length ? JSON.stringify(rest) : ''}`);
      return original(message, ...rest);
    };
  }
  return Object.assign(ctx, {
    isDryRun: options.dryRun ?? false,
    checkpoint: store.checkpoint as ActionContext<any>['checkpoint'],
    store,
    logged: infos,
  });
}

/** Everything a run left behind that others can read: outputs, logs, checkpoint values. */
export function visibleTrace(ctx: TestActionContext): string {
  return JSON.stringify({
    outputs: (ctx.output as jest.Mock).mock.calls,
    logs: ctx.logged,
    checkpoints: [...ctx.store.values.entries()],
  });
}

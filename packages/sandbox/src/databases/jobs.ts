import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobWork } from '../kubernetes/pods.ts';
import type { KubernetesState } from '../kubernetes/index.ts';
import type { RealEngine } from './engine.ts';
import type { DatabaseServers } from './servers.ts';
import { ToolError } from './tools.ts';

export const JOB_KIND_LABEL = 'autonomous.dev/job-kind';
const KINDS = ['users', 'backup', 'scheduled-backup', 'restore'] as const;
type JobKind = (typeof KINDS)[number];

interface JobContext {
  kind: JobKind;
  env: Record<string, string>;
  mounts: string[];
}

function required(env: Record<string, string>, names: string[]) {
  const missing = names.filter(n => !env[n]);
  if (missing.length) {
    throw new ToolError(
      'the Job is missing settings',
      `${missing.join(', ')} ${
        missing.length > 1 ? 'are' : 'is'
      } not set in the container's env`,
    );
  }
}

function failure(e: unknown): { lines: string[]; succeeded: boolean } {
  const lines = [`error: ${(e as Error)?.message ?? e}`];
  if (e instanceof ToolError && e.stderr) lines.push(...e.stderr.split('\n'));
  lines.push('exit status 1');
  return { lines, succeeded: false };
}

/**
 * What a database Job's container does (label `autonomous.dev/job-kind`: users, backup,
 * scheduled-backup, restore): on a real server, the engine's own tools; on a simulated engine,
 * log lines and a small placeholder dump. The log names what ran, never a password.
 */
export class DatabaseJobs {
  private readonly servers: DatabaseServers;
  private readonly kube: KubernetesState;

  constructor(servers: DatabaseServers, kube: KubernetesState) {
    this.servers = servers;
    this.kube = kube;
  }

  private kindOf(pod: any): JobKind | undefined {
    const owner = (pod.metadata.ownerReferences ?? []).find(
      (r: any) => r.kind === 'Job',
    );
    const job =
      owner && this.kube.get('jobs', pod.metadata.namespace, owner.name);
    const kind =
      job?.metadata.labels?.[JOB_KIND_LABEL] ??
      pod.metadata.labels?.[JOB_KIND_LABEL];
    return KINDS.includes(kind) ? kind : undefined;
  }

  /** The work of a database Job's pod; undefined for any other pod. */
  work(pod: any): JobWork | undefined {
    const kind = this.kindOf(pod);
    if (!kind) return undefined;
    const container = pod.spec.containers[0];
    const header = `job ${
      pod.metadata.labels?.['job-name'] ?? pod.metadata.name
    } (${kind}) started in namespace ${pod.metadata.namespace}`;
    const resolved = this.kube.resolveEnv(pod, container);
    if (!resolved.ok) {
      return {
        startup: [header],
        run: async () =>
          failure(
            new ToolError(
              'the container cannot start',
              `${resolved.reason}: ${resolved.message}`,
            ),
          ),
      };
    }
    const ctx: JobContext = {
      kind,
      env: resolved.env,
      mounts: (container.volumeMounts ?? []).map((m: any) => m.mountPath),
    };
    // Counted from now, not from when the container starts, so stopping the sandbox waits for it.
    let finished = () => {};
    this.servers.track(
      new Promise<void>(resolve => {
        finished = resolve;
      }),
    );
    const engineName = ctx.env.AUTONOMOUS_ENGINE ?? '';
    const engine = this.servers.engineFor(engineName);
    return {
      startup: [
        header,
        `image: ${container.image ?? ''}`,
        engine
          ? `engine: ${engine.engine} (real server ${engine.address.host}:${
              engine.address.port
            } stands for ${ctx.env.AUTONOMOUS_DB_HOST ?? 'the database host'})`
          : `engine: ${engineName || 'unknown'} (simulated)`,
      ],
      run: async () => {
        const lines: string[] = [];
        try {
          await this.run(ctx, engine, lines);
          return { lines, succeeded: true };
        } catch (e) {
          return { lines: [...lines, ...failure(e).lines], succeeded: false };
        } finally {
          finished();
        }
      },
    };
  }

  private async run(
    ctx: JobContext,
    engine: RealEngine | undefined,
    lines: string[],
  ) {
    const { env } = ctx;
    required(env, [
      'AUTONOMOUS_ENGINE',
      'AUTONOMOUS_DB_NAME',
      'AUTONOMOUS_DB_USER',
    ]);
    const database = env.AUTONOMOUS_DB_NAME;
    let real = engine && (await this.servers.databaseFor(engine, database));
    if (engine && real) {
      try {
        await engine.ping();
      } catch (e) {
        this.servers.fallBack(engine, e);
        real = undefined;
      }
    }
    if (engine && !real) {
      lines.push(
        `database "${database}" was not created on the real server by this sandbox; the Job is simulated`,
      );
    }
    const on = real ? engine : undefined;
    switch (ctx.kind) {
      case 'users':
        await this.users(ctx, on, lines);
        break;
      case 'backup':
      case 'scheduled-backup':
        await this.backup(ctx, on, lines);
        break;
      default:
        await this.restore(ctx, on, lines);
    }
  }

  private async users(
    ctx: JobContext,
    engine: RealEngine | undefined,
    lines: string[],
  ) {
    const { env } = ctx;
    required(env, ['AUTONOMOUS_READONLY_USER', 'AUTONOMOUS_READONLY_PASSWORD']);
    const user = env.AUTONOMOUS_READONLY_USER;
    if (!engine) {
      lines.push(
        `created read-only user "${user}" on ${env.AUTONOMOUS_ENGINE} database "${env.AUTONOMOUS_DB_NAME}" (simulated)`,
        'users completed',
      );
      return;
    }
    lines.push(
      `+ ${engine.describe(
        'users',
        env.AUTONOMOUS_DB_NAME,
        env.AUTONOMOUS_DB_USER,
      )}`,
    );
    lines.push(
      ...(await engine.createReadonly(
        env.AUTONOMOUS_DB_NAME,
        env.AUTONOMOUS_DB_USER,
        user,
        env.AUTONOMOUS_READONLY_PASSWORD,
      )),
      'users completed',
    );
  }

  private async backup(
    ctx: JobContext,
    engine: RealEngine | undefined,
    lines: string[],
  ) {
    const { env } = ctx;
    required(env, ['AUTONOMOUS_BACKUP_TARGET']);
    const target = env.AUTONOMOUS_BACKUP_TARGET;
    const dir = await mkdtemp(join(tmpdir(), 'autonomous-sandbox-dump-'));
    const file = join(dir, 'dump');
    try {
      if (engine) {
        lines.push(
          `+ ${engine.describe(
            'backup',
            env.AUTONOMOUS_DB_NAME,
            env.AUTONOMOUS_DB_USER,
          )} > ${target}`,
        );
        lines.push(...(await engine.backup(env.AUTONOMOUS_DB_NAME, file)));
      } else {
        lines.push(
          `+ ${env.AUTONOMOUS_ENGINE} dump of "${env.AUTONOMOUS_DB_NAME}" > ${target} (simulated: a placeholder dump)`,
        );
        await writeFile(
          file,
          `-- autonomous sandbox placeholder dump\n-- engine: ${
            env.AUTONOMOUS_ENGINE
          }\n-- database: ${
            env.AUTONOMOUS_DB_NAME
          }\n-- taken: ${new Date().toISOString()}\n`,
        );
      }
      const bytes = await this.servers.locations.write(
        target,
        file,
        ctx.mounts,
      );
      lines.push(`wrote ${bytes} bytes to ${target}`, 'backup completed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async restore(
    ctx: JobContext,
    engine: RealEngine | undefined,
    lines: string[],
  ) {
    const { env } = ctx;
    required(env, ['AUTONOMOUS_RESTORE_SOURCE']);
    const source = env.AUTONOMOUS_RESTORE_SOURCE;
    const file = await this.servers.locations.read(source, ctx.mounts);
    const { size } = await stat(file);
    if (!engine) {
      if (size === 0) {
        throw new ToolError('the dump is empty', `${source} holds 0 bytes`);
      }
      lines.push(
        `+ restore ${source} into ${env.AUTONOMOUS_ENGINE} database "${env.AUTONOMOUS_DB_NAME}" (simulated)`,
        `read ${size} bytes from ${source}`,
        'restore completed',
      );
      return;
    }
    lines.push(
      `+ ${engine.describe(
        'restore',
        env.AUTONOMOUS_DB_NAME,
        env.AUTONOMOUS_DB_USER,
      )} < ${source}`,
      `read ${size} bytes from ${source}`,
    );
    lines.push(
      ...(await engine.restore(
        env.AUTONOMOUS_DB_NAME,
        env.AUTONOMOUS_DB_USER,
        file,
      )),
      'restore completed',
    );
  }
}

import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';

const ENTRY = resolve(__dirname, 'standaloneBackend.ts');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

/** A real backend process with the Autonomous plugin, to kill and start again. */
export class ChildBackend {
  private child?: ChildProcess;
  private output = '';
  readonly dir: string;

  private constructor(
    private readonly configFile: string,
    private readonly entitiesFile: string,
    readonly port: number,
  ) {
    this.dir = resolve(configFile, '..');
  }

  static async create(options: {
    entities: Entity[];
    /** Config layered over the backend basics (database, upstreams, orchestrator). */
    config: (ctx: { dir: string; port: number }) => object;
  }): Promise<ChildBackend> {
    const dir = mkdtempSync(join(tmpdir(), 'autonomous-backend-'));
    const port = await freePort();
    const base = {
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database: {
          client: 'better-sqlite3',
          connection: { directory: dir },
        },
      },
    };
    const configFile = join(dir, 'app-config.json');
    const entitiesFile = join(dir, 'entities.json');
    writeFileSync(
      configFile,
      JSON.stringify(deepMerge(base, options.config({ dir, port }))),
    );
    writeFileSync(entitiesFile, JSON.stringify(options.entities));
    return new ChildBackend(configFile, entitiesFile, port);
  }

  /** Starts the process and resolves once it answers /api/autonomous/health. */
  async start(): Promise<void> {
    this.output = '';
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ENTRY,
        '--config',
        this.configFile,
      ],
      {
        env: {
          ...process.env,
          NODE_ENV: 'development',
          AUTONOMOUS_TEST_ENTITIES: this.entitiesFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout?.on('data', d => (this.output += d));
    child.stderr?.on('data', d => (this.output += d));
    // A backend starts in seconds, but in minutes on a machine running other suites at once.
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`backend exited ${child.exitCode}:\n${this.log()}`);
      }
      try {
        const res = await fetch(
          `http://127.0.0.1:${this.port}/api/autonomous/health`,
        );
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`backend did not start:\n${this.log()}`);
      }
      await new Promise(r => setTimeout(r, 200));
    }
  }

  /** SIGKILL: no shutdown hook runs, leases stay taken, requests in flight are cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise(r => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  log(): string {
    return this.output.slice(-4000);
  }
}

function deepMerge(a: any, b: any): any {
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return b;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = deepMerge(a[k], v);
  return out;
}

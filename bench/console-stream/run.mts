/*
 * The database console streaming a 1,000,000-row SELECT from PostgreSQL: a real backend
 * process running the Autonomous plugin, an instance provisioned through the API on the
 * machine's PostgreSQL (the sandbox's real-database mode), the statement run through
 * POST /databases/:id/console/statements (NDJSON) with the row cap raised to 1,000,000 as
 * the read-only user. Measured: the backend's RSS growth during the run (target ≤ 100 MB),
 * time to first row, rows/s; and, in the same run, `psql -c "…" > /dev/null` on the same
 * query as the same user, with the ratio (target ≥ 0.5× psql's rows/s).
 *
 *   yarn bench:console-stream
 *
 * Environment (optional): BENCH_ROWS (default 1000000), BENCH_RUNS (default 3).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const RESULTS = join(REPO, 'bench/results/console-stream.md');
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TOKEN = `bench-${Date.now()}-console-token`;
const QUERY = `SELECT g AS n, md5(g::text) AS hash, g * 0.5 AS half FROM generate_series(1, ${ROWS}) g`;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number, init?: RequestInit) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, init);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await sleep(250);
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function start(
  args: string[],
  env: Record<string, string>,
  logFile: string,
): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', d => (out += d));
  child.stderr?.on('data', d => (out += d));
  child.on('exit', (code, signal) => {
    writeFileSync(logFile, out);
    log(
      `${
        args[args.length - 1]
      } exited (code ${code}, signal ${signal}); log ${logFile}`,
    );
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

interface Measured {
  firstRowMs: number;
  totalMs: number;
  rows: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  truncated: boolean;
}

/** Runs the statement through the route, reading the stream as it arrives. */
async function throughConsole(
  base: string,
  databaseId: string,
  backendPid: number,
): Promise<Measured> {
  const rssBeforeMb = rssMb(backendPid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, rssMb(backendPid));
  }, 20);
  const t0 = performance.now();
  const res = await fetch(
    `${base}/api/autonomous/databases/${databaseId}/console/statements`,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${TOKEN}`,
      },
      body: JSON.stringify({ statement: QUERY, maxRows: ROWS }),
    },
  );
  if (res.status !== 200)
    throw new Error(`console: ${res.status} ${await res.text()}`);
  const decoder = new TextDecoder();
  let firstRowMs = 0;
  let rows = 0;
  let tail = '';
  let end: any;
  for await (const chunk of res.body as any as AsyncIterable<Uint8Array>) {
    const text = tail + decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{"type":"row"')) {
        if (rows === 0) firstRowMs = performance.now() - t0;
        rows++;
      } else if (line.startsWith('{"type":"end"')) end = JSON.parse(line);
      else if (line.startsWith('{"type":"error"')) throw new Error(line);
    }
  }
  const totalMs = performance.now() - t0;
  clearInterval(sampler);
  rssPeakMb = Math.max(rssPeakMb, rssMb(backendPid));
  if (!end || end.rowCount !== ROWS || rows !== ROWS) {
    throw new Error(
      `expected ${ROWS} rows, got ${rows} (${JSON.stringify(end)})`,
    );
  }
  return {
    firstRowMs,
    totalMs,
    rows,
    rssBeforeMb,
    rssPeakMb,
    truncated: end.truncated,
  };
}

function throughPsql(
  connection: any,
  user: { username: string; password: string },
) {
  const t0 = performance.now();
  const run = spawnSync(
    'sh',
    [
      '-c',
      `psql -X -q -h ${connection.host} -p ${connection.port} -U "$PGUSER" -d "$PGDATABASE" -c "$QUERY" > /dev/null`,
    ],
    {
      env: {
        ...process.env,
        PGUSER: user.username,
        PGPASSWORD: user.password,
        PGDATABASE: connection.database,
        QUERY,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
  return performance.now() - t0;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'console-stream-'));
  const sandboxPort = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  log(`sandbox: starting on ${sandboxUrl} (real PostgreSQL)`);
  const sandbox = start(
    [
      '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
      'packages/sandbox/src/main.ts',
    ],
    {
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_SPEED: 'fast',
      SANDBOX_REAL_DATABASES: 'postgresql',
    },
    join(dir, 'sandbox.log'),
  );
  await waitFor(`${sandboxUrl}/_sandbox/databases`, 120_000);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const upstream = (name: string, extra: object) => ({
    instances: [{ name: 'sandbox', url: `${sandboxUrl}/${name}`, ...extra }],
  });
  const config = {
    backend: {
      baseUrl: base,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'better-sqlite3', connection: { directory: dir } },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: TOKEN, subject: 'bench' },
            accessRestrictions: [{ plugin: 'autonomous' }],
          },
        ],
      },
    },
    autonomous: {
      upstreams: { timeoutMs: 5_000, retries: 0 },
      orchestrator: { enabled: false },
      argocd: upstream('argocd', { token: 'sandbox' }),
      kubernetes: upstream('kubernetes', { token: 'sandbox' }),
      vault: upstream('vault', { token: 'sandbox' }),
      // The release orchestrator stays off (nothing to deploy); the database worker runs.
      databases: {
        enabled: true,
        pollInterval: { milliseconds: 200 },
        console: { maxRowsLimit: ROWS, timeout: { minutes: 10 } },
      },
    },
  };
  const entities = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'bench-db',
        namespace: 'default',
        annotations: { 'autonomous.dev/database-engine': 'postgresql' },
      },
      spec: { type: 'database', owner: 'group:default/bench' },
    },
  ];
  writeFileSync(join(dir, 'app-config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'entities.json'), JSON.stringify(entities));
  log(`backend: starting on ${base}`);
  const backend = start(
    [
      '--require',
      join(REPO, 'node_modules/@backstage/cli/config/nodeTransform.cjs'),
      join(
        REPO,
        'plugins/autonomous-backend/src/__testUtils__/standaloneBackend.ts',
      ),
      '--config',
      join(dir, 'app-config.json'),
    ],
    {
      NODE_ENV: 'production',
      AUTONOMOUS_TEST_ENTITIES: join(dir, 'entities.json'),
    },
    join(dir, 'backend.log'),
  );
  const stop = () => {
    backend.kill('SIGTERM');
    sandbox.kill('SIGTERM');
  };
  try {
    await waitFor(`${base}/api/autonomous/health`, 300_000);
    const auth = {
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
    };
    const name = `bench-${Date.now().toString(36).slice(-6)}`;
    const accepted = await fetch(`${base}/api/autonomous/databases`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ entityRef: 'resource:default/bench-db', name }),
    });
    if (accepted.status !== 202)
      throw new Error(`provision: ${await accepted.text()}`);
    const { id } = (await accepted.json()) as { id: string };
    let instance: any;
    const deadline = Date.now() + 180_000;
    for (;;) {
      instance = await (
        await fetch(`${base}/api/autonomous/databases/${id}`, { headers: auth })
      ).json();
      if (instance.status === 'ready') break;
      if (instance.status === 'failed' || Date.now() > deadline) {
        throw new Error(`instance ${instance.status}`);
      }
      await sleep(250);
    }
    log(
      `instance ${name} ready on ${instance.connection.host}:${instance.connection.port}`,
    );
    const readonly = (await (
      await fetch(
        `${base}/api/autonomous/databases/${id}/credentials?user=readonly`,
        { headers: auth },
      )
    ).json()) as { username: string; password: string };

    // Warm-up: the route, the driver and the JIT, with a small result.
    await fetch(`${base}/api/autonomous/databases/${id}/console/statements`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        statement: 'SELECT g FROM generate_series(1, 20000) g',
        maxRows: 20000,
      }),
    }).then(r => r.text());

    const rows: string[] = [];
    const results: Array<Measured & { psqlMs: number }> = [];
    for (let i = 1; i <= RUNS; i++) {
      const psqlMs = throughPsql(instance.connection, readonly);
      const m = await throughConsole(base, id, backend.pid!);
      results.push({ ...m, psqlMs });
      const consoleRate = m.rows / (m.totalMs / 1000);
      const psqlRate = ROWS / (psqlMs / 1000);
      const line = `| ${i} | ${(m.rssPeakMb - m.rssBeforeMb).toFixed(
        1,
      )} MB (${m.rssBeforeMb.toFixed(0)} → ${m.rssPeakMb.toFixed(
        0,
      )} MB) | ${m.firstRowMs.toFixed(0)} ms | ${(m.totalMs / 1000).toFixed(
        2,
      )} s | ${Math.round(consoleRate).toLocaleString('en-US')} | ${(
        psqlMs / 1000
      ).toFixed(2)} s | ${Math.round(psqlRate).toLocaleString('en-US')} | ${(
        consoleRate / psqlRate
      ).toFixed(2)}× |`;
      log(line);
      rows.push(line);
    }
    const worstGrowth = Math.max(
      ...results.map(r => r.rssPeakMb - r.rssBeforeMb),
    );
    const ratios = results.map(r => r.rows / r.totalMs / (ROWS / r.psqlMs));
    const report = [
      `# console-stream — ${new Date().toISOString()}`,
      '',
      `\`${QUERY}\` through \`POST /api/autonomous/databases/:id/console/statements\` (NDJSON, read-only user, cap ${ROWS.toLocaleString(
        'en-US',
      )}), a real backend process; ${spawnSync('psql', ['--version'])
        .stdout.toString()
        .trim()} as the same user on the same query, \`> /dev/null\`. Load average at the end: ${loadavg()
        .map(l => l.toFixed(1))
        .join(', ')} (${(await import('node:os')).cpus().length} cores).`,
      '',
      '| run | backend RSS growth (before → peak) | first row | console total | console rows/s | psql total | psql rows/s | console ÷ psql |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `RSS growth target ≤ 100 MB: ${
        worstGrowth <= 100 ? 'met' : '**not met**'
      } (worst ${worstGrowth.toFixed(1)} MB). ` +
        `Rows/s target ≥ 0.5× psql: ${
          Math.min(...ratios) >= 0.5
            ? 'met'
            : Math.max(...ratios) >= 0.5
            ? '**met in some runs**'
            : '**not met**'
        } (${ratios.map(r => r.toFixed(2)).join(', ')}).`,
      '',
    ].join('\n');
    mkdirSync(dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, report);
    process.stdout.write(report);
  } catch (e) {
    log(`backend log: ${dir}/backend.log, sandbox log: ${dir}/sandbox.log`);
    throw e;
  } finally {
    stop();
    await sleep(1000);
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

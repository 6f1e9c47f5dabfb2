/*
 * Runs the real portal backend (packages/backend/src/index.ts) the way
 * `yarn workspace backend start` does — node with the Backstage CLI's TypeScript transform,
 * working directory packages/backend — but without the CLI's file watcher, so edits made
 * elsewhere in the repository cannot restart it in the middle of a measurement.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Portal {
  baseUrl: string;
  pid: number;
  logFile: string;
  /** Rejects when the backend exits on its own. */
  exited: Promise<never>;
  stop(): Promise<void>;
}

export async function startPortal(options: {
  repoRoot: string;
  configFiles: string[];
  baseUrl: string;
  logFile: string;
  startTimeoutMs: number;
  log: (line: string) => void;
}): Promise<Portal> {
  const { repoRoot, configFiles, baseUrl, logFile, startTimeoutMs, log } =
    options;
  await assertPortFree(baseUrl);

  const backendDir = join(repoRoot, 'packages/backend');
  const require = createRequire(join(backendDir, 'package.json'));
  const transform = require.resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
  );
  const args = [
    '--enable-source-maps',
    '--require',
    transform,
    'src/index',
    ...configFiles.flatMap(f => ['--config', f]),
  ];

  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, {
      cwd: backendDir,
      // own process group, so stop() can also reach anything the backend started
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        ESBK_TSCONFIG_PATH: join(repoRoot, 'tsconfig.json'),
        // e.g. BENCH_BACKEND_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile
        ...(process.env.BENCH_BACKEND_NODE_OPTIONS
          ? { NODE_OPTIONS: process.env.BENCH_BACKEND_NODE_OPTIONS }
          : {}),
      },
    });
  } finally {
    closeSync(out);
  }
  const pid = child.pid!;
  log(`backend: started pid ${pid}, log ${logFile}`);

  let done = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      done = true;
      reject(
        new Error(
          `backend exited (code ${code}, signal ${signal}); see ${logFile}`,
        ),
      );
    });
  });
  exited.catch(() => {});

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  // last resort if the bench itself dies without running stop()
  const onExit = () => {
    if (!done) killGroup('SIGKILL');
  };
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (done) return;
    killGroup('SIGTERM');
    const stopped = await Promise.race([
      exited.catch(() => true),
      sleep(20_000).then(() => false),
    ]);
    if (!stopped) {
      log('backend: no exit 20 s after SIGTERM, sending SIGKILL');
      killGroup('SIGKILL');
      await Promise.race([exited.catch(() => true), sleep(5_000)]);
    }
    log('backend: stopped');
  };

  try {
    const t0 = performance.now();
    await Promise.race([
      waitForHealth(`${baseUrl}/api/autonomous/health`, startTimeoutMs),
      exited,
    ]);
    log(
      `backend: /api/autonomous/health answered after ${(
        (performance.now() - t0) /
        1000
      ).toFixed(1)} s`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, pid, logFile, exited, stop };
}

async function assertPortFree(baseUrl: string): Promise<void> {
  try {
    await fetch(baseUrl, { signal: AbortSignal.timeout(1000) });
  } catch {
    return; // nothing answers: free
  }
  throw new Error(
    `something already answers on ${baseUrl}; stop it (an earlier bench run?) and try again`,
  );
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    await sleep(500);
  }
  throw new Error(`${url} not healthy after ${timeoutMs / 1000} s (${last})`);
}

/**
 * Signs in as the guest through the guest provider's refresh endpoint, exactly as the
 * frontend does, and returns the Backstage user token.
 */
export async function guestToken(baseUrl: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.ok) {
      const body = JSON.parse(text) as {
        backstageIdentity?: { token?: string };
      };
      const token = body.backstageIdentity?.token;
      if (token) return token;
      last = 'response has no backstageIdentity.token';
    } else {
      last = `HTTP ${res.status}: ${text.slice(0, 300)}`;
    }
    await sleep(1000);
  }
  throw new Error(`guest sign-in failed: ${last}`);
}

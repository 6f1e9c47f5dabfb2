import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SANDBOX_BANNER, startSandbox } from './sandbox.ts';
import type { SandboxSpeed } from './context.ts';
import { databaseOptionsFromEnv } from './databases/index.ts';
import type { NotifyTargets } from './notify.ts';

/** `SANDBOX_SEED`: a JSON file, relative to the working directory or absolute. */
function readSeed(): unknown {
  const path = process.env.SANDBOX_SEED;
  if (!path) return undefined;
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `SANDBOX_SEED names ${file}, which cannot be read: ${
        (error as Error).message
      }`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `SANDBOX_SEED ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

function readNotify(): NotifyTargets | undefined {
  const jenkinsUrl = process.env.SANDBOX_NOTIFY_JENKINS_URL || undefined;
  const argocdUrl = process.env.SANDBOX_NOTIFY_ARGOCD_URL || undefined;
  if (!jenkinsUrl && !argocdUrl) return undefined;
  return {
    jenkinsUrl,
    argocdUrl,
    token: process.env.SANDBOX_NOTIFY_TOKEN || undefined,
  };
}

async function main() {
  const port = Number(process.env.SANDBOX_PORT ?? 7200);
  const speed: SandboxSpeed =
    process.env.SANDBOX_SPEED === 'fast' ? 'fast' : 'realistic';
  const buildDurationMs = Number(process.env.SANDBOX_BUILD_DURATION_MS ?? 0);
  const seed = readSeed();
  const notify = readNotify();
  const running = await startSandbox({
    port,
    speed,
    timings: buildDurationMs > 0 ? { buildDurationMs } : undefined,
    seed,
    notify,
    databases: databaseOptionsFromEnv(process.env),
    s3: {
      dir: process.env.SANDBOX_S3_DIR || undefined,
      buckets: process.env.SANDBOX_S3_BUCKETS?.split(',')
        .map(b => b.trim())
        .filter(Boolean),
    },
  });
  const seeded = running.sandbox.argocd.apps.size;
  process.stdout.write(
    `${SANDBOX_BANNER} listening on ${
      running.url
    } (speed ${speed}); prefixes /jenkins /harbor /argocd /kubernetes /vault /prometheus /loki, control API /_sandbox${
      seed ? `; seeded ${seeded} Argo CD applications` : ''
    }${
      notify
        ? `; notifying ${[notify.jenkinsUrl, notify.argocdUrl]
            .filter(Boolean)
            .join(' and ')}`
        : ''
    }\n`,
  );
  const shutdown = () => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch(error => {
  const message = String(error?.message ?? error);
  // A wrong seed or notification setting is told plainly; anything else with its stack.
  const told = /^(sandbox seed|sandbox notify|SANDBOX_SEED)/.test(message);
  process.stderr.write(
    `sandbox failed to start: ${told ? message : error?.stack ?? error}\n`,
  );
  process.exit(1);
});

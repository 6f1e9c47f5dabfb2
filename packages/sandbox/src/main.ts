import { SANDBOX_BANNER, startSandbox } from './sandbox.ts';
import type { SandboxSpeed } from './context.ts';

async function main() {
  const port = Number(process.env.SANDBOX_PORT ?? 7200);
  const speed: SandboxSpeed =
    process.env.SANDBOX_SPEED === 'fast' ? 'fast' : 'realistic';
  const buildDurationMs = Number(process.env.SANDBOX_BUILD_DURATION_MS ?? 0);
  const running = await startSandbox({
    port,
    speed,
    timings: buildDurationMs > 0 ? { buildDurationMs } : undefined,
  });
  process.stdout.write(
    `${SANDBOX_BANNER} listening on ${running.url} (speed ${speed}); prefixes /jenkins /harbor /argocd /kubernetes /vault /prometheus /loki, control API /_sandbox\n`,
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
  process.stderr.write(`sandbox failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});

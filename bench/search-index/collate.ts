/*
 * One run of the search module's three collators against a running portal backend, in its
 * own process so its time and memory are its own. Run by run.mts through the Backstage CLI's
 * TypeScript transform (the module is TypeScript source in the workspace):
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs bench/search-index/collate.ts \
 *     <baseUrl> <static token> <pageSize> <perProject>
 *
 * Prints one JSON line: per document type, documents, pages of documents per project, time.
 */
import {
  AutonomousIndexClient,
  createAutonomousCollatorFactories,
} from '@autonomous-dev/backstage-plugin-search-backend-module-autonomous';

async function main() {
  const [baseUrl, token, pageSize, perProject] = process.argv.slice(2);
  // The module asks the auth service for a plugin request token; the bench has a static
  // external-access token instead (app-config.search-bench.yaml), the same for every page.
  const auth = {
    getOwnServiceCredentials: async () => ({}),
    getPluginRequestToken: async () => ({ token }),
  } as any;
  const discovery = {
    getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}`,
    getExternalBaseUrl: async (pluginId: string) =>
      `${baseUrl}/api/${pluginId}`,
  };
  const factories = createAutonomousCollatorFactories(
    new AutonomousIndexClient({ auth, discovery }),
    { pageSize: Number(pageSize), perProject: Number(perProject) },
  );
  let heapPeak = 0;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 50);
  const types: Record<string, unknown> = {};
  const t0 = performance.now();
  for (const factory of factories) {
    const t = performance.now();
    const perEntity = new Map<string, number>();
    let documents = 0;
    let withoutResourceRef = 0;
    for await (const doc of await factory.getCollator()) {
      documents++;
      const ref = doc.authorization?.resourceRef;
      if (!ref) withoutResourceRef++;
      perEntity.set(ref, (perEntity.get(ref) ?? 0) + 1);
    }
    types[factory.type] = {
      documents,
      entities: perEntity.size,
      maxPerEntity: Math.max(0, ...perEntity.values()),
      withoutResourceRef,
      ms: performance.now() - t,
    };
  }
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  console.log(
    JSON.stringify({
      totalMs: performance.now() - t0,
      heapPeakBytes: heapPeak,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      types,
    }),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

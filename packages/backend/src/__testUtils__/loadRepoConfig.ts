import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import { Config } from '@backstage/config';
import path from 'node:path';

/** The repository root, where the app-config files live. */
export const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * The config the backend runs with when started with these files (relative to the
 * repository root) in this environment, loaded the way the backend loads it.
 */
export async function loadRepoConfig(
  files: string[],
  env: Record<string, string | undefined> = {},
): Promise<Config> {
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const argv = ['node', 'backend'];
    for (const file of files) argv.push('--config', path.join(repoRoot, file));
    const tester = ServiceFactoryTester.from(
      rootConfigServiceFactory({ argv, watch: false }),
      { dependencies: [mockServices.rootLogger.factory()] },
    );
    return await tester.getSubject();
  } finally {
    process.env = saved;
  }
}

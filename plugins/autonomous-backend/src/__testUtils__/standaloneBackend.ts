/*
 * A real Backstage backend (backend-defaults: real scheduler, database, auth) running only the
 * Autonomous plugin, with the catalog answered from a JSON file. The crash-recovery tests start
 * it as a child process, SIGKILL it mid-release and start it again.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs standaloneBackend.ts --config <file>
 *
 * AUTONOMOUS_TEST_ENTITIES names the JSON file with the catalog entities.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readFileSync } from 'node:fs';
import { autonomousPlugin } from '../plugin';

const entities = JSON.parse(
  readFileSync(process.env.AUTONOMOUS_TEST_ENTITIES ?? '', 'utf8'),
);
const backend = createBackend();
backend.add(catalogServiceMock.factory({ entities }));
backend.add(autonomousPlugin);
backend.start().catch(e => {
  process.stderr.write(`backend failed to start: ${e}\n`);
  process.exit(1);
});

import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';
import path from 'node:path';
import {
  E2E_APP_URL,
  E2E_BACKEND_URL,
  E2E_DATA_DIR,
} from './packages/app/e2e-tests/support';

/*
 * Browser tests run in Debian's Chromium (/usr/bin/chromium, installed by
 * scripts/test.sh); Playwright never downloads a browser here. The portal under test is
 * started by Playwright itself with app-config.sandbox.yaml and app-config.e2e.yaml (and the
 * upstream sandbox on :7200) on its own ports and with a fresh
 * SQLite folder, in CI and locally alike.
 */

const isCI = !!process.env.CI;
const repoRoot = __dirname;
const configArgs = [
  'app-config.yaml',
  'app-config.sandbox.yaml',
  'app-config.e2e.yaml',
]
  .map(file => `--config ${path.join(repoRoot, file)}`)
  .join(' ');
const e2eDataRoot = path.dirname(E2E_DATA_DIR);

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  timeout: 120_000,

  expect: {
    timeout: 30_000,
  },

  webServer: [
    {
      // The upstream sandbox (packages/sandbox), a test double of Jenkins, Harbor, Argo CD,
      // Vault, Kubernetes, Prometheus and Loki, as app-config.sandbox.yaml expects it.
      command: 'yarn workspace @autonomous-dev/sandbox start',
      url: 'http://localhost:7200/_sandbox/calls',
      // Seeded with the sample catalog's jobs and applications, and telling the e2e backend
      // when a build or sync ends, as scripts/start.sh does for the dev portal.
      env: {
        SANDBOX_PORT: '7200',
        SANDBOX_SPEED: 'fast',
        // Databases provisioned in the browser tests are real on the machine's PostgreSQL,
        // MariaDB and Redis (simulated, with a line in the sandbox log, where one is down).
        SANDBOX_REAL_DATABASES: 'postgresql,mysql,redis',
        SANDBOX_SEED: path.join(
          repoRoot,
          'packages/sandbox/seeds/examples.json',
        ),
        SANDBOX_NOTIFY_JENKINS_URL: `${E2E_BACKEND_URL}/api/autonomous/notifications/jenkins`,
        SANDBOX_NOTIFY_ARGOCD_URL: `${E2E_BACKEND_URL}/api/autonomous/notifications/argocd`,
        SANDBOX_NOTIFY_TOKEN: 'sandbox-notifications',
      },
      reuseExistingServer: !isCI,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      // Every start begins with an empty data folder: no state leaks from an earlier run.
      command: `rm -rf '${e2eDataRoot}' && mkdir -p '${E2E_DATA_DIR}' && yarn start backend ${configArgs}`,
      url: `${E2E_BACKEND_URL}/.backstage/health/v1/readiness`,
      // Warnings and errors only (backend.logger.level in app-config.e2e.yaml): request logs
      // would drown the test output. Not LOG_LEVEL: the scaffolder's step logger reads that
      // variable too, and at warn every task's and dry run's log loses its info lines.
      env: { AUTONOMOUS_E2E_DATA_DIR: E2E_DATA_DIR },
      reuseExistingServer: !isCI,
      timeout: 240_000,
      stdout: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
    {
      command: `yarn start app ${configArgs}`,
      url: E2E_APP_URL,
      reuseExistingServer: !isCI,
      timeout: 360_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
  ],

  forbidOnly: isCI,

  retries: isCI ? 1 : 0,

  // One worker: the tests share one portal and its database.
  workers: 1,

  // list for people, json for scripts/test.sh, which adds the counts to its totals.
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.E2E_JSON_REPORT ??
          path.join(repoRoot, 'e2e-test-report', 'results.json'),
      },
    ],
  ],

  use: {
    baseURL: E2E_APP_URL,
    browserName: 'chromium',
    launchOptions: chromium,
    actionTimeout: 0,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },

  outputDir: 'node_modules/.cache/e2e-test-results',

  // Every package with an e2e-tests folder is a project; all run in Debian's Chromium.
  projects: generateProjects().map(project => ({
    ...project,
    use: { ...project.use, channel: undefined },
  })),
});
